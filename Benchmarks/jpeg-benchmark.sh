#!/usr/bin/env bash
# JPEG decoding benchmark (issue 15): PictureQuality's DC decoder against libjpeg-turbo at scale 1/8, on
# the same 1080p snapshots, one core each, in one run. Not a test; not run by CI.
#
#   Benchmarks/jpeg-benchmark.sh [ROUNDS]        (default 20 rounds over the corpus)
#
# The corpus: GStreamer test patterns and noise at 1920x1080, encoded by cjpeg as camera snapshots are
# (4:2:0 at qualities 75-90, some progressive, some with restart intervals) and by GStreamer's jpegenc.
# Prints MB of JPEG per second for each decoder and the ratio. The two in-process figures are per second of
# the process's CPU time (a shared machine's waiting is not counted); djpeg's, run per file, of wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
work=$(mktemp -d /tmp/xueliang-jpeg-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

scripts/setup.sh --test
[[ -f /usr/include/jpeglib.h ]] || { echo "needs libjpeg-turbo's headers: apt-get install libjpeg62-turbo-dev" >&2; exit 69; }
swift build -c release --product jpeg-benchmark >/dev/null
cc -O2 -o "$work/djpeg-scaled" Benchmarks/c-reference/djpeg-scaled.c -ljpeg

frame() {  # frame PATTERN NAME: one 1920x1080 PPM of a videotestsrc pattern
    gst-launch-1.0 -q videotestsrc num-buffers=1 pattern="$1" ! video/x-raw,format=RGB,width=1920,height=1080 \
        ! pnmenc ! filesink location="$work/$2.ppm"
}
frame smpte smpte; frame zone-plate zoneplate; frame snow snow; frame pinwheel pinwheel; frame ball ball
# A noisy picture is what a real camera's sensor gives; snow alone is too noisy (600 KB at quality 75),
# so the textured scenes are its blend with a smooth pattern.
gst-launch-1.0 -q videotestsrc num-buffers=1 pattern=snow ! video/x-raw,format=RGB,width=1920,height=1080 \
    ! videobalance contrast=0.15 ! pnmenc ! filesink location="$work/grain.ppm"
for scene in smpte zoneplate pinwheel ball grain; do
    cjpeg -quality 80 -outfile "$work/$scene-q80.jpg" "$work/$scene.ppm"
done
cjpeg -quality 75 -outfile "$work/snow-q75.jpg" "$work/snow.ppm"
cjpeg -quality 90 -progressive -outfile "$work/grain-progressive.jpg" "$work/grain.ppm"
cjpeg -quality 85 -progressive -outfile "$work/zoneplate-progressive.jpg" "$work/zoneplate.ppm"
cjpeg -quality 85 -restart 1 -outfile "$work/grain-restart.jpg" "$work/grain.ppm"
gst-launch-1.0 -q videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=1920,height=1080 \
    ! jpegenc quality=85 ! filesink location="$work/smpte-jpegenc.jpg"
files=("$work"/*.jpg)
bytes=$(cat "${files[@]}" | wc -c)
echo "corpus: ${#files[@]} files of 1920x1080, $((bytes / 1024)) KiB, $rounds rounds"

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }
swift_line=$(taskset -c 0 .build/release/jpeg-benchmark "$rounds" "${files[@]}")
c_line=$(taskset -c 0 "$work/djpeg-scaled" "$rounds" "${files[@]}")
# djpeg itself, one process per file as a shell would run it: start-up and file I/O included.
started=$(date +%s.%N)
for ((round = 0; round < rounds; round++)); do
    for file in "${files[@]}"; do taskset -c 0 djpeg -scale 1/8 -outfile /dev/null "$file"; done
done
ended=$(date +%s.%N)

swift_rate=$(field megabytes_per_second <<<"$swift_line")
c_rate=$(field megabytes_per_second <<<"$c_line")
djpeg_rate=$(awk -v b="$bytes" -v r="$rounds" -v s="$started" -v e="$ended" 'BEGIN { printf "%.1f", b * r / 1e6 / (e - s) }')
printf '%-44s %8.1f MB/s\n' "PictureQuality JPEGDCDecoder (DC + AC energy)" "$swift_rate"
printf '%-44s %8.1f MB/s\n' "libjpeg-turbo at scale 1/8, in process" "$c_rate"
printf '%-44s %8.1f MB/s\n' "djpeg -scale 1/8, one process per file" "$djpeg_rate"
awk -v s="$swift_rate" -v c="$c_rate" -v d="$djpeg_rate" \
    'BEGIN { printf "ratio: %.2fx libjpeg-turbo in process, %.2fx djpeg processes (target >= 0.7x)\n", s / c, s / d }'

echo "per file (MB/s, PictureQuality / libjpeg-turbo in process):"
for file in "${files[@]}"; do
    one=$(field megabytes_per_second <<<"$(taskset -c 0 .build/release/jpeg-benchmark "$rounds" "$file")")
    reference=$(field megabytes_per_second <<<"$(taskset -c 0 "$work/djpeg-scaled" "$rounds" "$file")")
    awk -v n="$(basename "$file")" -v k="$(( $(wc -c <"$file") / 1024 ))" -v s="$one" -v c="$reference" \
        'BEGIN { printf "  %-28s %5d KiB %7.1f %7.1f  %.2fx\n", n, k, s, c, s / c }'
done
