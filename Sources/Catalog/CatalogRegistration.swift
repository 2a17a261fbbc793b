import Localization
import Registry

/// Creates pending records (一机一档 from the catalog) for the platform's devices that are not registered.
/// All or nothing: an item whose village cannot be determined, or a record that would not pass validation,
/// refuses the whole registration with every reason listed.
public enum CatalogRegistration {
    /// The village of an item: from its `CivilCode` (a 12-digit registered village code is taken as it is; a
    /// 9-digit township or 6-digit county code, or an 8-digit county + unit code, narrows the villages) and the
    /// village whose name its `Name` or `Address` contains (the longest such name). Without a CivilCode the
    /// DeviceID's county digits narrow them instead.
    public static func village(for item: CatalogItem, in inventory: Inventory) -> Result<VillageCode, FieldProblem> {
        let civilCode = item.civilCode ?? ""
        let place: String
        if civilCode.isEmpty {
            guard item.deviceID.utf8.count == 20 else { return .failure(FieldProblem("no CivilCode, and the DeviceID names no county")) }
            place = String(item.deviceID.prefix(6))
        } else {
            guard civilCode.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return .failure(FieldProblem("CivilCode \(civilCode.clippedForMessage) is not a division code"))
            }
            switch civilCode.utf8.count {
            case 12:
                if case .success(let code) = VillageCode.parse(civilCode), inventory.villages[code] != nil { return .success(code) }
                place = String(civilCode.prefix(9))
            case 9, 6: place = civilCode
            case 8: place = String(civilCode.prefix(6))
            default:
                return .failure(FieldProblem("CivilCode \(civilCode) names a province or city, not a county, township or village"))
            }
        }
        let candidates = inventory.villages.values.filter { $0.code.digits.hasPrefix(place) && !$0.name.isEmpty }
        guard !candidates.isEmpty else { return .failure(FieldProblem("no registered village in \(place) (CivilCode)")) }
        let text = (item.name ?? "") + " " + (item.address ?? "")
        let named = candidates.filter { text.contains($0.name) }
        guard let longest = named.map(\.name.count).max() else {
            return .failure(FieldProblem("neither Name nor Address names a registered village of \(place); register it by hand ('xueliang register \(item.deviceID) --village CODE …')"))
        }
        let best = named.filter { $0.name.count == longest }.sorted { $0.code < $1.code }
        guard best.count == 1 else {
            return .failure(FieldProblem("its Name or Address names several villages of \(place): \(best.map { "\($0.name) \($0.code)" }.joined(separator: ", "))"))
        }
        return .success(best[0].code)
    }

    /// Adds a pending public record for every item in `items` not yet registered, or throws every refusal
    /// and leaves `inventory` as it was. Returns the ids added, sorted.
    public static func register(_ items: [CatalogItem], into inventory: inout Inventory, validator: Validator) throws(InventoryError) -> [String] {
        let newItems = items.filter { inventory.camera(id: $0.deviceID) == nil }
        let newIDs = Set(newItems.map(\.deviceID))
        var merged = inventory
        var refusals: [InventoryIssue] = []
        var added: [String] = []
        for item in newItems {
            let subject = "camera \(item.deviceID)"
            let village: VillageCode
            switch Self.village(for: item, in: inventory) {
            case .success(let code): village = code
            case .failure(let problem):
                refusals.append(InventoryIssue(file: item.file, line: item.line, subject: subject, field: "village", message: problem.message))
                continue
            }
            var record = CameraRecord(id: item.deviceID, name: item.name ?? "", village: village, source: .public, status: .pending)
            let fields: [(CameraField, String?)] = [
                (.latitude, item.latitude.map { CatalogDiff.degrees($0) }), (.longitude, item.longitude.map { CatalogDiff.degrees($0) }),
                (.address, item.address), (.manufacturer, item.manufacturer), (.model, item.model),
            ]
            for case let (field, value?) in fields {
                do throws(FieldProblem) {
                    try record.set(field, text: value)
                } catch {
                    refusals.append(InventoryIssue(file: item.file, line: item.line, subject: subject, field: field.key, message: error.message))
                }
            }
            // A recorder named as ParentID becomes the parent when it is, or is being, registered.
            if let parentID = item.parentID, DeviceCode.type(of: parentID)?.isRecorder == true,
               inventory.camera(id: parentID) != nil || newIDs.contains(parentID) {
                record.parent = parentID
            }
            merged.upsert(record, origin: RecordOrigin(file: item.file, line: item.line))
            added.append(item.deviceID)
        }
        refusals += validator.errorsInChanges(merged)
        if !refusals.isEmpty { throw .invalid(refusals.sorted()) }
        inventory = merged
        return added.sorted()
    }
}
