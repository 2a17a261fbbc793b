#!/usr/bin/env bash
# The main job on the bundled demo inventory: set up, build, check the registry and list it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product xueliang 2>&1 | grep -vE '^(\[|Building|Compiling|Write|Planning)' || true
xueliang=.build/release/xueliang
echo "== xueliang validate (the demo has a few deliberately incomplete records)"
"$xueliang" validate --inventory Inventory || true
echo
echo "== xueliang villages list"
"$xueliang" villages list --inventory Inventory
echo
echo "== xueliang list --source citizen --village 450128001003"
"$xueliang" list --inventory Inventory --source citizen --village 450128001003
