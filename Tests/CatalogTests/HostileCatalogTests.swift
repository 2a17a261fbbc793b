import Foundation
import Glibc
import Registry
import Testing
import TestSupport
@testable import Catalog

/// Catalog files that are broken or hostile: never a crash, always a typed error naming the file and the place.
@Suite struct HostileCatalogTests {
    static let wellFormed = String(decoding: CatalogFixtures.bytes(CatalogFixtures.concatenatedFile), as: UTF8.self)

    /// The error `parse` throws for `text`, or nil.
    func error(_ text: String, path: String = "hostile.xml") -> CatalogError? {
        error(bytes: Array(text.utf8), path: path)
    }

    func error(bytes: [UInt8], path: String = "hostile.xml") -> CatalogError? {
        do {
            _ = try CatalogReader.parse(bytes, path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyCutOfAWellFormedFileIsATypedErrorOrAShorterCatalog() {
        let bytes = Array(Self.wellFormed.utf8)
        var errors = 0
        for length in stride(from: 0, to: bytes.count, by: 7) {
            let cut = Array(bytes.prefix(length))
            guard String(validating: cut, as: UTF8.self) != nil else { continue }
            if let error = error(bytes: cut) {
                errors += 1
                #expect(error.path == "hostile.xml")
                #expect(error.description.hasPrefix("hostile.xml"), "\(error)")
            }
        }
        #expect(errors > 100)
    }

    @Test(arguments: [
        ("<Response><CmdType>Catalog</CmdType><DeviceList><Item><Name>村口", 1, "<response> opened here is never closed"),
        ("<?xml version=\"1.0\"?>\n<Response>\n<CmdType>Catalog</CmdType>\n<DeviceList>\n<Item>\n<Name>村口</Name", 6, "cut off"),
        ("<?xml version=\"1.0\"?>\n<Response>\n<CmdType>Catalog</CmdType>\n<!-- never closed", 4, "comment opened here is cut off"),
        ("<Response>\n<Name><![CDATA[abc</Name></Response>", 2, "CDATA section opened here is cut off"),
        ("<Response>\n<Name attr=\"open></Name></Response>", 2, "the tag <name> opened here is cut off"),
        ("<Response>\n<CmdType>Catalog</SN>\n</Response>", 2, "</sn> closes <cmdtype>, opened on line 2"),
        ("</Response>", 1, "</response> closes no open element"),
        ("<Response>\n<Item =x></Item></Response>", 2, "unexpected character '='"),
        ("<Response>\n</ Response>", 2, "'</' is not followed by an element name"),
        ("<Response><CmdType>Keepalive</CmdType></Response>", 0, "no <Response> with <CmdType>Catalog</CmdType> in it (1 other message)"),
        ("", 0, "no <Response> with <CmdType>Catalog</CmdType> in it"),
    ])
    func brokenMarkupNamesTheLine(text: String, line: Int, message: String) throws {
        let error = try #require(self.error(text))
        #expect(error.description.contains(message), "\(error)")
        if line > 0 { #expect(error.description.hasPrefix("hostile.xml:\(line):"), "\(error)") }
    }

    @Test func deeplyNestedJunkStopsAtTheDepthLimit() throws {
        let text = "<Response>\n" + String(repeating: "<a>", count: 1_000_000)
        let error = try #require(self.error(text))
        #expect(error.description == "hostile.xml:2: elements are nested more than 32 deep")
    }

    @Test func aHugeTextOrNameIsRefusedNotKept() throws {
        let text = "<Response><CmdType>Catalog</CmdType>\n<Name>" + String(repeating: "村", count: 2_000) + "</Name></Response>"
        #expect(self.error(text)?.description == "hostile.xml:2: the text of <name> opened here is longer than 4096 bytes")
        let name = "<Response>\n<" + String(repeating: "a", count: 10_000) + ">"
        #expect(self.error(name)?.description == "hostile.xml:2: a name in a tag is longer than 128 bytes")
    }

    @Test func aDoctypeIsSkippedAndItsEntitiesNeverExpanded() throws {
        let bomb = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>45012800002000000001</DeviceID><SumNum>1</SumNum>
        <DeviceList><Item><DeviceID>45012801001320000001</DeviceID><Name>&lol2;</Name></Item></DeviceList></Response>
        """
        let file = try CatalogReader.parse(Array(bomb.utf8), path: "bomb.xml")
        #expect(file.responses[0].items[0].name == "&lol2;")
    }

    @Test func wrongEncodingsAreRefusedWithTheLineAndOffset() throws {
        let gb = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><CmdType>Catalog</CmdType>\n<Name>".utf8)
            + [0xB4, 0xE5, 0xBF, 0xDA] + Array("</Name></Response>".utf8)
        let declaredUTF8 = try #require(error(bytes: gb))
        #expect(declaredUTF8.description.hasPrefix("hostile.xml:3: byte 82: is not UTF-8, which line 1 declares"), "\(declaredUTF8)")
        let undeclared = try #require(error(bytes: Array(gb.dropFirst(39))))
        #expect(undeclared.description.contains("the file declares no encoding"), "\(undeclared)")
        let latin = try #require(error("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response/>"))
        #expect(latin.description == "hostile.xml:1: byte 0: declares encoding 'ISO-8859-1'; a catalog is GB2312, GBK, GB18030 or UTF-8")
        let utf16 = try #require(error(bytes: [0xFF, 0xFE] + Array("<Response>".utf8).flatMap { [$0, 0] }))
        #expect(utf16.description.contains("UTF-16"), "\(utf16)")
        let invalid = try #require(error(bytes: Array("<?xml version=\"1.0\" encoding=\"GB2312\"?>\n\n<Name>".utf8) + [0xFF, 0xFF, 0x80]))
        #expect(invalid.description.hasPrefix("hostile.xml:3:") && invalid.description.contains("neither UTF-8 nor GB18030"), "\(invalid)")
    }

    @Test func aFileOverTheLimitIsRefusedBeforeItIsRead() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("huge.xml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("<Response>".utf8)))
        // 100 MB, as a sparse file: the size is what is checked, before any byte is read.
        #expect(truncate(path, 100_000_000) == 0)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: CatalogError.self) { try CatalogReader.read(path: path) }
        do {
            _ = try CatalogReader.read(path: path)
        } catch {
            #expect(error.description == "\(path): is 100000000 bytes; a catalog file may be at most 67108864 bytes (64 MiB): split it, one file per MESSAGE")
        }
        #expect(clock.now - started < .seconds(5))
    }

    @Test func missingFilesAndDirectoriesAreTypedErrors() throws {
        let directory = TemporaryDirectory()
        for path in [directory.file("absent.xml"), directory.path, "/dev/zero"] {
            do {
                _ = try CatalogReader.read(path: path)
                Issue.record("\(path) was read")
            } catch {
                guard case .unreadable(let shown, _) = error else { Issue.record("\(error)"); continue }
                #expect(shown == path)
                #expect(error.description.hasPrefix(path + ":"), "\(error)")
            }
        }
    }

    @Test func mutatedCatalogsAreReadOrRefusedWithTheirPlace() {
        var fuzzer = Fuzzer(seeds: [Array(Self.wellFormed.utf8)] + CatalogFixtures.wvpFiles.map(CatalogFixtures.bytes), seed: 28181)
        fuzzer.tokens += ["<Item>", "</Item>", "<item/>", "&amp;", "&#x4E1C;", "<![CDATA[", "]]>", "<!--", "<?xml ", "<!DOCTYPE ["]
            .map { Array($0.utf8) }
        let tried = fuzzer.run(iterations: 5_000, seconds: 5) { bytes in
            if let error = error(bytes: bytes, path: "fuzz.xml") { #expect(error.description.hasPrefix("fuzz.xml"), "\(error)") }
        }
        #expect(tried > 500)
    }
}
