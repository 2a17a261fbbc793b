#!/usr/bin/env python3
"""Writes docs/examples/demo-catalog.xml: the GB/T 28181 platform's catalog of the demo county, as
WVP-GB28181-pro sends it (one item per MESSAGE, declared GB2312, GB18030 bytes, Name not escaped),
concatenated in one file. It matches the demo registry (Inventory/) except for a few deliberate
differences, so that `xueliang catalog diff` has something to say (docs/catalog.md):

- 3 devices on the platform that are not registered (未建档);
- 4 active cameras missing from the platform (未上报);
- 2 names, 1 CivilCode, 2 positions (about 400 m off, as a GCJ-02 platform would be) and 1 ParentID that differ;
- every camera reported ON: those the demo sweep finds down are the platform's false-online list.

Deterministic. Usage: generate-demo-catalog.py [INVENTORY] [OUTPUT]
"""
import glob
import os
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..")
INVENTORY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Inventory")
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "examples", "demo-catalog.xml")
PLATFORM = "45012800002000000001"
COUNTY = "450128"


def read_cameras():
    cameras = []
    for path in sorted(glob.glob(os.path.join(INVENTORY, "villages", "*.village"))):
        section = None
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if line.startswith("[camera "):
                section = {"id": line[8:-1], "village": os.path.basename(path)[:12]}
                cameras.append(section)
            elif line.startswith("["):
                section = None
            elif section is not None and " = " in line:
                key, value = line.split(" = ", 1)
                section[key] = value
    return cameras


def item(device_id, name, civil=COUNTY, parent=PLATFORM, status="ON", latitude=None, longitude=None, address="",
         manufacturer="", model=""):
    fields = [("DeviceID", device_id), ("Name", name), ("Manufacturer", manufacturer), ("Model", model), ("Owner", "Owner"),
              ("CivilCode", civil), ("Address", address), ("Parental", "0"), ("ParentID", parent), ("SafetyWay", "0"),
              ("RegisterWay", "1"), ("Secrecy", "0"), ("Status", status),
              ("Longitude", longitude or "0.0"), ("Latitude", latitude or "0.0")]
    # WVP writes Name (and the other texts) as they are: a bare & stays bare.
    return "<Item>\r\n" + "".join(f"<{key}>{value}</{key}>\r\n" for key, value in fields) + "</Item>"


def message(serial, total, body):
    return (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Response>\r\n<CmdType>Catalog</CmdType>\r\n<SN>{serial}</SN>\r\n'
            f'<DeviceID>{PLATFORM}</DeviceID>\r\n<SumNum>{total}</SumNum>\r\n<DeviceList Num="1">\r\n{body}\r\n</DeviceList>\r\n</Response>\r\n')


def main():
    cameras = [c for c in read_cameras() if c.get("status") != "retired"]
    public_active = [c for c in cameras if c.get("status") == "active" and c.get("source") == "public" and not c.get("parent")
                     and c["id"][10:13] in ("131", "132")]
    unreported = {c["id"] for c in public_active[5::80][:4]}
    renamed = {public_active[7]["id"]: public_active[7]["name"].replace("1号", "一号").replace("2号", "二号") + "(新)",
               public_active[120]["id"]: public_active[120]["name"] + "&治安卡口"}
    wrong_county = {public_active[200]["id"]}
    moved = {public_active[33]["id"], public_active[250]["id"]}
    channels = [c for c in cameras if c.get("parent")]
    reparented = {channels[0]["id"]: channels[-1]["parent"]} if channels and channels[0]["parent"] != channels[-1]["parent"] else {}

    items = [
        "<Item>\r\n<DeviceID>450128</DeviceID>\r\n<Name>青山县</Name>\r\n</Item>",
        "<Item>\r\n<DeviceID>45012801</DeviceID>\r\n<Name>城关派出所辖区</Name>\r\n</Item>",
        f"<Item>\r\n<DeviceID>{COUNTY}00002150000001</DeviceID>\r\n<Name>雪亮工程&综治中心</Name>\r\n<ParentID>{COUNTY}</ParentID>\r\n</Item>",
        f"<Item>\r\n<DeviceID>{COUNTY}00002160000001</DeviceID>\r\n<Name>重点点位</Name>\r\n"
        f"<ParentID>{COUNTY}00002150000001</ParentID>\r\n</Item>",
    ]
    for camera in cameras:
        if camera["id"] in unreported:
            continue
        name = renamed.get(camera["id"], camera["name"])
        latitude, longitude = camera.get("latitude"), camera.get("longitude")
        if camera["id"] in moved and latitude:
            # About 400 m south-east: the size of a GCJ-02 offset in southern China.
            latitude, longitude = f"{float(latitude) - 0.0025:.6f}", f"{float(longitude) + 0.0028:.6f}"
        civil = "450127" if camera["id"] in wrong_county else COUNTY
        parent = reparented.get(camera["id"], camera.get("parent", PLATFORM))
        items.append(item(camera["id"], name, civil=civil, parent=parent, latitude=latitude, longitude=longitude,
                          address=camera.get("address", ""), manufacturer=camera.get("manufacturer", ""),
                          model=camera.get("model", "")))
    # On the platform, never registered: a new dome camera, a shop's camera, an NVR channel of the platform's own.
    items.append(item(f"{COUNTY}02001320000901", "青山村新装球机", latitude="22.6005", longitude="108.1005", address="青山镇青山村文化楼"))
    items.append(item(f"{COUNTY}02011320500901", "龙头村黄&李记商铺", latitude="22.6095", longitude="108.1115", address="青山镇龙头村街口"))
    items.append(item(f"{COUNTY}03001320000902", "龙泉村镕铸厂路口", status="OFF", address="龙泉镇龙泉村"))

    text = "".join(message(1, len(items), body) for body in items)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "wb") as f:
        f.write(text.encode("gb18030"))
    print(f"wrote {len(items)} items to {OUTPUT}: {len(unreported)} cameras left out, {len(renamed)} renamed, "
          f"{len(moved)} moved, {len(wrong_county)} in another county, {len(reparented)} re-parented, 3 unregistered")


main()
