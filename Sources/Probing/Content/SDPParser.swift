/// A session description (RFC 8866, formerly 4566) reduced to what a camera check needs: its media
/// tracks and their encodings.
public struct SessionDescription: Sendable, Equatable {
    /// One `m=` section.
    public struct Media: Sendable, Equatable {
        /// `video`, `audio`, `application`, …
        public var type: String
        /// The formats of the `m=` line in order of preference; RTP payload type numbers for RTP/AVP.
        public var formats: [String]
        /// The first format's encoding, e.g. `H264/90000`: from its `a=rtpmap`, or from the RFC 3551
        /// table for a static payload type. Nil when neither names it.
        public var encoding: String?
        /// The section's `a=control` (a URL or `*`), against which SETUP resolves.
        public var control: String?
        /// The section's `a=framerate`, frames per second.
        public var frameRate: Double?
        /// The first format's `a=fmtp` parameters, e.g. `packetization-mode=1;sprop-parameter-sets=…`.
        public var formatParameters: String?

        public init(type: String, formats: [String], encoding: String?, control: String? = nil, frameRate: Double? = nil,
                    formatParameters: String? = nil) {
            self.type = type
            self.formats = formats
            self.encoding = encoding
            self.control = control
            self.frameRate = frameRate
            self.formatParameters = formatParameters
        }

        /// The clock rate of the first format's encoding (`H264/90000` gives 90000); nil when none is named.
        public var clockRate: Int? {
            encoding.flatMap { $0.split(separator: "/").dropFirst().first.flatMap { Int($0) } }
        }

        /// The encoding name without clock rate and channels, e.g. `H264`.
        public var encodingName: String? {
            encoding.map { String($0.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
        }

        /// How a report names the track: `video H264/90000`, or `video payload 96` when no encoding is known.
        public var track: String {
            if let encoding { return "\(type) \(encoding)" }
            if let format = formats.first { return "\(type) payload \(format)" }
            return type
        }
    }

    /// The media sections in order.
    public var media: [Media]
    /// Whether the text had a `v=` line, the one line every session description starts with.
    public var hasVersionLine: Bool
    /// The session-level `a=control` (before the first `m=` line), the aggregate control for PLAY.
    public var control: String?

    public init(media: [Media], hasVersionLine: Bool, control: String? = nil) {
        self.media = media
        self.hasVersionLine = hasVersionLine
        self.control = control
    }

    /// Every track, e.g. `["video H264/90000", "audio PCMA/8000"]`.
    public var tracks: [String] { media.map(\.track) }

    /// The first video section, if any.
    public var video: Media? { media.first { $0.type == "video" } }
}

/// Parses session descriptions as cameras send them in reply to RTSP DESCRIBE.
public enum SDPParser {
    /// Reads the `m=` lines and the `a=rtpmap` lines of each media section. Lines may end in CRLF or LF;
    /// session-level attributes and everything else are ignored.
    public static func parse(_ text: String) -> SessionDescription {
        var media: [SessionDescription.Media] = []
        // Per section, payload type → `a=rtpmap` encoding; an rtpmap belongs to the `m=` line above it.
        var rtpmaps: [[String: String]] = []
        var formatParameters: [[String: String]] = []
        var hasVersionLine = false
        var sessionControl: String?

        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.droppingTrailingBlanks()
            if line.hasPrefix("v=") {
                hasVersionLine = true
            } else if line.hasPrefix("m=") {
                // m=<media> <port>[/<count>] <proto> <fmt> ...
                let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: true)
                guard let type = fields.first else { continue }
                media.append(.init(type: String(type), formats: fields.dropFirst(3).map(String.init), encoding: nil))
                rtpmaps.append([:])
                formatParameters.append([:])
            } else if line.hasPrefix("a=control:") {
                let value = String(line.dropFirst("a=control:".count).drop { $0 == " " })
                if media.isEmpty { sessionControl = value } else { media[media.count - 1].control = value }
            } else if line.hasPrefix("a=framerate:"), !media.isEmpty {
                media[media.count - 1].frameRate = Double(line.dropFirst("a=framerate:".count).drop { $0 == " " })
            } else if line.hasPrefix("a=fmtp:"), !media.isEmpty {
                // a=fmtp:<payload type> <parameters>
                let parts = line.dropFirst("a=fmtp:".count).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard parts.count == 2 else { continue }
                formatParameters[formatParameters.count - 1][String(parts[0])] = String(parts[1])
            } else if line.hasPrefix("a=rtpmap:"), !media.isEmpty {
                // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
                let value = line.dropFirst("a=rtpmap:".count)
                let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard parts.count == 2 else { continue }
                rtpmaps[rtpmaps.count - 1][String(parts[0])] = String(parts[1].drop { $0 == " " })
            }
        }
        for index in media.indices {
            guard let format = media[index].formats.first else { continue }
            media[index].encoding = rtpmaps[index][format] ?? Int(format).flatMap { staticPayloadTypes[$0] }
            media[index].formatParameters = formatParameters[index][format]
        }
        return SessionDescription(media: media, hasVersionLine: hasVersionLine, control: sessionControl)
    }

    /// RFC 3551's static RTP payload types, which need no `a=rtpmap` (older MJPEG and G.711 cameras send none).
    public static let staticPayloadTypes: [Int: String] = [
        0: "PCMU/8000", 3: "GSM/8000", 4: "G723/8000", 5: "DVI4/8000", 6: "DVI4/16000", 7: "LPC/8000",
        8: "PCMA/8000", 9: "G722/8000", 10: "L16/44100/2", 11: "L16/44100", 12: "QCELP/8000", 13: "CN/8000",
        14: "MPA/90000", 15: "G728/8000", 16: "DVI4/11025", 17: "DVI4/22050", 18: "G729/8000",
        25: "CelB/90000", 26: "JPEG/90000", 28: "nv/90000", 31: "H261/90000", 32: "MPV/90000",
        33: "MP2T/90000", 34: "H263/90000",
    ]
}

extension Substring {
    /// Without trailing spaces, tabs and a stray CR (a CR alone is left when lines end in CR CR LF).
    fileprivate func droppingTrailingBlanks() -> Substring {
        var end = endIndex
        while end > startIndex, [" ", "\t", "\r"].contains(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
