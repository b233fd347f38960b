// store_crash_child.cpp — placeholder until the store's crash test exists.
int main() { return 1; }
