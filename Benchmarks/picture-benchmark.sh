#!/usr/bin/env bash
# The picture diagnosis at city scale (issue 15): a sweep of 1080p snapshots with the picture check (fetch,
# JPEG checks, decode, diagnosis) against the same sweep with the snapshot check alone, in one run, each
# saving its result as a user's sweep does. Not a test; not run by CI; all traffic on 127.0.0.0/8.
#
#   Benchmarks/picture-benchmark.sh [CAMERAS] [LINK]     (default 200000 cameras, no LINK; ROUNDS=2 pairs)
#   SHARE=8 Benchmarks/picture-benchmark.sh [CAMERAS]    (the same as monitor sweeps: picture_share = 8 x every)
#
# With SHARE, each side is a monitor's sweep (`sweep --monitor`, journal and state saved, as `watch` runs it):
# a monitor checking every snapshot every 15 minutes against one diagnosing each picture once in SHARE sweeps
# (`picture_share`) and checking the other snapshots. Both are timed in their second sweep, with a state
# behind them: the snapshot monitor's after its first; the picture monitor's after its first and a seed that
# gives every camera a held picture and a signature one interval ago (`city-benchmark seed-pictures`), as a
# monitor has after its first period. Its window is then one interval: the share of a sweep.
#
# Without LINK the sweeps run over this machine's loopback, as fast as memory, on the 2 cores the simulator
# also uses. With LINK (a tc rate such as 1gbit), the simulator and the sweeps run in a network namespace of
# their own whose loopback is limited to LINK (tc tbf), as the sweeping server's link to the video network is.
# Prints a table (wall time, rate, CPU seconds of xueliang and of the simulator, peak RSS, the ratio) and
# writes it as JSON to Benchmarks/last-picture-run.json (or -LINK.json).
set -euo pipefail
cd "$(dirname "$0")/.."
cameras=${1:-200000}
link=${2:-}
rounds=${ROUNDS:-2}
share=${SHARE:-}

if [[ -z ${XUELIANG_PICTURE_BENCHMARK_INSIDE:-} ]]; then
    scripts/setup.sh --test
    swift build -c release --product xueliang >/dev/null
    swift build -c release --product camera-fleet >/dev/null
    swift build -c release --product city-benchmark >/dev/null
    if [[ -n $link ]]; then
        # A namespace of its own: its loopback is shaped, the machine's is not touched.
        exec unshare --net env XUELIANG_PICTURE_BENCHMARK_INSIDE=1 "$0" "$@"
    fi
    export XUELIANG_PICTURE_BENCHMARK_INSIDE=1
fi
if [[ -n $link ]]; then
    ip link set lo up
    tc qdisc replace dev lo root tbf rate "$link" burst 4mb latency 500ms
fi

