#!/usr/bin/env bash
# The main job on the bundled demo inventory: set up, build, start the camera simulator, validate the
# registry, sweep every active camera, print the result, stop the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product xueliang >/dev/null
swift build -c release --product camera-fleet >/dev/null
bin=.build/release
state=$(mktemp -d)
trap 'kill "$fleet" 2>/dev/null; wait "$fleet" 2>/dev/null; rm -rf "$state"' EXIT

# The demo's cameras with sim:auth-digest accept the simulator's credentials (admin/fleet) through this profile.
credentials="$state/credentials.json"
printf '{"schema": "xueliang.credentials/1", "profiles": {"demo-digest": {"username": "admin", "password": "fleet"}}}\n' > "$credentials"
chmod 600 "$credentials"

# The simulator serves every demo camera on its own 127.20.x.y address; behaviours come from sim: tags.
"$bin/camera-fleet" --inventory Inventory --http-port 18080 --rtsp-port 18554 --ready-file "$state/fleet.ready" >"$state/fleet.log" 2>&1 &
fleet=$!
for _ in $(seq 1 100); do [[ -s "$state/fleet.ready" ]] && break; kill -0 "$fleet" 2>/dev/null || { cat "$state/fleet.log"; exit 1; }; sleep 0.1; done

echo "== xueliang validate (the demo has a few deliberately incomplete records)"
"$bin/xueliang" validate --inventory Inventory | grep -v ": warning:" || true
echo
echo "== xueliang sweep (every active camera: RTSP, snapshot, HLS, ONVIF, TCP)"
"$bin/xueliang" sweep --inventory Inventory --credentials "$credentials" --state "$state" --timeout 3 --connect-timeout 2
echo
echo "== xueliang sweep --checks rtsp,media (is video really flowing? one village: PLAY and a few seconds of RTP;"
echo "   a camera that answers DESCRIBE but sends no video is offline with no-media)"
"$bin/xueliang" sweep --inventory Inventory --credentials "$credentials" --state "$state" --no-save --village 450128001001 \
    --checks rtsp,media --media-stall 2 --timeout 3 --connect-timeout 2
echo
echo "== xueliang coverage (the figures a county is judged on, from the sweep above)"
"$bin/xueliang" coverage --inventory Inventory --state "$state"
echo
echo "== xueliang catalog diff (the GB/T 28181 platform's catalog against the registry and the sweep above)"
"$bin/xueliang" catalog diff docs/examples/demo-catalog.xml --inventory Inventory --state "$state"
echo
echo "== xueliang sweep --monitor, twice (a camera is flagged offline only after two failed sweeps in a row)"
monitor="$state/demo-rtsp.json"
printf '{"schema": "xueliang.monitor/1", "name": "demo-rtsp", "every": "15m", "checks": ["rtsp"], "timeout": "3s", "connect_timeout": "2s", "thresholds": {"offline_after": 2}}\n' > "$monitor"
for _ in 1 2; do
  "$bin/xueliang" sweep --monitor "$monitor" --no-save --inventory Inventory --credentials "$credentials" --state "$state" | tail -n 1
done
echo
echo "== xueliang offline (flagged feeds: since when, why, who maintains them)"
"$bin/xueliang" offline --inventory Inventory --state "$state"
echo
echo "== the same in Chinese on Beijing time, as the county's staff read it (--lang zh, or LANG=zh_CN.UTF-8; TZ=Asia/Shanghai)"
TZ=Asia/Shanghai "$bin/xueliang" offline --lang zh --inventory Inventory --state "$state"
TZ=Asia/Shanghai "$bin/xueliang" coverage --lang zh --inventory Inventory --state "$state" | tail -n 4
echo
echo "== xueliang report (the page a county leader reads: map, townships ranked, every village; work orders for the contractors)"
TZ=Asia/Shanghai "$bin/xueliang" report --lang zh --area 示范县 --inventory Inventory --state "$state" \
    --html "$state/report.html" --work-orders "$state/work-orders.csv" >/dev/null
mkdir -p demo-output && cp "$state/report.html" "$state/work-orders.csv" demo-output/
echo "wrote demo-output/report.html (open it in a browser) and demo-output/work-orders.csv:"
head -n 3 demo-output/work-orders.csv
