import Registry

/// A city-sized registry: `cameraCount` cameras over `villageCount` villages in a few counties, every
/// endpoint on its own 127.x.y.z address (served by camera-fleet), written in the inventory format.
struct CityGenerator {
    var villageCount = 1_821
    var cameraCount = 200_000
    var httpPort = 18080
    var rtspPort = 18554

    /// Writes the inventory under `directory` (which must not exist yet).
    func write(to directory: String) throws {
        let store = InventoryStore(directory: directory)
        try store.initialize()
        let perVillage = cameraCount / villageCount
        var extra = cameraCount % villageCount
        var cameraIndex = 0
        for villageIndex in 0..<villageCount {
            let county = 450100 + (villageIndex / 400) * 2 + 2          // 450102, 450104, …
            let township = 101 + (villageIndex % 400) / 20              // 20 villages a township
            let villageNumber = 201 + villageIndex % 20
            let code = try VillageCode.parse("\(county)\(township)\(villageNumber)").get()
            let village = Village(code: code, name: "村\(villageIndex)", kind: .village, township: "镇\(township)",
                                  station: "派出所\(township)", keyPoints: [KeyPoint(id: "entrance", name: "村口"), KeyPoint(id: "school", name: "学校")])
            var cameras: [CameraRecord] = []
            let count = perVillage + (extra > 0 ? 1 : 0)
            if extra > 0 { extra -= 1 }
            for local in 0..<count {
                let serial = String(cameraIndex + 1).leftPadded(to: 6)
                var camera = CameraRecord(id: "\(county)0100132\(1)\(serial)", name: "点位\(local)", village: code, source: local % 5 == 4 ? .citizen : .public, status: .active)
                camera.id = "\(county)01" + "00" + "132" + "1" + serial
                let address = Self.address(cameraIndex)
                camera.latitude = 22.5 + Double(villageIndex) * 0.0003
                camera.longitude = 108.1 + Double(local) * 0.0003
                camera.address = "镇\(township)村\(villageIndex)\(local)号"
                camera.station = village.station
                camera.maintainer = "运维公司\(villageIndex % 7)"
                camera.installedOn = CalendarDate(year: 2023, month: 1 + local % 12, day: 1 + local % 28)
                camera.covers = local < 2 ? [local == 0 ? "entrance" : "school"] : []
                camera.endpoints.snapshot = "http://\(address):\(httpPort)/snapshot.jpg"
                camera.endpoints.rtsp = "rtsp://\(address):\(rtspPort)/stream"
                if camera.source == .citizen {
                    camera.citizen = CitizenDetails(owner: "机主\(cameraIndex)", phone: "138\(String(cameraIndex).leftPadded(to: 8))",
                                                    consentScope: [.live], consentUntil: CalendarDate(year: 2030, month: 12, day: 31),
                                                    reviewer: "审核人", reviewedOn: CalendarDate(year: 2025, month: 1, day: 1), viewClear: true, signage: true)
                }
                cameras.append(camera)
                cameraIndex += 1
            }
            try AtomicWrite.write(VillageFile.render(village, cameras: cameras), to: store.path(of: code))
        }
    }

    /// Camera n's own loopback address: 127.1.0.1 onwards, skipping .0 and .255.
    static func address(_ index: Int) -> String {
        let hostsPerBlock = 254
        let third = index / hostsPerBlock
        return "127.\(1 + third / 256).\(third % 256).\(1 + index % hostsPerBlock)"
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
