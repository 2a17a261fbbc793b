#!/usr/bin/env bash
# City-scale sweep benchmark (issue 6): xueliang against a tight C program over the same libcurl and
# against `curl --parallel`, on the same loopback targets, in one run. Not a test; not run by CI.
#
#   Benchmarks/sweep-benchmark.sh [CAMERAS]        (default 200000; everything stays on 127.0.0.0/8)
#
# Prints one table of figures and ratios and writes it as JSON to Benchmarks/last-run.json.
set -euo pipefail
cd "$(dirname "$0")/.."
cameras=${1:-200000}
# libcurl's defaults and curl --parallel slow down as the number of hosts grows (DNS cache walk): they are
# measured on the first $subset targets only, which flatters them.
subset=${SUBSET:-20000}
work=$(mktemp -d /tmp/xueliang-bench-XXXXXX)
fleet=""
cleanup() { [[ -n $fleet ]] && kill "$fleet" 2>/dev/null && wait "$fleet" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

scripts/setup.sh
command -v curl >/dev/null || { echo "needs curl" >&2; exit 69; }
swift build -c release --product xueliang >/dev/null
swift build -c release --product camera-fleet >/dev/null
swift build -c release --product city-benchmark >/dev/null
cc -O2 -o "$work/multi-poll" Benchmarks/c-reference/multi-poll.c -lcurl
bin=.build/release
ulimit -n "$(ulimit -Hn)"

start_fleet() {  # start_fleet [camera-fleet options...]
    [[ -n $fleet ]] && { kill "$fleet"; wait "$fleet" 2>/dev/null || true; }
    rm -f "$work/fleet.ready"
    "$bin/camera-fleet" --http-port 18080 --rtsp-port 18554 --ready-file "$work/fleet.ready" "$@" >"$work/fleet.log" 2>&1 &
    fleet=$!
    for _ in $(seq 1 100); do [[ -s $work/fleet.ready ]] && return; sleep 0.1; done
    cat "$work/fleet.log"; exit 1
}

# Runs a command, sampling its peak RSS (VmHWM) and open descriptors; prints "seconds peak_rss_mb peak_fds".
measure() {
    local started ended pid peak_fds=0 rss=0 fds
    started=$(date +%s.%N)
    "$@" >"$work/out" 2>"$work/err" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        # The process may end between kill -0 and ls: under pipefail that failed ls must not end the script.
        fds=$(ls /proc/$pid/fd 2>/dev/null | wc -l || true)
        ((fds > peak_fds)) && peak_fds=$fds
        # VmHWM is the peak so far; keep the last reading (the process may be gone by the next one).
        local now
        now=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || true)
        [[ -n $now ]] && rss=$now
        sleep 0.05
    done
    wait "$pid" || true
    ended=$(date +%s.%N)
    echo "$(echo "$ended - $started" | bc) $((${rss:-0} / 1024)) $peak_fds"
}

echo "== generating a city of $cameras cameras over 1,821 villages" >&2
"$bin/city-benchmark" registry --cameras "$cameras" --keep "$work/Inventory" | tee "$work/registry.txt" >&2
grep -h '^snapshot = ' "$work"/Inventory/villages/*.village | cut -c12- > "$work/snapshot.urls"
grep -h '^rtsp = ' "$work"/Inventory/villages/*.village | cut -c8- > "$work/rtsp.urls"
head -n "$subset" "$work/snapshot.urls" > "$work/snapshot.subset"
head -n "$subset" "$work/rtsp.urls" > "$work/rtsp.subset"
awk '{print "url = \"" $0 "\"\noutput = \"/dev/null\""}' "$work/snapshot.subset" > "$work/curl-snapshot.conf"
awk '{print "url = \"" $0 "\"\noutput = \"/dev/null\""}' "$work/rtsp.subset" > "$work/curl-rtsp.conf"

results="$work/results.tsv"
: > "$results"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results"; }  # name targets seconds rate rss fds

sweep() {  # sweep NAME CHECK TIMEOUT IN-FLIGHT [extra xueliang options]
    local name=$1 check=$2 timeout=$3 inflight=$4; shift 4
    read -r seconds rss fds < <(measure "$bin/xueliang" sweep --inventory "$work/Inventory" --state "$work/State" --checks "$check" \
        --concurrency "$inflight" --timeout "$timeout" --connect-timeout 3 "$@")
    local line rate swept
    line=$(head -n 1 "$work/out")
    swept=$(echo "$line" | sed -E 's/^swept ([0-9]+) cameras.*/\1/')
    rate=$(echo "$line" | sed -E 's/.*\(([0-9]+)\/s\).*/\1/')
    echo "$name: $line" >&2
    record "$name" "$swept" "$seconds" "$rate" "$rss" "$fds"
}

