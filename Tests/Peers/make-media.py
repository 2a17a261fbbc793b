#!/usr/bin/python3
"""Fill DOCROOT with what the nginx peer serves (run with Debian's Python: needs `gi`).

  snapshot.jpg       a real 320x240 JPEG of GStreamer's test pattern (videotestsrc ! jpegenc)
  index.html         a small HTML page
  live/master.m3u8   HLS master playlist (#EXT-X-STREAM-INF -> index.m3u8)
  live/index.m3u8    HLS media playlist, live style (no #EXT-X-ENDLIST): seg0.ts, seg1.ts
  live/seg0.ts, seg1.ts  MPEG-TS: PAT + PMT + null packets, 188-byte packets (no real video:
                         no H.264 encoder is installed)
"""
import os
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402


def jpeg(path):
    Gst.init(None)
    pipe = Gst.parse_launch("videotestsrc num-buffers=1 ! video/x-raw,width=320,height=240"
                            f" ! jpegenc ! filesink location=\"{path}\"")
    pipe.set_state(Gst.State.PLAYING)
    msg = pipe.get_bus().timed_pop_filtered(10 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipe.set_state(Gst.State.NULL)
    if msg is None or msg.type != Gst.MessageType.EOS:
        sys.exit(f"make-media: jpegenc failed: {msg.parse_error() if msg else 'timeout'}")
    data = open(path, "rb").read()
    assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9", "not a JPEG"


def crc32_mpeg(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc


def ts_packet(pid, payload, cc, start):
    head = bytes([0x47, (0x40 if start else 0) | pid >> 8, pid & 0xFF, 0x10 | (cc & 0x0F)])
    return (head + payload).ljust(188, b"\xff")


def psi(pid, table_id, ext_id, body, cc):
    section = bytes([table_id]) + (0xB000 | (len(body) + 9)).to_bytes(2, "big") + \
        ext_id.to_bytes(2, "big") + b"\xc1\x00\x00" + body
    section += crc32_mpeg(section).to_bytes(4, "big")
    return ts_packet(pid, b"\x00" + section, cc, True)


def ts_segment(path, index, packets=20):
    pat = psi(0x0000, 0x00, 1, (1).to_bytes(2, "big") + (0xE000 | 0x1000).to_bytes(2, "big"), index)
    # PMT: PCR PID 0x100, one stream of type 0x06 (PES private data) on PID 0x100
    pmt = psi(0x1000, 0x02, 1, (0xE100).to_bytes(2, "big") + b"\xf0\x00" +
              b"\x06" + (0xE100).to_bytes(2, "big") + b"\xf0\x00", index)
    null = ts_packet(0x1FFF, b"", 0, False)
    with open(path, "wb") as fh:
        fh.write(pat + pmt + null * (packets - 2))


def write(path, text):
    with open(path, "w") as fh:
        fh.write(text)


def main(root):
    os.makedirs(os.path.join(root, "live"), exist_ok=True)
    jpeg(os.path.join(root, "snapshot.jpg"))
    for i in range(2):
        ts_segment(os.path.join(root, "live", f"seg{i}.ts"), i)
    write(os.path.join(root, "live", "index.m3u8"),
          "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
          "#EXTINF:2.000,\nseg0.ts\n#EXTINF:2.000,\nseg1.ts\n")
    write(os.path.join(root, "live", "master.m3u8"),
          "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=150000,RESOLUTION=320x240\nindex.m3u8\n")
    write(os.path.join(root, "index.html"),
          "<!DOCTYPE html>\n<html><head><title>xueliang test camera</title></head>\n"
          "<body><img src=\"/snapshot.jpg\" alt=\"snapshot\"><p><a href=\"/live/master.m3u8\">live</a></p>"
          "</body></html>\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-media.py DOCROOT")
    main(sys.argv[1])
