#!/usr/bin/env bash
# Media check benchmark (issue 14). Not a test; not run by CI. Everything stays on 127.0.0.0/8.
#
#   Benchmarks/media-benchmark.sh [SIMULATED_CAMERAS]        (default 1000)
#
# 1. A media sweep of SIMULATED_CAMERAS camera-fleet cameras (healthy, 25 fps H.264), as a sweep runs it.
# 2. The receive rounds' cost: 500 streams held for a whole 4 s window, rounds back to back (pace 0)
#    and paced (50 ms, the default): CPU per stream-second, rounds per stream-second, memory per stream,
#    and the sweep's time against its bound (stream-seconds / streams open).
# 3. xueliang next to ffprobe on GStreamer's RTSP server (Tests/Peers/rtsp-server.py), 16 at a time:
#    cameras per second, CPU seconds per camera, and whether the verdicts agree (ffprobe: a decodable
#    video stream or not; xueliang: the media check passes, or fails with no-media/stream-stalled).
# Prints the figures; docs/performance.md keeps a run.
set -euo pipefail
cd "$(dirname "$0")/.."
cameras=${1:-1000}
work=$(mktemp -d /tmp/xueliang-media-bench-XXXXXX)
fleet=""
server=""
cleanup() {
    [[ -n $fleet ]] && kill "$fleet" 2>/dev/null && wait "$fleet" 2>/dev/null
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

scripts/setup.sh --bench
swift build -c release --product media-benchmark >/dev/null
swift build -c release --product camera-fleet >/dev/null
bin=.build/release
ulimit -n "$(ulimit -Hn)"

"$bin/camera-fleet" --rtsp-port 0 --http-port 0 --ready-file "$work/fleet.ready" >"$work/fleet.log" 2>&1 &
fleet=$!
for _ in $(seq 1 100); do [[ -s $work/fleet.ready ]] && break; sleep 0.1; done
rtsp_port=$(cut -d' ' -f2 "$work/fleet.ready")

# One camera per address (each its own host:port), 127.30.0.1 onwards.
urls() {  # urls COUNT
    local count=$1 index
    for ((index = 0; index < count; index++)); do
        echo "rtsp://127.30.$((index / 250)).$((index % 250 + 1)):$rtsp_port/stream"
    done
}

echo "== 1. media sweep of $cameras simulated cameras (ends once certain: a keyframe and 10 frames)"
urls "$cameras" > "$work/sim.urls"
"$bin/media-benchmark" --urls "$work/sim.urls" --concurrency 500 | tee "$work/sim.json"

echo "== 2. 500 streams held for a 4 s window: receive rounds back to back, then paced"
urls 500 > "$work/held.urls"
for pace in 0 50; do
    "$bin/media-benchmark" --urls "$work/held.urls" --concurrency 500 --window 4000 --frames-wanted 1000000 --pace "$pace" \
        | tee "$work/held-$pace.json"
done

echo "== 3. xueliang and ffprobe on GStreamer's RTSP server, 16 at a time"
# 48 ports on one server process, so that every camera is its own host:port (a sweep holds one stream per
# host:port); the pipelines are shared (one encoder however many clients): H.264, H.265, MJPEG, and one
# that sends nothing.
/usr/bin/python3 Tests/Peers/rtsp-server.py --port 0 --extra-ports 47 --ready-file "$work/gst.ready" >"$work/gst.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do [[ -s $work/gst.ready ]] && break; sleep 0.1; done
mounts=(h264 h265 stream silent)
index=0
for port in $(cat "$work/gst.ready"); do
    echo "rtsp://127.0.0.1:$port/${mounts[index % 4]}"
    index=$((index + 1))
done > "$work/peers.urls"
peers=$(wc -l < "$work/peers.urls")
# Warm the pipelines up, so that neither tool pays for their start.
head -4 "$work/peers.urls" > "$work/warm.urls"
"$bin/media-benchmark" --urls "$work/warm.urls" --concurrency 4 >/dev/null

probe() {  # probe URL: one ffprobe, as operators script it; prints "URL decodable" or "URL none"
    if out=$(timeout 15 ffprobe -v error -timeout 5000000 -rtsp_transport tcp -select_streams v:0 \
            -show_entries stream=codec_name,width,height -of csv=p=0 "$1" 2>/dev/null) && [[ $out == *,*[1-9]* ]]; then
        echo "$1 decodable"
    else
        echo "$1 none"
    fi
}
export -f probe
# xueliang first: after ffprobe has given up on the /silent pipelines, the Python server takes a while
# to tear them down, and DESCRIBEs sent meanwhile wait (seen as 10 s timeouts).
"$bin/media-benchmark" --urls "$work/peers.urls" --concurrency 16 --verdicts "$work/xueliang.out" | tee "$work/peers.json"
ffprobe_started=$(date +%s.%N)
ffprobe_cpu_before=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
xargs -P 16 -I{} bash -c 'probe {}' < "$work/peers.urls" > "$work/ffprobe.out"
ffprobe_seconds=$(echo "$(date +%s.%N) - $ffprobe_started" | bc)
# The children's CPU (utime + stime + cutime + cstime of this shell), in clock ticks.
ffprobe_cpu=$(echo "($(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat) - $ffprobe_cpu_before) / $(getconf CLK_TCK)" | bc -l)

python3 - "$work" "$peers" "$ffprobe_seconds" "$ffprobe_cpu" <<'PY'
import json, sys
work, peers, ff_seconds, ff_cpu = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
sim = json.load(open(f"{work}/sim.json"))
held = {pace: json.load(open(f"{work}/held-{pace}.json")) for pace in (0, 50)}
xl = json.load(open(f"{work}/peers.json"))
ff = dict(line.split() for line in open(f"{work}/ffprobe.out"))
ours = dict(line.split() for line in open(f"{work}/xueliang.out"))
ff_decodable = sum(1 for verdict in ff.values() if verdict == "decodable")
xl_flowing = xl["reasons"].get("ok", 0)
# Camera for camera: ffprobe finds a decodable video stream exactly where the media check passes.
disagreements = [url for url in ff if (ff[url] == "decodable") != (ours.get(url) == "ok")]
print()
print(f"simulated media sweep: {sim['cameras']} cameras in {sim['seconds']} s ({sim['cameras_per_second']}/s), "
      f"{sim['cpu_seconds']} CPU s, reasons {sim['reasons']}, fps {sim['fps_min']}-{sim['fps_max']}")
for pace, run in held.items():
    print(f"500 streams x 4 s, pace {pace} ms: {run['rounds_per_stream_second']} rounds/stream-s, "
          f"{run['cpu_ms_per_stream_second']} CPU ms/stream-s ({run['cpu_ms_per_stream_second'] * 500 / 1000:.2f} cores at 500 streams), "
          f"{run['kb_per_open_stream']} KB/stream, {run['seconds']} s against a bound of {run['bound_seconds']} s "
          f"({run['seconds'] / max(run['bound_seconds'], 0.001):.2f}x), reasons {run['reasons']}")
print(f"GStreamer peers, {peers} cameras, 16 at a time: ffprobe {ff_seconds:.2f} s ({peers / ff_seconds:.1f}/s, "
      f"{ff_cpu / peers:.3f} CPU s each, {ff_decodable} decodable); xueliang {xl['seconds']} s ({xl['cameras_per_second']}/s, "
      f"{xl['cpu_seconds'] / peers:.4f} CPU s each, {xl_flowing} flowing, reasons {xl['reasons']})")
print(f"ratios: cameras/s {xl['cameras_per_second'] / (peers / ff_seconds):.1f}x, CPU per camera "
      f"{(ff_cpu / peers) / max(xl['cpu_seconds'] / peers, 1e-6):.0f}x less; verdicts differ on {len(disagreements)} of {peers} cameras {disagreements}")
PY
