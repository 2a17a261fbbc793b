import Localization
/// Imports cameras and villages from the spreadsheets staff keep (see docs/inventory-format.md for the
/// columns). All or nothing by default: any bad row fails the import with every problem listed and the
/// registry untouched. Idempotent: re-importing a file changes nothing.
public enum SpreadsheetImport {
    /// What an import did (or, in a dry run, would do).
    public struct Report: Sendable, Equatable {
        public var added: [String] = []
        public var updated: [String] = []
        public var unchanged: [String] = []
        /// Rows left out with `skipInvalid`, with their problems.
        public var rejected: [RejectedRow] = []
    }

    /// A row that was not imported, kept so it can be written back out and fixed.
    public struct RejectedRow: Sendable, Equatable {
        public var line: Int
        /// The row's cells as the file had them, but with the `user:pass@` of any URL masked: the rejects
        /// file must not carry a password the import refused to store.
        public var fields: [String]
        public var problems: [String]
    }

    // MARK: cameras

    enum CameraColumn: Hashable {
        case id, village
        /// The coordinate system of the row's latitude and longitude (`CoordinateSystem`); converted to WGS-84.
        case coordinates
        case field(CameraField)
    }

    static func cameraColumn(named header: String) -> CameraColumn? {
        let key = header.lowercased().replacingOccurrences(of: "-", with: "_").trimmingWhitespace
        switch key {
        case "id", "设备编码", "device_code": return .id
        case "village", "村社区代码", "village_code": return .village
        case "coordinates", "坐标系", "coordinate_system": return .coordinates
        default: break
        }
        return CameraField.allCases.first { $0.key == key || $0.chineseHeader == header.trimmingWhitespace }.map(CameraColumn.field)
    }

    /// Adds or updates the cameras of `table` in `inventory`. Columns a file has overwrite the record
    /// (an empty cell clears the field); columns it lacks keep what the registry had.
    public static func importCameras(_ table: CSVTable, path: String, into inventory: inout Inventory,
                                     validator: Validator, skipInvalid: Bool) throws(InventoryError) -> Report {
        var columns: [CameraColumn?] = []
        var issues: [InventoryIssue] = []
        for (position, header) in table.header.enumerated() {
            let column = cameraColumn(named: header)
            if column == nil {
                issues.append(InventoryIssue(file: path, line: 1, field: header.clipped,
                                             message: "unknown column (column \(position + 1)); see docs/inventory-format.md for the camera columns"))
            } else if columns.contains(column) {
                issues.append(InventoryIssue(file: path, line: 1, field: header.clipped, message: "column given twice"))
            }
            columns.append(column)
        }
        for required in [CameraColumn.id, .village, .field(.name), .field(.source)] where !columns.contains(required) {
            let name = switch required { case .id: "id"; case .village: "village"; case .coordinates: "coordinates"; case .field(let field): field.key }
            issues.append(InventoryIssue(file: path, line: 1, field: name, message: "required column is missing"))
        }
        if !issues.isEmpty { throw .invalid(issues) }

        var candidates: [(row: CSVTable.Row, record: CameraRecord, origin: RecordOrigin)] = []
        var rowProblems: [Int: [InventoryIssue]] = [:]
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            var problems: [InventoryIssue] = []
            func problem(_ field: String?, _ message: Message) {
                problems.append(InventoryIssue(file: path, line: row.line, field: field, message: message))
            }
            if row.fields.count != columns.count {
                problem(nil, "has \(row.fields.count) fields; the header has \(columns.count)")
                rowProblems[row.line] = problems
                continue
            }
            func cell(_ column: CameraColumn) -> String? {
                columns.firstIndex(of: column).map { row.fields[$0].trimmingWhitespace }
            }
            let id = cell(.id) ?? ""
            let villageText = cell(.village) ?? ""
            if let earlier = firstLine[id] {
                problem("id", "\(id.clipped) is also on line \(earlier)")
            } else {
                firstLine[id] = row.line
            }
            var village: VillageCode?
            switch VillageCode.parse(villageText) {
            case .success(let code):
                if inventory.villages[code] == nil {
                    problem("village", "\(code) is not in the registry; import the villages first (xueliang import --villages)")
                } else {
                    village = code
                }
            case .failure(let failure): problem("village", failure.message)
            }
            if case .failure(let failure) = DeviceCode.parse(id) { problem("id", failure.message) }
            guard let village, problems.isEmpty else {
                rowProblems[row.line] = problems
                continue
            }
            var record = inventory.camera(id: id) ?? CameraRecord(id: id, name: "", village: village, status: .pending)
            record.village = village
            for (position, column) in columns.enumerated() {
                guard case .field(let field) = column else { continue }
                do {
                    try record.set(field, text: oneLine(row.fields[position]))
                } catch {
                    problem(field.key, error.message)
                }
            }
            if let text = cell(.coordinates) {
                switch CoordinateSystem(text: text) {
                case nil:
                    problem("coordinates", "'\(text.clipped)' is not a coordinate system; use wgs84 (GPS) or gcj02 (火星坐标, map apps)")
                case .gcj02?:
                    // Only the row's own position: one kept from the registry is WGS-84 already.
                    if cell(.field(.latitude))?.isEmpty == false, cell(.field(.longitude))?.isEmpty == false,
                       let latitude = record.latitude, let longitude = record.longitude {
                        let converted = GeoPosition(latitude: latitude, longitude: longitude).wgs84FromGCJ02
                        // At the precision the registry writes (6 decimals, 0.1 m), so a re-import changes nothing.
                        record.latitude = (converted.latitude * 1e6).rounded() / 1e6
                        record.longitude = (converted.longitude * 1e6).rounded() / 1e6
                    }
                case .wgs84?:
                    break
                }
            }
            candidates.append((row, record, RecordOrigin(file: path, line: row.line)))
            if !problems.isEmpty { rowProblems[row.line] = problems }
        }