command_row() {  # command_row NAME COMMAND... : a user's command, its wall time and peak RSS
    local name=$1; shift
    read -r seconds rss fds < <(measure "$@")
    echo "$name: $seconds s, $rss MB ($(head -c 200 "$work/out" | head -n 1))" >&2
    record "$name" "$cameras" "$seconds" "$(echo "$cameras / $seconds" | bc)" "$rss" "$fds"
}

reference() {  # reference NAME URLS MODE KIND
    read -r seconds rss fds < <(measure "$work/multi-poll" "$2" "$3" "$4" 1000 10000)
    local rate transfers
    rate=$(sed -E 's/.*"per_second":([0-9]+).*/\1/' "$work/out")
    transfers=$(sed -E 's/.*"transfers":([0-9]+).*/\1/' "$work/out")
    echo "$1: $(cat "$work/out")" >&2
    record "$1" "$transfers" "$seconds" "$rate" "$rss" "$fds"
}

curl_parallel() {  # curl_parallel NAME CONFIG COUNT
    read -r seconds rss fds < <(measure curl --silent --parallel --parallel-max 300 --max-time 10 -K "$2")
    local rate
    rate=$(echo "$3 / $seconds" | bc)
    echo "$1: $3 transfers in $seconds s" >&2
    record "$1" "$3" "$seconds" "$rate" "$rss" "$fds"
}

cat > "$work/city-snapshot.json" <<'JSON'
{ "schema": "xueliang.monitor/1", "name": "city-snapshot", "checks": ["snapshot"], "concurrency": 1000, "every": "15m",
  "thresholds": { "offline_after": 2 } }
JSON
x=("$bin/xueliang" --inventory "$work/Inventory" --state "$work/State")
snapshot_options=(--checks snapshot --concurrency 1000 --timeout 10 --connect-timeout 3)

echo "== the commands users run: snapshot check, 1,000 in flight, healthy city" >&2
start_fleet
sweep "xueliang snapshot" snapshot 10 1000 --no-save
reference "C tuned snapshot" "$work/snapshot.urls" xueliang http
command_row "user: sweep (saves its document)" "${x[@]}" sweep "${snapshot_options[@]}"
command_row "user: sweep --no-save --json --output FILE" "${x[@]}" sweep "${snapshot_options[@]}" --no-save --json --output "$work/sweep.json"
command_row "user: coverage" "${x[@]}" coverage
command_row "user: report --html" "${x[@]}" report --html "$work/report.html"
command_row "user: sweep --monitor (first)" "${x[@]}" sweep --monitor "$work/city-snapshot.json"
command_row "user: sweep --monitor (second)" "${x[@]}" sweep --monitor "$work/city-snapshot.json"
command_row "user: offline --monitor" "${x[@]}" offline --monitor city-snapshot
command_row "user: check --monitor" "${x[@]}" check --monitor city-snapshot
du -sm "$work/State" | awk '{print "state directory after the user rows: " $1 " MB"}' >&2
state_mb=$(du -sm "$work/State" | awk '{print $1}')

echo "== healthy mix" >&2
reference "C defaults snapshot (first $subset)" "$work/snapshot.subset" defaults http
curl_parallel "curl --parallel snapshot (first $subset)" "$work/curl-snapshot.conf" "$subset"
sweep "xueliang rtsp" rtsp 10 1000 --no-save
reference "C tuned rtsp" "$work/rtsp.urls" xueliang rtsp
reference "C defaults rtsp (first $subset)" "$work/rtsp.subset" defaults rtsp
curl_parallel "curl --parallel rtsp OPTIONS (first $subset)" "$work/curl-rtsp.conf" "$subset"

echo "== realistic mix: 85% healthy, 10% blackhole, 5% other faults; 3 s timeout, 2,000 in flight, result saved" >&2
start_fleet --pattern healthy=85,blackhole=10,reset=1,server-error=1,no-video=1,html=1,garbage=1
sweep "xueliang realistic snapshot" snapshot 3 2000

