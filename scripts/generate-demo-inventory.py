#!/usr/bin/env python3
"""Writes the bundled demo inventory: one fictional county, 4 townships, 40 villages/communities,
about 400 cameras (public and citizen, NVR channels, pending citizen cameras, a few deliberately
incomplete records). Every endpoint is on 127.0.0.0/8, served by the camera-fleet simulator
(HTTP on port 18080, RTSP on 18554; cameras tagged sim:refused point at port 18555 where nothing listens).
One camera answers DESCRIBE but sends no video (sim:media-none): only the media check flags it.

Deterministic: running it twice writes the same files. Usage: generate-demo-inventory.py [DIR]
"""
import os
import random
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Inventory")
COUNTY = "450128"  # the fictional 青山县 of this demo
HTTP, RTSP, CLOSED = 18080, 18554, 18555
rng = random.Random(28181)

TOWNSHIPS = [
    ("001", "城关街道", "城关派出所", "community", ["东门", "南湖", "新华", "建设", "文昌", "朝阳", "和平", "振兴", "光明", "团结"]),
    ("101", "青山镇", "青山派出所", "village", ["青山", "龙头", "石塘", "大岭", "那坡", "六合", "平安", "长岗", "新村", "坡头"]),
    ("102", "龙泉镇", "龙泉派出所", "village", ["龙泉", "古楼", "水口", "上林", "下林", "板桥", "那桐", "黄冈", "三江", "连塘"]),
    ("201", "石门乡", "石门派出所", "village", ["石门", "岩脚", "山口", "木棉", "竹林", "凤凰", "白沙", "红岩", "金鸡", "云岭"]),
]
MAINTAINERS = ["青山县联通运维中心", "广西某安防工程公司", "青山县移动政企部"]
BUILDERS = ["青山县公安局", "青山县综治中心"]
SURNAMES = "陈李黄韦蒙梁覃农罗莫"
POINT_NAMES = [("entrance", "村口"), ("school", "学校门口"), ("crossing", "主路口"), ("office", "村委会"), ("market", "集市")]
DIRECTIONS = ["east", "west", "south", "north", "northeast", "northwest", "southeast", "southwest"]
# Behaviours for the simulator, by tag; most cameras are healthy.
FAULTS = ["sim:blackhole"] * 4 + ["sim:refused"] * 2 + ["sim:frozen"] * 3 + ["sim:no-video"] * 2 + \
         ["sim:server-error"] * 2 + ["sim:reset", "sim:html", "sim:truncated-jpeg", "sim:clock-skew", "sim:slow"]


def write_village(path, village, keypoints, cameras):
    lines = ["# xueliang inventory: one village or community and its cameras (docs/inventory-format.md)",
             "format = xueliang.village/1", "", "[village]"]
    for key in ["code", "name", "kind", "township", "station"]:
        lines.append(f"{key} = {village[key]}")
    for kp in keypoints:
        lines += ["", f"[keypoint {kp['id']}]", f"name = {kp['name']}",
                  f"latitude = {kp['lat']}", f"longitude = {kp['lon']}"]
    order = ["name", "source", "status", "latitude", "longitude", "address", "direction", "position_type", "station",
             "manufacturer", "model", "builder", "maintainer", "installed", "covers", "parent", "tags", "rtsp",
             "snapshot", "hls", "onvif", "tcp", "credential", "tls_verify", "owner", "phone", "consent_scope",
             "consent_until", "reviewer", "reviewed_on", "view_clear", "signage"]
    for cam in sorted(cameras, key=lambda c: c["id"]):
        lines += ["", f"[camera {cam['id']}]"]
        lines += [f"{key} = {cam[key]}" for key in order if cam.get(key) not in (None, "")]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def coordinate(value):
    return f"{value:.6f}".rstrip("0").rstrip(".")


