#!/usr/bin/env bash
# Runs every test (lit suites, including the gtest binary) and ends with the
# line "N passed, N failed". Exits non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QAPEFT_BUILD:-$ROOT/build}"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

/usr/lib/llvm-22/bin/lit -v "$BUILD/test" "$BUILD/unittests" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}

# lit's summary counts every gtest case; take the numbers from it.
count() {
  grep -E "^ +$1 *: " "$LOG" | awk -F: '{s += $2} END {print s + 0}'
}
passed=$(( $(count Passed) + $(count 'Expectedly Failed') ))
failed=$(( $(count Failed) + $(count Unresolved) + $(count 'Timed Out') + $(count 'Unexpectedly Passed') ))
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