python3 - "$results" "$work/registry.txt" "$cameras" "$state_mb" <<'PY'
import json, re, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
runs = {r[0]: {"targets": int(r[1]), "seconds": float(r[2]), "per_second": float(r[3]), "peak_rss_mb": int(r[4]), "peak_fds": int(r[5])} for r in rows}
registry = open(sys.argv[2]).read()
load = float(re.search(r"load \(parse, build records\)\s*\|\s*([0-9.]+)", registry).group(1))
validate = float(re.search(r"validate \(every rule\)\s*\|\s*([0-9.]+)", registry).group(1))
cameras = int(sys.argv[3])
state_mb = int(sys.argv[4])
def rate(name): return next(v["per_second"] for k, v in runs.items() if k.startswith(name))
ratios = {}
for check in ["snapshot", "rtsp"]:
    x = rate(f"xueliang {check}")
    ratios[f"{check}: xueliang / C tuned"] = x / rate(f"C tuned {check}")
    ratios[f"{check}: xueliang / C defaults"] = x / rate(f"C defaults {check}")
    ratios[f"{check}: xueliang / curl --parallel"] = x / rate(f"curl --parallel {check}")
# curl's CLI can only send RTSP OPTIONS: per camera xueliang makes two requests (OPTIONS, then DESCRIBE
# on a new connection) where curl makes one, so the per-request ratio is the like-for-like one.
ratios["rtsp: xueliang / curl --parallel, per request"] = 2 * rate("xueliang rtsp") / rate("curl --parallel rtsp")
real = runs["xueliang realistic snapshot"]
healthy = round(cameras * 0.85)
blackholed = round(cameras * 0.10)
bound = healthy / rate("xueliang snapshot") + blackholed * 3 / 2000
ratios["realistic: total time / bound"] = real["seconds"] / bound
no_save = runs["xueliang snapshot"]["seconds"]
user = {}
for name, v in runs.items():
    if name.startswith("user: sweep (saves") or name.startswith("user: sweep --no-save --json"):
        user[f"{name[6:]} / sweep --no-save"] = (v["seconds"] / no_save, "<= 1.15")
    elif name.startswith("user: ") and not name.startswith("user: sweep --monitor"):
        user[f"{name[6:]} seconds"] = (v["seconds"], "<= 2")
        user[f"{name[6:]} peak RSS MB"] = (v["peak_rss_mb"], "<= 300")
user["sweep --no-save / C tuned (rate)"] = (rate("xueliang snapshot") / rate("C tuned snapshot"), ">= 1.0")
print()
print(f"the commands users run, {cameras:,}-camera city (ratios within this run):")
for name, (value, target) in user.items():
    print(f"  {name:58} {value:>9.2f}   target {target}")
print(f"  {'state directory after them (MB)':58} {state_mb:>9}")
print()
print(f"{'run':48} {'targets':>8} {'seconds':>8} {'per s':>8} {'RSS MB':>7} {'fds':>6}")
for name, v in runs.items():
    print(f"{name:48} {v['targets']:>8} {v['seconds']:>8.1f} {v['per_second']:>8.0f} {v['peak_rss_mb']:>7} {v['peak_fds']:>6}")
print()
targets = {"snapshot: xueliang / C tuned": ">= 1.0", "rtsp: xueliang / C tuned": ">= 1.0", "realistic: total time / bound": "<= 1.2"}
for name, value in ratios.items():
    target = targets.get(name, ">= 4" if "/" in name else "")
    print(f"{name:48} {value:>8.2f}   target {target}")
print(f"{'inventory load (s)':48} {load:>8.2f}   target <= 2")
print(f"{'validate (s)':48} {validate:>8.2f}   target <= 5")
print(f"{'realistic bound (s)':48} {bound:>8.1f}")
json.dump({"cameras": cameras, "user_facing": {k: {"value": v, "target": t} for k, (v, t) in user.items()}, "state_mb": state_mb,
           "runs": runs, "ratios": ratios, "inventory_load_s": load, "validate_s": validate,
           "realistic_bound_s": bound}, open("Benchmarks/last-run.json", "w"), indent=2, sort_keys=True)
PY