def main():
    os.makedirs(os.path.join(OUT, "villages"), exist_ok=True)
    serial = {"public": 0, "citizen": 0}
    village_index = 0
    incomplete_left = ["maintainer", "address", "latitude", "installed"]
    # Chosen after the random faults (drawing nothing from rng), so the other cameras stay as they were.
    lapsed_left = 1
    media_none_left = 1
    for t_index, (tcode, tname, station, kind, names) in enumerate(TOWNSHIPS):
        unit = f"{t_index + 1:02d}"
        for v in range(10):
            village_index += 1
            number = (v + 1) if kind == "community" else 200 + v + 1
            code = f"{COUNTY}{tcode}{number:03d}"
            vname = names[v] + ("社区" if kind == "community" else "村")
            base_lat = 22.6 + t_index * 0.11 + v * 0.009
            base_lon = 108.1 + t_index * 0.07 + v * 0.011
            keypoints = [{"id": pid, "name": pname, "lat": coordinate(base_lat + i * 0.001), "lon": coordinate(base_lon + i * 0.001)}
                         for i, (pid, pname) in enumerate(POINT_NAMES[: 2 + (v % 3)])]
            village = {"code": code, "name": vname, "kind": kind, "township": tname, "station": station}
            cameras = []
            # The last village of 石门乡 has no camera yet: a registry gap for the coverage figures.
            count = 0 if (tcode == "201" and v == 9) else 8 + (v * 7) % 6
            has_nvr = v % 4 == 1
            nvr_id = None
            if has_nvr:
                serial["public"] += 1
                nvr_id = f"{COUNTY}{unit}00118{1}{serial['public']:06d}"
                cameras.append({
                    "id": nvr_id, "name": f"{vname}监控中心NVR", "source": "public", "status": "active",
                    "latitude": coordinate(base_lat), "longitude": coordinate(base_lon), "address": f"{tname}{vname}村委会机房",
                    "station": station, "manufacturer": "海康威视", "model": "DS-7816N", "builder": BUILDERS[0],
                    "maintainer": MAINTAINERS[t_index % 3], "installed": "2021-09-15",
                    "tcp": f"127.20.{village_index}.200:{RTSP}",
                })
            for c in range(count):
                citizen = c >= count - 2 - (v % 2)
                source = "citizen" if citizen else "public"
                serial[source] += 1
                ip = f"127.20.{village_index}.{c + 1}"
                type_code = "132" if c % 3 else "131"
                industry = "01" if citizen else "00"
                cid = f"{COUNTY}{unit}{industry}{type_code}{1}{serial[source] + (500000 if citizen else 0):06d}"
                point = POINT_NAMES[c % len(keypoints)]
                cam = {
                    "id": cid, "name": f"{vname}{point[1]}{c + 1}号", "source": source, "status": "active",
                    "latitude": coordinate(base_lat + c * 0.0004), "longitude": coordinate(base_lon + c * 0.0004),
                    "address": f"{tname}{vname}{point[1]}", "direction": DIRECTIONS[c % 8],
                    "position_type": "10" if point[0] == "crossing" else "8" if point[0] == "school" else "9",
                    "station": station, "manufacturer": "海康威视" if c % 2 else "大华", "model": "DS-2CD3T46" if c % 2 else "IPC-HFW2433",
                    "builder": BUILDERS[c % 2] if not citizen else "", "maintainer": MAINTAINERS[(t_index + c) % 3],
                    "installed": f"20{21 + c % 4}-{1 + c % 12:02d}-{10 + c % 15:02d}",
                    "covers": point[0] if c < len(keypoints) + 2 else "",
                    "rtsp": f"rtsp://{ip}:{RTSP}/stream", "snapshot": f"http://{ip}:{HTTP}/snapshot.jpg",
                }
                if c % 5 == 0:
                    cam["hls"] = f"http://{ip}:{HTTP}/live/index.m3u8"
                if c % 4 == 0 and not citizen:
                    cam["onvif"] = f"http://{ip}:{HTTP}/onvif/device_service"
                if has_nvr and 2 <= c <= 5 and not citizen:
                    # NVR channels share the recorder's address.
                    nvr_ip = f"127.20.{village_index}.200"
                    cam["parent"] = nvr_id
                    cam["rtsp"] = f"rtsp://{nvr_ip}:{RTSP}/ch{c - 1}"
                    cam["snapshot"] = f"http://{nvr_ip}:{HTTP}/ch{c - 1}/snapshot.jpg"
                    cam.pop("hls", None)
                    cam.pop("onvif", None)
                if c % 6 == 1:
                    cam["credential"] = "demo-digest"
                    cam["tags"] = "sim:auth-digest"
                if citizen:
                    surname = SURNAMES[(village_index + c) % len(SURNAMES)]
                    cam.update({
                        "name": f"{vname}{surname}记商铺{c + 1}号", "owner": f"{surname}某某",
                        "phone": f"1{3 + c % 6}{rng.randrange(10**8, 10**9)}", "consent_scope": "live, playback" if c % 2 else "live",
                        "consent_until": f"20{28 + v % 3}-12-31", "reviewer": "王警官", "reviewed_on": "2025-06-0" + str(1 + v % 9),
                        "view_clear": "yes", "signage": "yes", "covers": "",
                    })
                    cam.pop("onvif", None)
                    cam.pop("credential", None)
                    cam.pop("tags", None)
                    if v % 5 == 3:
                        # Awaiting review: no review yet, so it cannot be active.
                        cam.update({"status": "pending", "reviewer": "", "reviewed_on": "", "view_clear": "", "signage": ""})
                    if v == 7 and t_index == 2:
                        cam.update({"status": "pending", "consent_until": "2025-12-31"})
                if rng.random() < 0.06 and cam["status"] == "active" and not cam.get("parent"):
                    fault = rng.choice(FAULTS)
                    cam["tags"] = fault
                    cam.pop("credential", None)
                    if fault == "sim:refused":
                        cam["rtsp"] = cam["rtsp"].replace(f":{RTSP}/", f":{CLOSED}/")
                        cam["snapshot"] = cam["snapshot"].replace(f":{HTTP}/", f":{CLOSED}/")
                        cam.pop("hls", None)
                        cam.pop("onvif", None)
                if media_none_left and cam["status"] == "active" and not citizen and not cam.get("tags") and not cam.get("parent"):
                    cam["tags"] = "sim:media-none"
                    media_none_left -= 1
                if incomplete_left and not citizen and c == 6 and v % 3 == 2:
                    # A deliberately incomplete record, so that validate has something to say.
                    cam[incomplete_left.pop(0)] = ""
                if citizen and v == 7 and t_index == 2 and lapsed_left:
                    # Kept in service after its consent ran out: not probed, listed for renewal with its owner.
                    # Set after the faults are drawn, so the other records stay as they were.
                    cam["status"] = "active"
                    lapsed_left -= 1
                cameras.append(cam)
            write_village(os.path.join(OUT, "villages", f"{code}.village"), village, keypoints, cameras)
    print(f"wrote {village_index} villages, {serial['public']} public and {serial['citizen']} citizen records to {OUT}")


main()
