#!/usr/bin/env bash
# Installs the Debian packages xueliang needs, only those missing. `setup.sh` for building and running;
# `setup.sh --test` adds the real servers the tests start on loopback (nginx, GStreamer's RTSP server) and the
# real JPEG encoders and decoder the picture tests compare with (cjpeg/djpeg; gst-launch-1.0 with jpegenc,
# and plugins-bad for gaussianblur and pnmenc) and the media check's peers (x264enc, x265enc), and the browser
# the report is laid out in (chromium, with a Chinese font);
# `setup.sh --bench` adds ffmpeg too (ffprobe, the media benchmark's anchor; the tests do not need it).
# zlib1g-dev is the inflate and deflate of .xlsx workbooks; the tests read exported workbooks and CSV with
# LibreOffice (libreoffice-calc-nogui: soffice --headless --convert-to), as a person's spreadsheet would.
set -euo pipefail

packages=(libcurl4-openssl-dev zlib1g-dev pkg-config)
if [[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]]; then
    # libjpeg-turbo-progs (djpeg) and GStreamer's tools are the picture decoder's reference and corpus;
    # -ugly gives x264enc, -bad x265enc and gaussianblur (the media check's peers, the blurred test pictures).
    packages+=(nginx-light gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good python3-gi
        libjpeg-turbo-progs gstreamer1.0-tools gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
        chromium fonts-wqy-zenhei libreoffice-calc-nogui)
fi
if [[ "${1:-}" == "--bench" ]]; then
    packages+=(ffmpeg)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install the Swift 6 toolchain first" >&2; exit 69; }
