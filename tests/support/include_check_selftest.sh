#!/usr/bin/env bash
# include_check_selftest.sh CMAKE CHECK — the include check must fail, naming
# the file, line and rule, on a tree whose collector includes terminal code,
# and on one whose model includes SDL; and pass on the same tree without them.
set -euo pipefail
cmake=$1 check=$2
tree=$(mktemp -d); trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/common" "$tree/terminal" "$tree/kiosk" "$tree/collector/http"
printf '#include "common/protocol.hpp"\n#include <vector>\n' >"$tree/collector/http/ok.cpp"
printf '#include "common/calendar.hpp"\n' >"$tree/terminal/ok.cpp"
"$cmake" -DPULSE_ROOT="$tree" -P "$check" || { echo "FAIL: a clean tree was refused"; exit 1; }

printf '// a line\n#include "terminal/answer_store.hpp"\n' >"$tree/collector/http/bad.cpp"
if out=$("$cmake" -DPULSE_ROOT="$tree" -P "$check" 2>&1); then echo "FAIL: collector including terminal/ passed"; exit 1; fi
grep -q 'collector/http/bad.cpp:2: includes "terminal/answer_store.hpp"' <<<"$out" || { echo "FAIL: message: $out"; exit 1; }
rm "$tree/collector/http/bad.cpp"

printf '#include <SDL.h>\n' >"$tree/terminal/bad.cpp"
if out=$("$cmake" -DPULSE_ROOT="$tree" -P "$check" 2>&1); then echo "FAIL: terminal including SDL passed"; exit 1; fi
grep -q 'terminal/bad.cpp:1: includes SDL.h' <<<"$out" || { echo "FAIL: message: $out"; exit 1; }
rm "$tree/terminal/bad.cpp"

printf '#include "answer_store.hpp"\n' >"$tree/kiosk/bad.cpp"
if out=$("$cmake" -DPULSE_ROOT="$tree" -P "$check" 2>&1); then echo "FAIL: an include without its folder passed"; exit 1; fi
echo "include check: refuses all three violations and passes the clean tree"
