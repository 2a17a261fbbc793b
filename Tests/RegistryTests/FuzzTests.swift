import Foundation
import Testing
import TestSupport
@testable import Registry

/// The parsers under a seeded mutation fuzzer, about 3 s each: every input parses or gives issues that name
/// the file and a line; none crashes. A village file that parses cleanly renders to one that parses to the same.
@Suite struct FuzzTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/"

    static func fixture(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: URL(fileURLWithPath: fixtures + name)))) ?? []
    }

    static let villageSeeds: [String] = [
        InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera() + "\n" + InventoryFixtures.citizenCamera()),
        InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera(id: "45012801001181000009", extra: "tags = a, b\ndirection = 东北\nposition_type = 3")
            + "\n" + InventoryFixtures.publicCamera(extra: "parent = 45012801001181000009\ntls_verify = no\n# a comment")),
        "format = xueliang.village/1\n[village]\ncode = 450128101201\nname = 青山村\n[keypoint a]\nname = 村口\nlatitude = 22.81\nlongitude = 108.31\n",
    ]

    @Test func villageFiles() {
        let path = "v.village"
        var clean = 0
        let tried = Fuzzer(textSeeds: Self.villageSeeds, seed: 0x7111_A6E).run(seconds: 3) { bytes in
            let first = VillageFile.parse(bytes: bytes, path: path, expectedCode: InventoryFixtures.villageCode)
            for issue in first.issues where issue.file != path || (issue.line ?? 0) < 1 {
                Issue.record("an issue without its file and line: \(issue) for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
            guard first.issues.isEmpty else { return }
            clean += 1
            guard let village = first.village else {
                Issue.record("a clean parse without a village")
                return
            }
            let rendered = VillageFile.render(village, cameras: first.cameras)
            let second = VillageFile.parse(rendered, path: path, expectedCode: InventoryFixtures.villageCode)
            #expect(second.issues.isEmpty, "\(second.issues) in \(rendered.debugDescription)")
            #expect(second.village == village, "\(rendered.debugDescription)")
            #expect(Set(second.cameras) == Set(first.cameras) && second.cameras.count == first.cameras.count, "\(rendered.debugDescription)")
            if let again = second.village {
                #expect(VillageFile.render(again, cameras: second.cameras) == rendered, "rendering is not stable: \(rendered.debugDescription)")
            }
        }
        #expect(tried > 1000, "the fuzzer ran")
        #expect(clean > 10, "some mutations still parse cleanly, so the round trip was exercised")
    }

    @Test func spreadsheetImports() throws {
        let path = "f.csv"
        var base = Inventory()
        base.upsert(Village(code: try VillageCode.parse(InventoryFixtures.villageCode).get(), name: "青山村", kind: .village, township: "青山镇",
                            station: "青山派出所", keyPoints: [KeyPoint(id: "entrance", name: "村口")]), origin: RecordOrigin(file: "v", line: 1))
        let validator = Validator(today: InventoryFixtures.today)
        let seeds = [Self.fixture("cameras-en-bom.csv"), Self.fixture("cameras-zh-gb18030.tsv"), Self.fixture("villages-zh.csv"),
                     Array("id,name,village,source,parent,latitude\n45012801001320000001,\"a, \"\"b\"\"\",450128101201,public,,22.8\n".utf8)]
            .filter { !$0.isEmpty }
        func expectLocated(_ error: InventoryError, _ bytes: [UInt8]) {
            guard case .invalid(let issues) = error, !issues.isEmpty else {
                Issue.record("not a list of located issues: \(error)")
                return
            }
            for issue in issues where issue.file != path || (issue.line ?? 0) < 1 {
                Issue.record("an issue without its file and line: \(issue)")
            }
        }
        let tried = Fuzzer(seeds: seeds, seed: 0xC5F).run(seconds: 3) { bytes in
            let table: CSVTable
            switch TextDecoding.decode(bytes) {
            case .failure(let failure):
                #expect(failure.line >= 1 && failure.line <= bytes.count { $0 == 10 } + 1, "\(failure)")
                return
            case .success(let decoded):
                do throws(InventoryError) {
                    table = try CSVTable.parse(decoded.text, path: path, encoding: decoded.encoding)
                } catch {
                    expectLocated(error, bytes)
                    return
                }
            }
            for skipInvalid in [false, true] {
                var inventory = base
                do throws(InventoryError) {
                    let report = try SpreadsheetImport.importCameras(table, path: path, into: &inventory, validator: validator, options: .init(skipInvalid: skipInvalid))
                    #expect(report.added.count + report.updated.count + report.unchanged.count + report.rejected.count <= table.rows.count)
                } catch {
                    expectLocated(error, bytes)
                }
            }
        }
        #expect(tried > 500, "the fuzzer ran")
    }

    @Test func textDecoding() {
        let seeds = [Self.fixture("cameras-en-bom.csv"), Self.fixture("cameras-zh-gb18030.tsv"), Array("a,新点\n村口,b\n".utf8),
                     [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00]].filter { !$0.isEmpty }
        let tried = Fuzzer(seeds: seeds, seed: 0xDEC0DE).run(seconds: 3) { bytes in
            switch TextDecoding.decode(bytes) {
            case .failure(let failure):
                #expect(failure.line >= 1 && failure.line <= bytes.count { $0 == 10 } + 1 || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]),
                        "\(failure)")
            case .success(let decoded):
                if decoded.encoding == .utf8 {
                    #expect(Array(decoded.text.utf8) == (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes))
                }
                #expect(!decoded.text.utf8.contains(0), "NUL bytes were decoded as text")
            }
        }
        #expect(tried > 1000, "the fuzzer ran")
    }
}
