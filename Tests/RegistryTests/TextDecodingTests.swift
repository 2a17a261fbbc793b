import Foundation
import Glibc
import Testing
import TestSupport
@testable import Registry

@Suite struct EncodingTests {
    @Test func aUTF8FileWithGB18030RowsIsRefusedNamingTheFirstSuchLine() throws {
        var bytes = Array("id,name\n1,新点\n2,村口\n".utf8)
        bytes += [UInt8(ascii: "3"), UInt8(ascii: ",")] + [0xD0, 0xC2, 0xB5, 0xE3] + [10]  // 新点 in GB18030
        guard case .failure(let failure) = TextDecoding.decode(bytes) else {
            Issue.record("a file of mixed encodings was decoded")
            return
        }
        #expect(failure.line == 4)
        #expect(failure.message.description.contains("mixes encodings"))
        let directory = TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.file("mixed.csv"), contents: Data(bytes)))
        #expect {
            try CSVTable.read(path: directory.file("mixed.csv"))
        } throws: { error in
            (error as? InventoryError)?.description.hasPrefix(directory.file("mixed.csv") + ":4: is not UTF-8, but line 2 is") == true
        }
    }

    @Test func aGB18030FileWithUTF8RowsIsRefusedToo() {
        var bytes = Array("id,name\n1,".utf8) + [0xD0, 0xC2, 0xB5, 0xE3, 10]
        bytes += Array("2,新点\n".utf8)
        guard case .failure(let failure) = TextDecoding.decode(bytes) else {
            Issue.record("a file of mixed encodings was decoded")
            return
        }
        #expect(failure.line == 3)
    }

    @Test func utf16WithoutAByteOrderMarkIsRecognised() {
        var bytes: [UInt8] = []
        for unit in "id,name\n1,村口\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        guard case .failure(let failure) = TextDecoding.decode(bytes) else {
            Issue.record("UTF-16 without a BOM was decoded")
            return
        }
        #expect(failure.message.description.contains("looks like UTF-16"))
        #expect(failure.message.description.contains("save it as UTF-8 or GB18030"))
    }

    @Test func wholeFilesInOneEncodingStillDecode() throws {
        #expect(try TextDecoding.decode(Array("a,新点\n".utf8)).get().encoding == .utf8)
        let gb = try TextDecoding.decode([0x61, 0x2C, 0xD0, 0xC2, 0xB5, 0xE3, 10]).get()
        #expect(gb.text == "a,新点\n" && gb.encoding == .gb18030)
    }
}
