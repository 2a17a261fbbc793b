#!/usr/bin/env bash
# Set up (including the real test peers), build everything, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
swift build --build-tests 2>&1 | grep -E 'warning:|error:' || true
swift build --build-tests >/dev/null
swift test --skip-build 2>&1 | tee .build/test-output.txt | grep -vE '^(􀟈|◇)|started\.$' 
