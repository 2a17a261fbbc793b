import PictureQuality
import POSIXLayer
import StateStore

/// The pictures file (`pictures.bin`, format `xueliang.picture-signatures/1`): each camera's last picture
/// signature (`PictureSignature`), for the frozen-picture rule. A cache beside the state file, rewritten after
/// every sweep that holds signatures: at 1.2 KB a camera it is kept out of `state.tsv`, which every `offline`
/// and `check` reads.
///
/// The first line is `xueliang.picture-signatures/1` with `monitor=`, `sweeps=` (the sweeps recorded when it was
/// written) and last `checksum=` (`ChecksummedFile`); then, per camera in id order, the id's length (one byte),
/// the id, and the signature as `PictureSignature.encoded` writes it. A file that is damaged, of another monitor,
/// or of another sweep than the state it is read with is no signatures at all: the next picture of each camera
/// is then compared with nothing, and a run of repeats is held for that sweep (`MonitorState.record`).
enum PictureSignatureFile {
    static let schema = "xueliang.picture-signatures/1"

    static func encoded(monitor: String, sweeps: Int, signatures: [String: PictureSignature]) -> [UInt8] {
        var bytes = Array("\(schema)\tmonitor=\(TSVField.escaped(monitor))\tsweeps=\(sweeps)\n".utf8)
        // Room for every camera and for the checksum field sealing inserts: a city's 240 MB is never copied.
        bytes.reserveCapacity(bytes.count + signatures.count * 1_200 + ChecksummedFile.sealingBytes)
        for (id, signature) in signatures.sorted(by: { $0.key < $1.key }) where (1...255).contains(id.utf8.count) {
            bytes.append(UInt8(id.utf8.count))
            bytes += id.utf8
            bytes += signature.encoded
        }
        return ChecksummedFile.sealed(bytes)
    }

    /// The signatures, when `bytes` are a whole file of `monitor` written after sweep number `sweeps`; nil otherwise.
    static func decode(_ bytes: consuming [UInt8], monitor: String, sweeps: Int) -> [String: PictureSignature]? {
        // Verified in place: a copy of a city's file would be 240 MB more while it is read.
        var verified = bytes
        guard ChecksummedFile.removeVerifiedChecksum(&verified), let newline = verified.firstIndex(of: 10) else { return nil }
        let header = String(decoding: verified[..<newline], as: UTF8.self).split(separator: "\t").map(String.init)
        guard header.first == schema, header.dropFirst().contains("monitor=\(TSVField.escaped(monitor))"),
              header.dropFirst().contains("sweeps=\(sweeps)") else { return nil }
        var signatures: [String: PictureSignature] = [:]
        var at = newline + 1
        while at < verified.count {
            let length = Int(verified[at])
            guard length > 0, at + 1 + length <= verified.count,
                  let (signature, count) = PictureSignature.decode(verified[(at + 1 + length)...]) else { return nil }
            signatures[String(decoding: verified[(at + 1)..<(at + 1 + length)], as: UTF8.self)] = signature
            at += 1 + length + count
        }
        return signatures
    }

    /// What `path` holds for `monitor` after sweep `sweeps`; none when it is missing or does not match.
    static func read(path: String, monitor: String, sweeps: Int) -> [String: PictureSignature] {
        // A bound far above a city's file (200,000 cameras take 240 MB).
        guard let bytes = try? Files.read(path, limit: 1 << 31) else { return [:] }
        return decode(bytes, monitor: monitor, sweeps: sweeps) ?? [:]
    }
}
