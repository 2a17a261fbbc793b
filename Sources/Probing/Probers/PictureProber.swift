import PictureQuality
import Registry

/// What the picture check measured of a snapshot (docs/sweep.md): the measures behind its findings, so that a
/// person can see how far a picture is from a threshold. A value type; safe to share between threads.
public struct PictureReading: Sendable, Equatable, Codable {
    /// The 1/8-scale picture's size, in 8x8 blocks of the luma plane.
    public var blocksWide: Int
    public var blocksHigh: Int
    /// Mean and standard deviation of the luma, 0-255.
    public var meanLuma: Double
    public var lumaDeviation: Double
    /// The share of the picture in its one dominant colour.
    public var dominantColourShare: Double
    /// Every finding, the first of which is the check's reason; empty for a normal picture.
    public var findings: [String]
    /// The picture, small (`PictureThumbnail`, at most 48 x 27), when it has a finding: for a report to show
    /// beside it. Normal pictures keep none (a city's sweep would hold 4 KB a camera).
    public var thumbnail: PictureThumbnail?

    enum CodingKeys: String, CodingKey {
        case blocksWide = "blocks_wide", blocksHigh = "blocks_high", meanLuma = "mean_luma", lumaDeviation = "luma_deviation"
        case dominantColourShare = "dominant_colour_share", findings, thumbnail
    }
}

/// Fetches the snapshot (as `snapshot` does, with its JPEG checks) and diagnoses the picture from its DC
/// coefficients: signal loss, too dark or bright, low contrast, colour cast. A finding fails this check with
/// its reason, and a camera whose video works is then `degraded`, not offline. Decoding runs on the shared
/// pool, never on the transport's thread: at city scale it is most of the check's CPU.
public struct PictureProber: Prober {
    public var kind: CheckKind { .picture }
    public var thresholds = PictureThresholds()
    /// The camera's kept reference, when there is one (blur, occlusion and scene change are judged against
    /// it). Called on the shared pool, so it may read a file.
    public var references: (@Sendable (CameraRecord) -> ReferencePicture?)?
    /// Whether a normal picture's reference is handed back (`CheckResult.newReference`), to be kept.
    public var recordsReferences = false
    /// Whether every decoded picture's `PictureSignature` is handed back (`CheckResult.pictureSignature`), for
    /// a monitor's frozen-picture rule. Off for plain sweeps: 1.2 KB a camera held until the sweep ends.
    public var recordsSignatures = false

    public init(references: (@Sendable (CameraRecord) -> ReferencePicture?)? = nil, recordsReferences: Bool = false,
                recordsSignatures: Bool = false) {
        self.references = references
        self.recordsReferences = recordsReferences
        self.recordsSignatures = recordsSignatures
    }

    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.snapshot }

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        let (fetched, body) = try await SnapshotProber().fetch(target, endpoint: endpoint, transport: transport)
        var result = fetched
        result.kind = .picture
        guard result.passed, let body else { return result }
        let (thresholds, references, camera, signs) = (self.thresholds, self.references, target.camera, recordsSignatures)
        let diagnosed = await withTaskExecutorPreference(globalConcurrentExecutor) {
            () -> Result<(DCPicture, PictureDiagnosis, PictureSignature?), JPEGDecodeError> in
            Result { () throws(JPEGDecodeError) in
                let picture = try JPEGDCDecoder.decode(body)
                return (picture, PictureDiagnosis(picture, reference: references?(camera), thresholds: thresholds),
                        signs ? PictureSignature(picture) : nil)
            }
        }
        switch diagnosed {
        case .failure(let error):
            result.passed = false
            result.reason = .truncatedJPEG
            result.detail = "GET: the picture cannot be decoded: \(error)"
        case .success(let (picture, diagnosis, signature)):
            result.pictureSignature = signature
            let luma = picture.components.first
            result.findings.picture = PictureReading(blocksWide: luma?.widthInBlocks ?? 0, blocksHigh: luma?.heightInBlocks ?? 0,
                                                     meanLuma: diagnosis.luma.mean, lumaDeviation: diagnosis.luma.standardDeviation,
                                                     dominantColourShare: diagnosis.dominantColourShare,
                                                     findings: diagnosis.findings.map(\.rawValue),
                                                     thumbnail: diagnosis.findings.isEmpty ? nil : PictureThumbnail(picture))
            if let first = diagnosis.findings.first {
                result.passed = false
                result.reason = ReasonCode(first)
                result.detail = "findings: " + diagnosis.findings.map(\.rawValue).joined(separator: ", ")
                    + " (mean luma \(Int(diagnosis.luma.mean.rounded())), deviation \(Int(diagnosis.luma.standardDeviation.rounded())))"
            } else {
                if recordsReferences { result.newReference = ReferencePicture(picture).encoded }
                result.detail = "picture normal: mean luma \(Int(diagnosis.luma.mean.rounded())), deviation \(Int(diagnosis.luma.standardDeviation.rounded()))"
            }
        }
        return result
    }
}

extension ReasonCode {
    /// The reason a picture finding gives.
    init(_ finding: PictureFinding) {
        switch finding {
        case .signalLoss: self = .signalLoss
        case .tooDark: self = .tooDark
        case .tooBright: self = .tooBright
        case .lowContrast: self = .lowContrast
        case .colourCast: self = .colourCast
        case .blur: self = .blur
        case .occlusion: self = .occlusion
        case .sceneChange: self = .sceneChange
        }
    }

    /// Whether this reason is a picture finding (the feed works; the picture does not).
    public var isPictureFinding: Bool {
        switch self {
        case .signalLoss, .tooDark, .tooBright, .lowContrast, .colourCast, .blur, .occlusion, .sceneChange: true
        default: false
        }
    }
}
