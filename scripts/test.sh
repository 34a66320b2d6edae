#!/usr/bin/env bash
# The README's second command: install, build, and run every test (unit, end-to-end, HTTP
# against a real server, browser with Playwright and chromium), then all of them again
# under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
scripts/build.sh build
(cd build && ctest --output-on-failure --parallel 2 --timeout 600)
scripts/build.sh build-asan -DROUNDTABLE_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure --parallel 2 --timeout 900)