work=$(mktemp -d /tmp/xueliang-picture-bench-XXXXXX)
fleet=""
cleanup() { [[ -n $fleet ]] && kill "$fleet" 2>/dev/null && wait "$fleet" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
bin=.build/release
ulimit -n "$(ulimit -Hn)"

# A camera-like 1080p snapshot: colour bars under sensor grain, cjpeg at quality 80 (4:2:0), about 300 KB;
# a normal picture, so that the diagnosis does its full work and finds nothing.
gst-launch-1.0 -q compositor name=mix sink_1::alpha=0.06 ! videoconvert ! video/x-raw,format=RGB,width=1920,height=1080 \
    ! pnmenc ! filesink location="$work/scene.ppm" \
    videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=1920,height=1080 ! mix. \
    videotestsrc num-buffers=1 pattern=snow ! video/x-raw,width=1920,height=1080 ! mix.
cjpeg -quality 80 -outfile "$work/scene.jpg" "$work/scene.ppm"
snapshot_bytes=$(wc -c < "$work/scene.jpg")
"$bin/xueliang" inspect "$work/scene.jpg" | head -n 2 >&2

echo "== generating a city of $cameras cameras over 1,821 villages" >&2
"$bin/city-benchmark" registry --cameras "$cameras" --keep "$work/Inventory" >&2

rm -f "$work/fleet.ready"
"$bin/camera-fleet" --http-port 18080 --rtsp-port 18554 --snapshot "$work/scene.jpg" --ready-file "$work/fleet.ready" >"$work/fleet.log" 2>&1 &
fleet=$!
for _ in $(seq 1 100); do [[ -s $work/fleet.ready ]] && break; sleep 0.1; done
[[ -s $work/fleet.ready ]] || { cat "$work/fleet.log"; exit 1; }

ticks=$(getconf CLK_TCK)
fleet_cpu() { awk -v t="$ticks" '{ printf "%.1f", ($14 + $15) / t }' "/proc/$fleet/stat"; }

results="$work/results.tsv"
: > "$results"
mkdir -p "$work/Monitors"
if [[ -n $share ]]; then
    printf '{"schema": "xueliang.monitor/1", "name": "snapshots", "every": "15m", "checks": ["snapshot"], "timeout": "60s", "connect_timeout": "10s"}\n' \
        > "$work/Monitors/snapshot.json"
    printf '{"schema": "xueliang.monitor/1", "name": "pictures", "every": "15m", "checks": ["picture"], "picture_share": "%sm", "timeout": "60s", "connect_timeout": "10s"}\n' \
        "$((share * 15))" > "$work/Monitors/picture.json"
fi
sweep() {  # sweep NAME CHECK STATE: one saved sweep of every camera, kept in STATE
    local name=$1 check=$2 state=$3 before after line
    local how=(--checks "$check" --timeout 60 --connect-timeout 10)
    [[ -n $share ]] && how=(--monitor "$work/Monitors/$check.json")
    before=$(fleet_cpu)
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin/xueliang" sweep --inventory "$work/Inventory" --state "$state" \
        "${how[@]}" >"$work/out" 2>"$work/err" || true
    # The pictures the sweep diagnosed: the kept sweep's picture column (the seventh) is set for them.
    # The pictures the kept sweep judges (its seventh column): the ones diagnosed in this sweep, and under a
    # share those held from earlier turns too (so after a monitor's first sweep, the ones it diagnosed).
    local kept judged=0
    kept=$(find "$state" -name latest.tsv | sort | tail -n 1)
    [[ -n $kept ]] && judged=$(awk -F'\t' 'NR > 1 && $7 != "" { n++ } END { print n + 0 }' "$kept")
    after=$(fleet_cpu)
    line=$(head -n 1 "$work/out")
    echo "$name: $line; $(sed -n 2p "$work/out"); $judged pictures judged in the kept sweep" >&2
    read -r seconds user system peak_kb < "$work/time"
    local swept online
    swept=$(sed -E 's/^swept ([0-9]+) cameras.*/\1/' <<<"$line")
    online=$(sed -nE 's/.* ([0-9]+) online.*/\1/p' <<<"$line")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$swept" "${online:-?}" "$seconds" \
        "$(echo "$user + $system" | bc)" "$(echo "$after - $before" | bc)" "$((peak_kb / 1024))" >> "$results"
}

echo "== $cameras cameras, $((snapshot_bytes / 1024)) KiB snapshots, 500 in flight (the default), ${link:-loopback at memory speed}${share:+, monitor sweeps with picture_share = $share x every}" >&2
# Alternated, so that a slower phase of the shared machine does not fall on one side only.
for ((round = 1; round <= rounds; round++)); do
    if [[ -n $share ]]; then
        sweep "first: snapshot monitor, $round" snapshot "$work/State-snapshot"
        sweep "snapshot monitor, $round" snapshot "$work/State-snapshot"
        sweep "first: picture monitor, $round" picture "$work/State-picture"
        "$bin/city-benchmark" seed-pictures --state "$work/State-picture" --monitor "$work/Monitors/picture.json" >&2
        sweep "picture monitor (1/$share diagnosed), $round" picture "$work/State-picture"
        rm -rf "$work/State-snapshot" "$work/State-picture"
    else
        sweep "snapshot check (no diagnosis), $round" snapshot "$work/State-$round-snapshot"
        sweep "picture check (diagnosis), $round" picture "$work/State-$round-picture"
        rm -rf "$work/State-$round-snapshot" "$work/State-$round-picture"
    fi
done

printf '\n%-38s %8s %8s %9s %8s %12s %11s %8s\n' sweep cameras online "wall s" "per s" "xueliang CPU" "fleet CPU" "RSS MB"
while IFS=$'\t' read -r name swept online seconds cpu fleet_seconds rss; do
    printf '%-38s %8s %8s %9s %8s %12s %11s %8s\n' "$name" "$swept" "$online" "$seconds" \
        "$(echo "$swept / $seconds" | bc)" "$cpu" "$fleet_seconds" "$rss"
done < "$results"
ratio=$(awk -F'\t' '/^snapshot/ { s += $4 } /^picture/ { p += $4 } END { printf "%.2f", p / s }' "$results")
diagnosed=$((share ? cameras / share : cameras))
cpu_per_picture=$(awk -F'\t' -v n="$diagnosed" -v r="$rounds" '/^snapshot/ { s += $5 } /^picture/ { p += $5 } END { printf "%.2f", (p - s) / r / n * 1000 }' "$results")
echo "picture / snapshot wall time: ${ratio}x (target: at most 1.5x); diagnosis costs ${cpu_per_picture} ms of CPU a snapshot"

output=Benchmarks/last-picture-run${link:+-$link}${share:+-share$share}.json
{
    printf '{\n  "cameras": %s,\n  "snapshot_bytes": %s,\n  "link": "%s",\n  "picture_share": %s,\n  "ratio": %s,\n  "diagnosis_cpu_ms_per_snapshot": %s,\n  "runs": [\n' \
        "$cameras" "$snapshot_bytes" "${link:-loopback}" "${share:-1}" "$ratio" "$cpu_per_picture"
    awk -F'\t' 'BEGIN { first = 1 } {
        if (!first) printf ",\n"; first = 0
        printf "    {\"sweep\": \"%s\", \"cameras\": %s, \"online\": \"%s\", \"seconds\": %s, \"xueliang_cpu_s\": %s, \"fleet_cpu_s\": %s, \"peak_rss_mb\": %s}", $1, $2, $3, $4, $5, $6, $7
    } END { printf "\n" }' "$results"
    printf '  ]\n}\n'
} > "$output"
echo "written to $output" >&2
