@testable import Probing
@testable import Registry

/// Cameras, targets and replies shared by the prober tests.
enum Fixtures {
    static let tcpEndpoint = "10.45.1.20:554"
    static let snapshotURL = "http://10.45.1.20/ISAPI/Streaming/channels/101/picture"
    static let rtspURL = "rtsp://10.45.1.20:554/Streaming/Channels/101"
    static let hlsURL = "http://10.45.1.20/live/index.m3u8"
    static let onvifURL = "http://10.45.1.20/onvif/device_service"

    /// Tue, 24 Nov 2026 06:21:35 GMT, in seconds since 1970 (checked with Python's calendar.timegm).
    static let referenceSeconds = 1_795_501_295
    static let referenceDateHeader = "Tue, 24 Nov 2026 06:21:35 GMT"

    /// Our clock in tests: a quarter second after the reference moment.
    static let now: @Sendable () -> Double = { Double(referenceSeconds) + 0.25 }

    static let credential = CredentialProfile(name: "hik-admin", username: "admin", password: Secret("s3cret-pass"))

    static func camera(verifyTLS: Bool = true) -> CameraRecord {
        var camera = CameraRecord(id: "45012801001320000001", name: "村口球机", village: VillageCode(uncheckedDigits: "450128101201"),
                                  source: .public, status: .active)
        camera.endpoints = CameraEndpoints(rtsp: rtspURL, snapshot: snapshotURL, hls: hlsURL, onvif: onvifURL, tcp: tcpEndpoint)
        camera.verifyTLS = verifyTLS
        return camera
    }

    static func target(credential: CredentialProfile? = nil, settings: ProbeSettings = ProbeSettings(), verifyTLS: Bool = true) -> ProbeTarget {
        ProbeTarget(camera: camera(verifyTLS: verifyTLS), credential: credential, settings: settings)
    }

    /// A reply that completed with `status`.
    static func reply(status: Int, body: [UInt8] = [], headers: [(name: String, value: String)] = []) -> TransferResult {
        var phases = TransferPhases()
        phases.connectMicroseconds = 800
        phases.firstByteMicroseconds = 2_400
        phases.totalMicroseconds = 3_100
        return TransferResult(statusCode: status, headers: headers, body: body, phases: phases)
    }

    static func reply(status: Int, text: String, headers: [(name: String, value: String)] = []) -> TransferResult {
        reply(status: status, body: Array(text.utf8), headers: headers)
    }

    /// The endpoint each kind of check probes on `camera()`.
    static func endpoint(_ kind: CheckKind) -> String {
        switch kind {
        case .tcp: tcpEndpoint
        case .snapshot, .picture: snapshotURL
        case .rtsp, .media: rtspURL
        case .hls: hlsURL
        case .onvif: onvifURL
        }
    }

    /// The URL the transport is asked for by each kind of check.
    static func requestURL(_ kind: CheckKind) -> String {
        kind == .tcp ? "http://10.45.1.20:554/" : endpoint(kind)
    }

    /// The step each kind of check names in a transfer failure's detail.
    static func step(_ kind: CheckKind) -> String {
        switch kind {
        case .tcp: "connect"
        case .snapshot, .hls, .picture: "GET"
        case .rtsp: "OPTIONS/DESCRIBE"
        case .onvif: "GetSystemDateAndTime"
        case .media: "DESCRIBE"
        }
    }

    /// The probers with the test clock.
    static func prober(_ kind: CheckKind) -> any Prober {
        switch kind {
        case .tcp: TCPProber()
        case .snapshot: SnapshotProber(now: now)
        case .rtsp: RTSPProber(now: now)
        case .hls: HLSProber()
        case .onvif: ONVIFProber(now: now)
        case .media: MediaProber()
        case .picture: PictureProber()
        }
    }
}

/// Small JPEG files built segment by segment, so that each test states the structure it exercises.
enum JPEGBuilder {
    static let startOfImage: [UInt8] = [0xFF, 0xD8]
    static let endOfImage: [UInt8] = [0xFF, 0xD9]

    /// A marker segment: FF, marker, a big-endian length that counts itself, the payload.
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// APP0 with a JFIF 1.01 header.
    static let app0 = segment(0xE0, Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])
    /// One 8-bit quantisation table of ones.
    static let quantisationTable = segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
    /// One DC Huffman table with a single one-bit code. Its marker (C4) lies in the SOF range.
    static let huffmanTable = segment(0xC4, [0x00, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00])

    /// A frame header (SOF0 baseline unless `marker` says otherwise) for three YCbCr components.
    static func frame(width: Int, height: Int, marker: UInt8 = 0xC0) -> [UInt8] {
        segment(marker, [0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
                         0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00])
    }

    /// A scan header for the three components.
    static let scanHeader = segment(0xDA, [0x03, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x3F, 0x00])

    /// Entropy-coded bytes with byte stuffing (FF 00) and a restart marker (FF D0), as real scans have.
    static let entropyData: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0xFF, 0x00, 0x9A]

    /// SOI, APP0, DQT, SOF, DHT, SOS, entropy data, EOI.
    static func picture(width: Int = 640, height: Int = 480, frameMarker: UInt8 = 0xC0, extraSegments: [UInt8] = []) -> [UInt8] {
        startOfImage + app0 + extraSegments + quantisationTable + frame(width: width, height: height, marker: frameMarker)
            + huffmanTable + scanHeader + entropyData + endOfImage
    }
}
