/// A JPEG the fleet serves as a camera's snapshot, split where a live frame's comment segment goes: after
/// APP0 (JFIF) when the file has one, else right after SOI, both places JFIF and EXIF readers accept.
struct LiveSnapshot {
    /// The file exactly as given: what `frozen` cameras send every time.
    let whole: [UInt8]
    /// Everything before the frame-counter comment.
    let prefix: ArraySlice<UInt8>
    /// Everything after it, up to and including EOI.
    let suffix: ArraySlice<UInt8>
    /// A live snapshot's length: the file plus the frame-counter comment segment.
    let liveLength: Int

    /// Where the entropy-coded data of the first scan begins (just after the SOS segment).
    let entropyStart: Int

    /// Splits a JPEG that `SnapshotPicture.validate` accepted (the built-in test card is one).
    init(_ jpeg: [UInt8]) {
        whole = jpeg
        do {
            entropyStart = try SnapshotPicture.validate(jpeg, name: "snapshot")
        } catch {
            preconditionFailure("a picture reached the fleet unchecked: \(error)")
        }
        var split = 2
        if jpeg[2] == 0xFF && jpeg[3] == 0xE0 {
            // APP0's length field counts itself but not its 2-byte marker.
            split = 2 + 2 + (Int(jpeg[4]) << 8 | Int(jpeg[5]))
        }
        prefix = jpeg[0..<split]
        suffix = jpeg[split...]
        liveLength = jpeg.count + 4 + Assets.frameCommentPrefix.utf8CodeUnitCount + Assets.frameDigits
    }
}

/// The pictures a fleet may be given to serve (`--snapshot`, `--picture`): checked once, at configuration,
/// so that the event loop can split them without bounds checks of its own.
public enum SnapshotPicture {
    /// The largest picture the fleet serves: well above a 4K camera's snapshot, small enough to copy per request.
    public static let maximumBytes = 16 << 20

    /// Throws `FleetError.invalidPicture` unless `bytes` is a JPEG whose segments, from SOI to the first
    /// scan (SOS), lie inside the file, with a frame header (SOFn) before the scan and EOI at the end.
    /// Returns where the first scan's entropy-coded data begins.
    @discardableResult
    public static func validate(_ bytes: [UInt8], name: String) throws(FleetError) -> Int {
        guard bytes.count <= maximumBytes else {
            throw .invalidPicture(name, reason: "\(bytes.count) bytes is more than the \(maximumBytes) a snapshot may have")
        }
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw .invalidPicture(name, reason: "not a JPEG (it does not start with SOI, FF D8)")
        }
        guard bytes[bytes.count - 2] == 0xFF, bytes[bytes.count - 1] == 0xD9 else {
            throw .invalidPicture(name, reason: "the JPEG does not end with EOI (FF D9)")
        }
        var position = 2
        var sawFrame = false
        while true {
            guard position + 4 <= bytes.count, bytes[position] == 0xFF else {
                throw .invalidPicture(name, reason: "no marker at byte \(position) before the first scan")
            }
            let marker = bytes[position + 1]
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            guard length >= 2, position + 2 + length <= bytes.count else {
                throw .invalidPicture(name, reason: "the segment at byte \(position) runs past the end of the file")
            }
            if marker == 0xDA {
                guard sawFrame else { throw .invalidPicture(name, reason: "the scan comes before any frame header (SOFn)") }
                return position + 2 + length
            }
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) { sawFrame = true }
            position += 2 + length
        }
    }
}
