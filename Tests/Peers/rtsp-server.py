#!/usr/bin/python3
"""Real RTSP peer for integration tests: GStreamer's RTSP server on loopback.

  /stream  live MJPEG test pattern (RTP/JPEG, pt 26), open to anyone
  /secure  the same, behind RTSP Basic auth (--username / --password)
  /h264    live H.264, 640x360, 25 fps, a keyframe every 50 frames (x264enc)
  /h265    live H.265, 320x240, 25 fps, a keyframe every 50 frames (x265enc)
  /digest  the H.264 stream behind RTSP Digest auth (same credentials)
  /stall   H.264 whose source stops after 10 frames; the session stays open
  /longgop H.264 with a keyframe every 1000 frames, joined after its first
           keyframe (the first 5 frames are dropped): no keyframe for 40 s
  /dies    H.264 whose server process kills itself (SIGKILL) after 20 frames
  /silent  H.264 whose RTP stops after its first packet: DESCRIBE, SETUP and
           PLAY answer, then no frame ever comes (an encoder that hung)

Run with Debian's Python (/usr/bin/python3): it has the `gi` bindings.
With --extra-ports N, N more servers on other free ports serve the same mounts (the
same shared pipelines), so that a client can hold one stream per host:port; the
ready file and stdout then hold every port on one line, the first one first.

When listening, writes the bound port (plus a newline) to --ready-file
(temp file + rename, so a reader never sees a partial file) and prints it
on stdout. Exits 0 on SIGTERM / SIGINT.
"""
import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = ("( videotestsrc is-live=1 ! video/x-raw,format=I420,width=320,height=240,framerate=5/1"
            " ! jpegenc ! rtpjpegpay name=pay0 pt=26 )")


def h264(width=640, height=360, keyframe_every=50):
    return (f"( videotestsrc name=source is-live=1 ! video/x-raw,width={width},height={height},framerate=25/1"
            f" ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={keyframe_every} bitrate=512"
            " ! identity name=encoded ! rtph264pay name=pay0 pt=96 config-interval=1 )")


H265 = ("( videotestsrc is-live=1 ! video/x-raw,width=320,height=240,framerate=25/1"
        " ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max=50 bitrate=256"
        " ! rtph265pay name=pay0 pt=96 config-interval=1 )")


def counting_probe(element_name, act):
    """A media-configure handler that calls act(n) for the n-th buffer leaving `element_name`;
    act returns whether that buffer passes."""
    def configure(_factory, media):
        pad = media.get_element().get_by_name(element_name).get_static_pad("src")
        seen = [0]

        def probe(_pad, _info):
            seen[0] += 1
            return Gst.PadProbeReturn.OK if act(seen[0]) else Gst.PadProbeReturn.DROP
        # Payloaders push buffer lists: both kinds count (a list as one).
        pad.add_probe(Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST, probe)
    return configure


def die_after(frames):
    def act(n):
        if n > frames:
            os.kill(os.getpid(), signal.SIGKILL)
        return True
    return act


def factory(anonymous_may_play, launch=PIPELINE, shared=True, configure=None):
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch(launch)
    f.set_shared(shared)
    if configure:
        f.connect("media-configure", configure)
    # "access" false would make the mount answer 404; access without
    # "construct" makes the server answer 401 with a Basic challenge.
    for role, play in (("user", True), ("anonymous", anonymous_may_play)):
        f.add_role_from_structure(Gst.Structure.new_from_string(
            f"{role}, media.factory.access=(boolean)true, media.factory.construct=(boolean){str(play).lower()}"))
    return f


def token(role):
    t = GstRtspServer.RTSPToken()
    t.set_string("media.factory.role", role)
    return t


def write_ready(path, port):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(f"{port}\n")
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default)")
    p.add_argument("--ready-file", help="file that receives the bound port once listening")
    p.add_argument("--username", default="user")
    p.add_argument("--password", default="pass")
    p.add_argument("--extra-ports", type=int, default=0, help="more servers on free ports, same mounts (default 0)")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="exit when the parent process goes away (checked every 0.5 s)")
    a = p.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))

    auth = GstRtspServer.RTSPAuth()
    auth.set_default_token(token("anonymous"))   # what an unauthenticated client gets
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.username, a.password), token("user"))
    auth.add_digest(a.username, a.password, token("user"))
    server.set_auth(auth)

    mounts = server.get_mount_points()
    mounts.add_factory("/stream", factory(anonymous_may_play=True))
    mounts.add_factory("/secure", factory(anonymous_may_play=False))
    if Gst.ElementFactory.find("x264enc"):
        mounts.add_factory("/h264", factory(True, h264()))
        digest = factory(False, h264())
        mounts.add_factory("/digest", digest)
        # Not shared: each client gets its own pipeline, so the frame counts start at its PLAY.
        mounts.add_factory("/stall", factory(True, h264(), shared=False,
                                             configure=counting_probe("source", lambda n: n <= 10)))
        mounts.add_factory("/longgop", factory(True, h264(keyframe_every=1000), shared=False,
                                               configure=counting_probe("encoded", lambda n: n > 5)))
        mounts.add_factory("/dies", factory(True, h264(), shared=False, configure=counting_probe("source", die_after(20))))
        # One pipeline per client, whose first packet passes (the server needs one to learn the caps that
        # DESCRIBE describes) and nothing after it. A shared pipeline would need a packet again whenever
        # its last client left.
        mounts.add_factory("/silent", factory(True, h264(320, 240), shared=False, configure=counting_probe("pay0", lambda n: n <= 1)))
    if Gst.ElementFactory.find("x265enc"):
        mounts.add_factory("/h265", factory(True, H265))

    if server.attach(None) == 0:   # binds and listens; 0 = failure
        print(f"rtsp-server: cannot listen on 127.0.0.1:{a.port}", file=sys.stderr)
        return 1
    port = server.get_bound_port()
    ports = [port]
    for _ in range(a.extra_ports):
        extra = GstRtspServer.RTSPServer()
        extra.set_address("127.0.0.1")
        extra.set_service("0")
        extra.set_auth(auth)
        extra.set_mount_points(mounts)
        if extra.attach(None) == 0:
            print("rtsp-server: cannot listen on another port", file=sys.stderr)
            return 1
        ports.append(extra.get_bound_port())
    port = " ".join(str(p) for p in ports)

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, lambda *_: (loop.quit(), False)[1])
    if a.exit_with_parent:
        ppid = os.getppid()
        GLib.timeout_add(500, lambda: (loop.quit(), False)[1] if os.getppid() != ppid else True)

    def ready():
        if a.ready_file:
            write_ready(a.ready_file, port)
        print(port, flush=True)
        return False

    GLib.idle_add(ready)
    loop.run()
    if a.ready_file:
        try:
            os.unlink(a.ready_file)
        except FileNotFoundError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
