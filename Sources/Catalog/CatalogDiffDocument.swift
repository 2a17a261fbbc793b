import Foundation
import Registry

/// The `xueliang.catalog-diff/1` document (`catalog diff --json`), described in docs/catalog.md. Lists are
/// sorted by id so the document diffs cleanly; encode it with sorted keys.
///
/// A value type; safe to share between threads.
public struct CatalogDiffDocument: Encodable, Sendable {
    public static let schema = "xueliang.catalog-diff/1"

    struct File: Encodable, Sendable {
        var path: String
        var encoding: String
        var declaredEncoding: String?
        var responses: Int
        var otherMessages: Int
        enum CodingKeys: String, CodingKey {
            case path, encoding, responses
            case declaredEncoding = "declared_encoding", otherMessages = "other_messages"
        }
    }

    struct Answer: Encodable, Sendable {
        var platform: String
        var serialNumber: String
        var sumNum: Int?
        var received: Int
        var messages: Int
        var complete: Bool
        enum CodingKeys: String, CodingKey {
            case platform, received, messages, complete
            case serialNumber = "sn", sumNum = "sum_num"
        }
    }

    struct Consistency: Encodable, Sendable {
        var consistent: Int
        var inService: Int
        var rate: NullWhenAbsent<Double>
        enum CodingKeys: String, CodingKey { case consistent, rate, inService = "in_service" }
    }

    struct Unregistered: Encodable, Sendable {
        var id: String
        var name: String?
        var civilCode: String?
        var parentID: String?
        var status: String?
        var latitude: Double?
        var longitude: Double?
        var file: String
        var line: Int
        enum CodingKeys: String, CodingKey {
            case id, name, status, latitude, longitude, file, line
            case civilCode = "civil_code", parentID = "parent_id"
        }
    }

    struct Unreported: Encodable, Sendable {
        var id: String
        var name: String
        var village: String
        var villageName: String?
        enum CodingKeys: String, CodingKey { case id, name, village, villageName = "village_name" }
    }

    struct Mismatch: Encodable, Sendable {
        var id: String
        var field: String
        var registry: String
        var platform: String
        var distanceMetres: Double?
        enum CodingKeys: String, CodingKey { case id, field, registry, platform, distanceMetres = "distance_m" }
    }

    struct FalseOnline: Encodable, Sendable {
        var id: String
        var name: String
        var village: String
        var platformStatus: String
        enum CodingKeys: String, CodingKey { case id, name, village, platformStatus = "platform_status" }
    }

    struct Sweep: Encodable, Sendable {
        var finishedAt: Date?
        enum CodingKeys: String, CodingKey { case finishedAt = "finished_at" }
    }

    let schema = CatalogDiffDocument.schema
    let distanceThresholdMetres: Double
    let files: [File]
    let catalogs: [Answer]
    let devices: Int
    let repeated: Int
    let skipped: [String: Int]
    let consistency: Consistency
    let unregistered: [Unregistered]
    let unreported: [Unreported]
    let mismatches: [Mismatch]
    /// Null when no sweep was at hand: an empty list would say "none found".
    let falseOnline: NullWhenAbsent<[FalseOnline]>
    let sweep: NullWhenAbsent<Sweep>

    enum CodingKeys: String, CodingKey {
        case schema, files, catalogs, devices, repeated, skipped, consistency, unregistered, unreported, mismatches, sweep
        case distanceThresholdMetres = "distance_threshold_m", falseOnline = "false_online"
    }

    /// The document of `diff`, made from `catalog`; `sweepFinishedAt` is when the sweep behind the false-online
    /// list finished (nil without one).
    public init(diff: CatalogDiff, catalog: PlatformCatalog, inventory: Inventory, sweepFinishedAt: Date?) {
        distanceThresholdMetres = diff.rules.distanceThresholdMetres
        files = catalog.files.map {
            File(path: $0.path, encoding: $0.encoding, declaredEncoding: $0.declaredEncoding, responses: $0.responses, otherMessages: $0.otherMessages)
        }
        catalogs = catalog.answers.map {
            Answer(platform: $0.platformID, serialNumber: $0.serialNumber, sumNum: $0.sumNum, received: $0.received, messages: $0.messages,
                   complete: $0.isComplete)
        }
        devices = catalog.devices.count
        repeated = catalog.repeated
        skipped = Dictionary(uniqueKeysWithValues: CatalogSkipReason.allCases.map { ($0.rawValue, catalog.skipped[$0] ?? 0) })
        consistency = Consistency(consistent: diff.consistency.consistent, inService: diff.consistency.inService,
                                  rate: NullWhenAbsent(diff.consistency.rate.map { ($0 * 10_000).rounded() / 10_000 }))
        unregistered = diff.unregistered.map {
            Unregistered(id: $0.deviceID, name: $0.name, civilCode: $0.civilCode, parentID: $0.parentID, status: $0.status,
                         latitude: $0.latitude, longitude: $0.longitude, file: $0.file, line: $0.line)
        }
        unreported = diff.unreported.map {
            Unreported(id: $0.cameraID, name: $0.name, village: $0.village.digits, villageName: inventory.villages[$0.village]?.name)
        }
        mismatches = diff.mismatches.map {
            Mismatch(id: $0.cameraID, field: $0.field.rawValue, registry: $0.registry, platform: $0.platform, distanceMetres: $0.distanceMetres)
        }
        falseOnline = NullWhenAbsent(diff.falseOnline?.map {
            FalseOnline(id: $0.cameraID, name: $0.name, village: $0.village.digits, platformStatus: $0.platformStatus)
        })
        sweep = NullWhenAbsent(diff.falseOnline == nil ? nil : Sweep(finishedAt: sweepFinishedAt))
    }
}

/// An optional written as `null` when absent, where synthesized encoding would leave the key out: for values
/// whose absence means something (no rate without a denominator, no sweep to compare with).
struct NullWhenAbsent<Value: Encodable & Sendable>: Encodable, Sendable {
    var value: Value?
    init(_ value: Value?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
