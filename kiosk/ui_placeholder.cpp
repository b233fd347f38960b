// ui_placeholder.cpp — removed once the first screen exists.
