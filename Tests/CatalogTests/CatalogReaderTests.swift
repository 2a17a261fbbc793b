import Workbook
import Foundation
import Registry
import Testing
@testable import Catalog

/// Catalog files as platforms write them: what is read, collected and skipped.
@Suite struct CatalogReaderTests {
    @Test func readsWVPMessagesDeclaredGB2312WithGB18030CharactersAndBareAmpersands() throws {
        let catalog = try CatalogReader.read(paths: CatalogFixtures.wvpFiles)
        #expect(catalog.files.count == 7)
        #expect(catalog.files.allSatisfy { $0.encoding == "GB18030" || $0.encoding == "UTF-8" })
        #expect(catalog.files.allSatisfy { $0.declaredEncoding == "GB2312" })
        // The message whose name holds 镕 (GBK) and 𠀀 (GB18030 only) is not UTF-8.
        #expect(catalog.files[6].encoding == "GB18030")
        #expect(catalog.device(id: "45012801001320000007")?.name == "龙头路口镕𠀀")
        #expect(catalog.device(id: "45012801001320000010")?.name == "青山村李&王商铺")
        #expect(catalog.device(id: "45012801001320000010")?.address == "青山镇青山村主街&2号")
        #expect(catalog.answers == [PlatformCatalog.Answer(platformID: "45012800002000000001", serialNumber: "17", sumNum: 7, received: 7, messages: 7)])
        #expect(catalog.incompleteAnswers.isEmpty)
        #expect(catalog.devices.map(\.deviceID) == ["45012801001320000001", "45012801001320000002", "45012801001320000005",
                                                    "45012801001320000007", "45012801001320000010"])
        #expect(catalog.skipped == [.administrativeRegion: 1, .businessGroup: 1])
        let channel = try #require(catalog.device(id: "45012801001320000002"))
        #expect(channel.parentID == "45012801001181000008" && channel.status == "OFF" && !channel.isReportedOnline)
        #expect(channel.latitude == 22.802 && channel.longitude == 108.3 && channel.civilCode == "450128")
        #expect(channel.file.hasSuffix("catalog-sn17-3.xml") && channel.line == 8, "the line of its <Item>")
    }

    @Test func readsConcatenatedUTF8ResponsesWithEntitiesCDATAAndLowerCaseItems() throws {
        let file = try CatalogReader.read(path: CatalogFixtures.concatenatedFile)
        #expect(file.encoding == "UTF-8" && file.declaredEncoding == "UTF-8")
        #expect(file.responses.count == 2)
        #expect(file.otherMessages == 1, "the keep-alive between them")
        let first = try #require(file.responses.first?.items.first)
        #expect(first.name == "东门社区<南>门")
        #expect(first.address == "东门社区 <南门> & 广场")
        #expect(first.status == "ONLINE" && first.isReportedOnline)
        let second = try #require(file.responses.last?.items.first)
        #expect(second.name == "东门社区二号 \"西'")
        #expect(second.isReportedOnline, "on, in any case")
        #expect(second.latitude == nil && second.longitude == nil, "0,0 is WVP's unknown position")
        let catalog = PlatformCatalog(files: [file])
        #expect(catalog.incompleteAnswers == [PlatformCatalog.Answer(platformID: "45012800002000000001", serialNumber: "18", sumNum: 3,
                                                                     received: 2, messages: 2)])
    }

    @Test func aDeviceListedAgainIsTakenOnceFromTheLastFile() throws {
        let renamed = String(decoding: CatalogFixtures.bytes(CatalogFixtures.concatenatedFile), as: UTF8.self)
            .replacingOccurrences(of: "<SN>18</SN>", with: "<SN>20</SN>").replacingOccurrences(of: "东门社区&lt;南&gt;门", with: "新名字")
        let older = try CatalogReader.parse(CatalogFixtures.bytes(CatalogFixtures.concatenatedFile), path: "old.xml")
        let newer = try CatalogReader.parse(Array(renamed.utf8), path: "new.xml")
        let catalog = PlatformCatalog(files: [older, newer])
        #expect(catalog.device(id: "45012801001320000011")?.name == "新名字")
        #expect(catalog.device(id: "45012801001320000011")?.file == "new.xml")
        #expect(catalog.repeated == 2)
        #expect(catalog.answers.map(\.serialNumber) == ["18", "20"])
    }

    @Test(arguments: [
        ("45012800002000000001", CatalogSkipReason.notVideoDevice), ("45012801001340000001", .notVideoDevice),
        ("45012800002150000001", .businessGroup), ("45012800002160000001", .virtualOrganisation),
        ("45", .administrativeRegion), ("45012801", .administrativeRegion), ("", .noDeviceID),
    ])
    func skipsWhatIsNotAVideoDevice(id: String, reason: CatalogSkipReason) {
        #expect(CatalogItem(file: "f", line: 1, deviceID: id).skipReason == reason)
    }

    @Test(arguments: ["45012801001320000001", "45012801001181000009", "45012801001310000001", "4501280100132000000X"])
    func keepsVideoDevicesAndMalformedCodes(id: String) {
        #expect(CatalogItem(file: "f", line: 1, deviceID: id).skipReason == nil)
    }

    @Test func entitiesResolveAndBareAmpersandsStay() {
        let cases: [(String, String)] = [
            ("A&B", "A&B"), ("A&amp;B", "A&B"), ("&lt;&gt;&quot;&apos;", "<>\"'"), ("&#26449;&#x53E3;", "村口"),
            ("&#0;", "&#0;"), ("&#x110000;", "&#x110000;"), ("&#xD800;", "&#xD800;"), ("&unknown;", "&unknown;"), ("&", "&"),
            ("&amp", "&amp"), ("a & b &amp; c", "a & b & c"),
        ]
        for (text, expected) in cases {
            #expect(String(decoding: XMLEntities.resolving(ArraySlice(text.utf8)), as: UTF8.self) == expected, "\(text)")
        }
    }

    @Test func controlCharactersInNamesBecomeSpaces() throws {
        let body = "<?xml version=\"1.0\"?><Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>45012800002000000001</DeviceID>"
            + "<SumNum>1</SumNum><DeviceList><Item><DeviceID>45012801001320000001</DeviceID><Name>村口\u{1B}[2J球机</Name></Item></DeviceList></Response>"
        let file = try CatalogReader.parse(Array(body.utf8), path: "escape.xml")
        #expect(file.responses[0].items[0].name == "村口 [2J球机")
    }
}
