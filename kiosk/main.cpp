// main.cpp — placeholder while the kiosk is being built (replaced in this issue).
int main() { return 1; }
