/// An HLS playlist (RFC 8216) reduced to what a camera check needs: its kind and how many entries it has.
public struct Playlist: Sendable, Equatable {
    /// Which of the two playlist kinds RFC 8216 defines.
    public enum Kind: String, Sendable, Equatable {
        /// Lists media segments (`#EXTINF` + URI).
        case media
        /// Lists variant streams (`#EXT-X-STREAM-INF` + URI).
        case master
    }

    /// Media or master.
    public var kind: Kind
    /// Segments of a media playlist, variants of a master playlist.
    public var entries: Int

    public init(kind: Kind, entries: Int) {
        self.kind = kind
        self.entries = entries
    }

    /// `media playlist with 2 segments`, `master playlist with 1 variant`.
    public var summary: String {
        let noun = kind == .media ? "segment" : "variant"
        return "\(kind.rawValue) playlist with \(entries) \(noun)\(entries == 1 ? "" : "s")"
    }
}

/// Why a body is not a usable playlist.
public struct PlaylistProblem: Error, Sendable, Equatable {
    /// A short sentence, e.g. `playlist does not begin with #EXTM3U (it begins '<html>')`.
    public var message: String

    public init(_ message: String) { self.message = message }
}

/// Parses the playlist a camera's HLS URL answers with.
public enum PlaylistParser {
    /// Reads `bytes` as a playlist. It must begin with `#EXTM3U` (after an optional UTF-8 byte order
    /// mark) and hold at least one segment or one variant, each tag followed by its URI line.
    public static func parse(_ bytes: [UInt8]) -> Result<Playlist, PlaylistProblem> {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let lines = body.split(separator: 10, omittingEmptySubsequences: false).map { line -> Substring in
            var text = Substring(decoding: line, as: UTF8.self)
            while let last = text.last, last == "\r" || last == " " || last == "\t" { text = text.dropLast() }
            return text
        }
        guard let first = lines.first, first == "#EXTM3U" else {
            return .failure(PlaylistProblem("playlist does not begin with #EXTM3U (\(describeBeginning(of: body)))"))
        }

        var segments = 0
        var variants = 0
        // The tag whose URI line is still to come, and its line number for the message.
        var awaiting: (tag: String, line: Int)?
        for (offset, line) in lines.enumerated().dropFirst() {
            let lineNumber = offset + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let tag: String?
                if line.hasPrefix("#EXTINF:") || line == "#EXTINF" {
                    tag = "#EXTINF"
                } else if line.hasPrefix("#EXT-X-STREAM-INF:") || line == "#EXT-X-STREAM-INF" {
                    tag = "#EXT-X-STREAM-INF"
                } else {
                    // Other tags (#EXT-X-BYTERANGE, #EXT-X-DISCONTINUITY…) may sit between a tag and its
                    // URI; comments too. #EXT-X-I-FRAME-STREAM-INF carries its URI as an attribute.
                    tag = nil
                }
                if let tag {
                    if let awaiting { return .failure(missingURI(awaiting)) }
                    awaiting = (tag, lineNumber)
                }
                continue
            }
            // A URI line: it completes the tag above it. A URI with no tag is malformed but harmless.
            switch awaiting?.tag {
            case "#EXTINF": segments += 1
            case "#EXT-X-STREAM-INF": variants += 1
            default: break
            }
            awaiting = nil
        }
        if let awaiting { return .failure(missingURI(awaiting)) }
        switch (segments, variants) {
        case (0, 0):
            return .failure(PlaylistProblem("playlist has no #EXTINF segments and no #EXT-X-STREAM-INF variants"))
        case (_, 0):
            return .success(Playlist(kind: .media, entries: segments))
        case (0, _):
            return .success(Playlist(kind: .master, entries: variants))
        default:
            return .failure(PlaylistProblem("playlist mixes \(segments) #EXTINF segments with \(variants) #EXT-X-STREAM-INF variants"))
        }
    }

    private static func missingURI(_ awaiting: (tag: String, line: Int)) -> PlaylistProblem {
        PlaylistProblem("\(awaiting.tag) on line \(awaiting.line) has no URI line after it")
    }
}

/// How a body begins, quoted and clipped, for a failure message: an HTML error page or a login form
/// shows as such. Control characters are shown as spaces so that the message stays on one line.
func describeBeginning(of body: ArraySlice<UInt8>) -> String {
    if body.isEmpty { return "the body is empty" }
    let head = String(decoding: body.prefix(24), as: UTF8.self)
    let printable = head.unicodeScalars.map { scalar -> String in
        scalar.value < 32 || scalar.value == 127 ? " " : String(scalar)
    }.joined()
    return "it begins '\(printable)\(body.count > 24 ? "…" : "")'"
}