        // Rows can depend on each other (a channel names an NVR further down), so validate them together,
        // and with --skip-invalid drop the failing ones and try again until what is left stands.
        let original = inventory
        var accepted = candidates
        var merged = original
        while true {
            merged = original
            for candidate in accepted { merged.upsert(candidate.record, origin: candidate.origin) }
            // A cell that did not parse leaves its field empty; validation would only repeat that as "missing".
            let errors = validator.errorsInChanges(merged).filter { error in
                error.file == path && !(rowProblems[error.line ?? 0] ?? []).contains { $0.field == error.field }
            }
            for error in errors { rowProblems[error.line ?? 0, default: []].append(error) }
            if !skipInvalid || !accepted.contains(where: { rowProblems[$0.row.line] != nil }) { break }
            rejectChannels(of: accepted, original: original, path: path, rowProblems: &rowProblems)
            accepted.removeAll { rowProblems[$0.row.line] != nil }
        }

        if !rowProblems.isEmpty && !skipInvalid {
            throw .invalid(rowProblems.values.flatMap { $0 }.sorted())
        }
        var report = Report()
        let rowsByLine = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.line, $0) })
        report.rejected = rowProblems.keys.sorted().map { line in
            RejectedRow(line: line, fields: (rowsByLine[line]?.fields ?? []).map(EndpointURL.redactedEverywhere), problems: rowProblems[line]!.map(\.description))
        }
        for candidate in accepted {
            let id = candidate.record.id
            if let previous = original.camera(id: id) {
                if previous == candidate.record { report.unchanged.append(id) } else { report.updated.append(id) }
            } else {
                report.added.append(id)
            }
        }
        inventory = merged
        return report
    }

    /// Rejects, in one pass, every accepted row whose parent is a new device of a rejected row, and their
    /// channels in turn: without its parent such a row fails validation anyway, and finding that out one
    /// validation pass per link of a chain of recorders was quadratic (2,000 rows took 14.8 s).
    private static func rejectChannels(of accepted: [(row: CSVTable.Row, record: CameraRecord, origin: RecordOrigin)],
                                       original: Inventory, path: String, rowProblems: inout [Int: [InventoryIssue]]) {
        var channelsByParent: [String: [Int]] = [:]
        for (position, candidate) in accepted.enumerated() {
            if let parent = candidate.record.parent { channelsByParent[parent, default: []].append(position) }
        }
        // A rejected update leaves the registry's own record, so only rejected new devices take channels with them.
        var lost = accepted.filter { rowProblems[$0.row.line] != nil && original.camera(id: $0.record.id) == nil }
            .map { (id: $0.record.id, line: $0.row.line) }
        while let parent = lost.popLast() {
            for position in channelsByParent[parent.id] ?? [] where rowProblems[accepted[position].row.line] == nil {
                let channel = accepted[position]
                rowProblems[channel.row.line] = [InventoryIssue(file: path, line: channel.row.line, field: CameraField.parent.key,
                                                                message: "device \(parent.id) is not in the registry (its row, line \(parent.line), was rejected)")]
                if original.camera(id: channel.record.id) == nil { lost.append((channel.record.id, channel.row.line)) }
            }
        }
    }

    /// A line break inside a cell (Alt+Enter in Excel) becomes a space: records are one line per field.
    static func oneLine(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return cell }
        return cell.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).joined(separator: " ")
    }

    // MARK: villages

    enum VillageColumn: String, CaseIterable {
        case code, name, kind, township, station, keyPoints = "key_points"

        var chineseHeader: String {
            switch self {
            case .code: "区划代码"
            case .name: "名称"
            case .kind: "类型"
            case .township: "乡镇街道"
            case .station: "派出所"
            case .keyPoints: "重点点位"
            }
        }
    }

    /// Adds or updates villages from `table`; key points are written `id:name;id:name`.
    public static func importVillages(_ table: CSVTable, path: String, into inventory: inout Inventory,
                                      validator: Validator, skipInvalid: Bool) throws(InventoryError) -> Report {
        var issues: [InventoryIssue] = []
        let columns: [VillageColumn?] = table.header.map { header in
            let key = header.lowercased().replacingOccurrences(of: "-", with: "_")
            return VillageColumn.allCases.first { $0.rawValue == key || $0.chineseHeader == header }
        }
        for (header, column) in zip(table.header, columns) where column == nil {
            issues.append(InventoryIssue(file: path, line: 1, field: header.clipped, message: "unknown column; village columns are \(VillageColumn.allCases.map { "\($0.rawValue)/\($0.chineseHeader)" }.joined(separator: ", "))"))
        }
        for required in [VillageColumn.code, .name] where !columns.contains(required) {
            issues.append(InventoryIssue(file: path, line: 1, field: required.rawValue, message: "required column is missing"))
        }
        if !issues.isEmpty { throw .invalid(issues) }

        var report = Report()
        var merged = inventory
        var seen: [String: Int] = [:]
        for row in table.rows {
            var problems: [InventoryIssue] = []
            func problem(_ field: String?, _ message: Message) {
                problems.append(InventoryIssue(file: path, line: row.line, field: field, message: message))
            }
            guard row.fields.count == columns.count else {
                problem(nil, "has \(row.fields.count) fields; the header has \(columns.count)")
                issues += problems
                report.rejected.append(RejectedRow(line: row.line, fields: row.fields.map(EndpointURL.redactedEverywhere), problems: problems.map(\.description)))
                continue
            }
            var values: [VillageColumn: String] = [:]
            for (column, value) in zip(columns, row.fields) { values[column!] = oneLine(value).trimmingWhitespace }
            for (column, value) in values {
                do { try FieldText.checkSingleLine(value) } catch { problem(column.rawValue, error.message) }
            }
            let codeText = values[.code] ?? ""
            if let earlier = seen[codeText] { problem("code", "\(codeText.clipped) is also on line \(earlier)") } else { seen[codeText] = row.line }
            var village: Village?
            switch VillageCode.parse(codeText) {
            case .failure(let failure): problem("code", failure.message)
            case .success(let code):
                var candidate = merged.villages[code] ?? Village(code: code, name: "", kind: .village, township: "", station: "")
                if let name = values[.name] { candidate.name = name }
                if let township = values[.township] { candidate.township = township }
                if let station = values[.station] { candidate.station = station }
                if let kindText = values[.kind], !kindText.isEmpty {
                    switch kindText.lowercased() {
                    case "village", "村": candidate.kind = .village
                    case "community", "社区": candidate.kind = .community
                    default: problem("kind", "'\(kindText.clipped)' is not village (村) or community (社区)")
                    }
                }
                if let pointsText = values[.keyPoints] {
                    candidate.keyPoints = pointsText.split(whereSeparator: { $0 == ";" || $0 == "；" }).compactMap { entry in
                        let parts = entry.split(separator: ":", maxSplits: 1).map { String($0).trimmingWhitespace }
                        guard parts.count == 2, !parts[0].isEmpty else {
                            problem("key_points", "'\(String(entry).clipped)' is not id:name")
                            return nil
                        }
                        let existing = candidate.keyPoints.first { $0.id == parts[0] }
                        return KeyPoint(id: parts[0], name: parts[1], latitude: existing?.latitude, longitude: existing?.longitude)
                    }
                }
                let villageIssues = validator.validate(candidate, origin: RecordOrigin(file: path, line: row.line))
                for issue in villageIssues where issue.severity == .error {
                    problems.append(InventoryIssue(file: path, line: row.line, field: issue.field, message: issue.message))
                }
                problems += Inventory.removedKeyPointIssues(merged.camerasCoveringRemovedKeyPoints(candidate), village: code, file: path,
                                                            line: row.line)
                village = candidate
            }
            if let village, problems.isEmpty {
                let before = merged.villages[village.code]
                merged.upsert(village, origin: RecordOrigin(file: path, line: row.line))
                if before == nil { report.added.append(village.code.digits) }
                else if before == village { report.unchanged.append(village.code.digits) }
                else { report.updated.append(village.code.digits) }
            } else {
                issues += problems
                report.rejected.append(RejectedRow(line: row.line, fields: row.fields.map(EndpointURL.redactedEverywhere), problems: problems.map(\.description)))
            }
        }
        if !issues.isEmpty && !skipInvalid { throw .invalid(issues) }
        inventory = merged
        return report
    }
}

import Foundation
