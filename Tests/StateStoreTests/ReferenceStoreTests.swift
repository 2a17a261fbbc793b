import Foundation
import Testing
import TestSupport
@testable import StateStore

/// Per-camera reference data: kept per camera and kind, replaced atomically, bounded, and never outside its
/// directory whatever id it is given.
@Suite struct ReferenceStoreTests {
    @Test func referencesAreKeptPerCameraAndKind() throws {
        let directory = TemporaryDirectory()
        let store = ReferenceStore(stateDirectory: directory.path)
        let camera = "45012801001320000001"
        #expect(try store.load(camera: camera, kind: .day) == nil)
        try store.save([1, 2, 3], camera: camera, kind: .day)
        try store.save([9], camera: camera, kind: .night)
        try store.save([4, 5], camera: camera, kind: .day)
        #expect(try store.load(camera: camera, kind: .day) == [4, 5])
        #expect(try store.load(camera: camera, kind: .night) == [9])
        #expect(store.cameras(kind: .day) == [camera])
        try store.remove(camera: camera, kind: .night)
        #expect(try store.load(camera: camera, kind: .night) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("references")) == ["\(camera).day"], "no temporary left")
    }

    @Test(arguments: ["../../etc/passwd", "45012801001320000001/../x", "4501280100132000000", "", "４５０１２８０１００１３２０００００１"])
    func onlyCameraIDsNameFiles(id: String) {
        let store = ReferenceStore(stateDirectory: TemporaryDirectory().path)
        #expect(throws: StateError.self) { try store.save([1], camera: id, kind: .day) }
        #expect(throws: StateError.self) { try store.load(camera: id, kind: .day) }
    }

    @Test func aReferenceIsBounded() {
        let store = ReferenceStore(stateDirectory: TemporaryDirectory().path)
        #expect(throws: StateError.self) { try store.save([UInt8](repeating: 0, count: ReferenceStore.maximumBytes + 1), camera: "45012801001320000001", kind: .day) }
    }
}
