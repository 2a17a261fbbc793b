import Localization
/// Imports cameras and villages from the spreadsheets staff keep (see docs/inventory-format.md for the
/// columns). All or nothing by default: any bad row fails the import with every problem listed and the
/// registry untouched. Idempotent: re-importing a file changes nothing. Never a silent overwrite: a change
/// to a camera already in the registry is applied only with `Options.update`.
public enum SpreadsheetImport {
    /// How an import treats bad rows, existing records and empty cells.
    public struct Options: Sendable, Equatable {
        /// Import the valid rows and report the others as rejected, instead of refusing the whole file.
        public var skipInvalid: Bool
        /// Apply changes to cameras already in the registry. Without it such changes are refused, each
        /// camera's listed field by field, and nothing is written; new cameras need no flag.
        public var update: Bool
        /// An empty cell clears its field. Without it an empty cell keeps what the registry has, so a sheet
        /// with a few columns filled in updates only what it says.
        public var clearBlanks: Bool

        public init(skipInvalid: Bool = false, update: Bool = false, clearBlanks: Bool = false) {
            self.skipInvalid = skipInvalid
            self.update = update
            self.clearBlanks = clearBlanks
        }
    }

    /// What an import did (or, in a dry run, would do).
    public struct Report: Sendable, Equatable {
        public var added: [String] = []
        public var updated: [String] = []
        public var unchanged: [String] = []
        /// Rows left out with `skipInvalid`, with their problems.
        public var rejected: [RejectedRow] = []
        /// Headers that name no column the import reads (序号, 备注, …), in the sheet's order: not read.
        public var ignoredColumns: [String] = []
        /// Each camera added or changed, in the sheet's order: a changed one with its fields before and after.
        public var changes: [RecordChange] = []
    }

    /// A row that was not imported, kept so it can be written back out and fixed.
    public struct RejectedRow: Sendable, Equatable {
        public var line: Int
        /// The row's cells as the file had them, but with the `user:pass@` of any URL masked: the rejects
        /// file must not carry a password the import refused to store.
        public var fields: [String]
        public var problems: [String]
    }

    /// A camera an import adds or changes.
    public struct RecordChange: Sendable, Equatable {
        public var id: String
        /// The row of the sheet.
        public var line: Int
        /// The camera's name after the import.
        public var name: String
        /// The camera's village after the import: its code and name.
        public var village: String
        /// Not in the registry before.
        public var isNew: Bool
        /// Every field whose value differs, in the order files write them; empty for a camera added.
        public var fields: [FieldChange]
    }

    /// One field's value before and after, as output may show it: phones masked, URLs without `user:pass@`.
    public struct FieldChange: Sendable, Equatable {
        /// The field's key (`village`, `name`, `phone`, …).
        public var field: String
        /// Nil: empty.
        public var old: String?
        public var new: String?
    }

    // MARK: cameras

    enum CameraColumn: Hashable {
        /// `village` holds a code or a name; `villageName` a name (or a code), for sheets that have both.
        case id, village, villageName
        /// The coordinate system of the row's latitude and longitude (`CoordinateSystem`); converted to WGS-84.
        case coordinates
        case field(CameraField)
        /// The `error` column of a rejects file: the import's own account of the row, not read back.
        case rejectsError

        /// The column's name in docs/inventory-format.md.
        var key: String {
            switch self {
            case .id: "id"
            case .village: "village"
            case .villageName: "village_name"
            case .coordinates: "coordinates"
            case .field(let field): field.key
            case .rejectsError: "error"
            }
        }
    }

    /// Every header a camera sheet may use, with the column it means: the English key, the Chinese header of
    /// each field, and the other headers real sheets use. docs/inventory-format.md lists the same table.
    static let cameraHeaders: [(header: String, column: CameraColumn)] = {
        var table: [(header: String, column: CameraColumn)] = [
            ("id", .id), ("device_code", .id), ("设备编码", .id), ("设备编号", .id), ("编号", .id), ("国标编码", .id),
            ("village", .village), ("village_code", .village), ("村社区代码", .village), ("所属村(社区)", .village), ("所属村", .village),
            ("所属社区", .village),
            ("village_name", .villageName), ("村(社区)名称", .villageName), ("村社区名称", .villageName), ("村社区", .villageName),
            ("coordinates", .coordinates), ("coordinate_system", .coordinates), ("坐标系", .coordinates),
            ("error", .rejectsError), ("错误", .rejectsError),
        ]
        for field in CameraField.allCases {
            table.append((field.key, .field(field)))
            if field.chineseHeader != field.key { table.append((field.chineseHeader, .field(field))) }
            for header in otherHeaders(field) { table.append((header, .field(field))) }
        }
        return table
    }()

    /// Headers of a field besides its key and Chinese header.
    private static func otherHeaders(_ field: CameraField) -> [String] {
        switch field {
        case .name: ["设备名称", "摄像机名称"]
        case .status: ["设备状态"]
        case .latitude: ["lat"]
        case .longitude: ["lng", "lon"]
        case .address: ["安装地址", "详细地址"]
        case .direction: ["方向", "朝向"]
        case .station: ["所属派出所"]
        case .manufacturer: ["品牌", "设备厂商"]
        case .model: ["设备型号"]
        case .installedOn: ["installed_on", "安装时间"]
        case .maintainerPhone: ["运维联系电话"]
        case .covers: ["重点点位"]
        case .parent: ["上级设备编码"]
        case .owner: ["负责人"]
        case .phone: ["联系电话", "机主电话", "手机", "手机号"]
        default: []
        }
    }

    private static let columnsByHeader: [String: CameraColumn] = {
        var columns: [String: CameraColumn] = [:]
        for (header, column) in cameraHeaders { columns[normalisedHeader(header)] = columns[normalisedHeader(header)] ?? column }
        return columns
    }()

    /// A header as it is matched: case, spaces, `-` against `_`, full-width brackets and a template's trailing
    /// `*` (a required column) make no difference.
    static func normalisedHeader(_ header: String) -> String {
        var key = header.trimmingWhitespace.lowercased()
            .replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            .replacingOccurrences(of: "-", with: "_")
        key.removeAll { $0 == " " || $0 == "\u{3000}" }
        while key.hasSuffix("*") || key.hasSuffix("＊") { key.removeLast() }
        return key
    }

    static func cameraColumn(named header: String) -> CameraColumn? { columnsByHeader[normalisedHeader(header)] }

    /// Whether a header is the `error` column of a rejects file (`error` or `错误`), which an import skips.
    public static func isRejectsErrorHeader(_ header: String) -> Bool { cameraColumn(named: header) == .rejectsError }

    /// Adds or updates the cameras of `table` in `inventory`. A row's id finds its record; columns the sheet
    /// lacks, and empty cells unless `clearBlanks`, keep what the registry has. A change to an existing camera
    /// is refused, with what would change, unless `update`.
    public static func importCameras(_ table: CSVTable, path: String, into inventory: inout Inventory,
                                     validator: Validator, options: Options = Options()) throws(InventoryError) -> Report {
        var columns: [CameraColumn?] = []
        var issues: [InventoryIssue] = []
        var ignored: [String] = []
        for header in table.header {
            let column = cameraColumn(named: header)
            if column == nil {
                ignored.append(header.clipped)
            } else if columns.contains(column) {
                issues.append(InventoryIssue(file: path, line: 1, field: header.clipped, message: "column given twice"))
            }
            columns.append(column)
        }
        if !columns.contains(.id) {
            issues.append(InventoryIssue(file: path, line: 1, field: "id", message: "required column is missing"))
        }
        if !issues.isEmpty { throw .invalid(issues) }

        let idColumn = columns.firstIndex(of: .id)!
        let sheetIDs = Set(table.rows.compactMap { $0.fields.count == columns.count ? $0.fields[idColumn].trimmingWhitespace : nil })
        var mangling = ExcelMangling(ids: inventory.cameras.map(\.id))
        var villageNames: VillageNames?
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
                columns.firstIndex(of: column).map { oneLine(row.fields[$0]).trimmingWhitespace }
            }
            let id = cell(.id) ?? ""
            if let earlier = firstLine[id] {
                problem("id", "\(id.clipped) is also on line \(earlier)")
            } else {
                firstLine[id] = row.line
            }
            let existing = inventory.camera(id: id)
            if let mangled = mangling.problem(id: id, known: existing != nil) {
                problem("id", mangled)
            } else if case .failure(let failure) = DeviceCode.parse(id) {
                problem("id", failure.message)
            }

            // A name is looked up in the county of the id, so only a valid id's; a code stands on its own.
            let idIsValid = problems.isEmpty
            var village = existing?.village
            var given: (code: VillageCode, field: String)?
            for column in [CameraColumn.village, .villageName] {
                guard let text = cell(column), !text.isEmpty, idIsValid || VillageNames.looksLikeCode(text) else { continue }
                if villageNames == nil { villageNames = VillageNames(inventory) }
                switch villageNames!.resolve(text, county: String(id.prefix(6))) {
                case .failure(let failure):
                    problem(column.key, failure.message)
                case .success(let code):
                    if let given, given.code != code {
                        problem(column.key, "'\(text.clipped)' is village \(code), but \(given.field) says \(given.code)")
                    } else {
                        given = (code, column.key)
                        village = code
                    }
                }
            }
            if village == nil && problems.isEmpty {
                problem("village", "a new camera needs its village: its 12-digit code or the name of a village in the registry")
            }
            guard let village, problems.isEmpty else {
                rowProblems[row.line] = problems
                continue
            }
            var record = existing ?? CameraRecord(id: id, name: "", village: village, status: .pending)
            record.village = village
            for (position, column) in columns.enumerated() {
                guard case .field(let field) = column else { continue }
                let text = oneLine(row.fields[position])
                if !options.clearBlanks && text.trimmingWhitespace.isEmpty { continue }
                do {
                    try record.set(field, text: text)
                } catch {
                    problem(field.key, error.message)
                }
            }
            if cell(.field(.covers))?.isEmpty == false, let place = inventory.villages[village] {
                record.covers = record.covers.map { point in
                    switch keyPoint(point, in: place) {
                    case .success(let id): return id
                    case .failure(let failure):
                        problem(CameraField.covers.key, failure.message)
                        return point
                    }
                }
            }
            if let parent = cell(.field(.parent)), !parent.isEmpty,
               let mangled = mangling.problem(id: parent, known: inventory.camera(id: parent) != nil || sheetIDs.contains(parent)) {
                problem(CameraField.parent.key, mangled)
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
            if !options.skipInvalid || !accepted.contains(where: { rowProblems[$0.row.line] != nil }) { break }
            rejectChannels(of: accepted, original: original, path: path, rowProblems: &rowProblems)
            accepted.removeAll { rowProblems[$0.row.line] != nil }
        }

        var report = Report()
        report.ignoredColumns = ignored
        for candidate in accepted where rowProblems[candidate.row.line] == nil {
            let id = candidate.record.id
            let previous = original.camera(id: id)
            if previous == candidate.record {
                report.unchanged.append(id)
                continue
            }
            if previous == nil { report.added.append(id) } else { report.updated.append(id) }
            // An added camera's every field is new: listing them costs a city-sized import a third of its time.
            let fields = previous.map { fieldChanges(from: $0, to: candidate.record, villages: original.villages) } ?? []
            report.changes.append(RecordChange(id: id, line: candidate.row.line, name: candidate.record.name,
                                               village: villageText(candidate.record.village, in: original.villages), isNew: previous == nil,
                                               fields: fields))
        }
        // Never a silent overwrite: what an existing camera would lose is shown, and kept, unless asked for.
        let refusals = options.update ? [] : report.changes.filter { !$0.isNew }.map { change in
            InventoryIssue(file: path, line: change.line, subject: "camera \(change.id)",
                           message: "already in the registry; this import would change \(describe(change.fields)); nothing is changed "
                               + "without --update (--dry-run lists every change)")
        }
        let blocking = options.skipInvalid ? [] : rowProblems.values.flatMap { $0 }
        if !blocking.isEmpty || !refusals.isEmpty { throw .invalid((blocking + refusals).sorted()) }

        let rowsByLine = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.line, $0) })
        report.rejected = rowProblems.keys.sorted().map { line in
            RejectedRow(line: line, fields: (rowsByLine[line]?.fields ?? []).map(EndpointURL.redactedEverywhere), problems: rowProblems[line]!.map(\.description))
        }
        inventory = merged
        return report
    }

    /// The key point of `village` that a `covers` entry names: its id, or its name (村口) when one key point
    /// has that name.
    static func keyPoint(_ entry: String, in village: Village) -> Result<String, FieldProblem> {
        if village.keyPoints.contains(where: { $0.id == entry }) { return .success(entry) }
        let named = village.keyPoints.filter { $0.name == entry }
        switch named.count {
        case 0:
            // Validation says that the village has no such key point, with the village's code.
            return .success(entry)
        case 1:
            return .success(named[0].id)
        default:
            return .failure(FieldProblem("'\(entry.clipped)' names \(named.count) key points of village \(village.code) "
                + "(\(named.map(\.id).joined(separator: ", "))); write the key point's id"))
        }
    }

    /// What differs between a camera before and after, each value as output may show it.
    static func fieldChanges(from old: CameraRecord, to new: CameraRecord, villages: [VillageCode: Village]) -> [FieldChange] {
        var changes: [FieldChange] = []
        if old.village != new.village {
            changes.append(FieldChange(field: "village", old: villageText(old.village, in: villages), new: villageText(new.village, in: villages)))
        }
        for field in CameraField.allCases {
            let before = old.text(of: field)
            let after = new.text(of: field)
            if before != after { changes.append(FieldChange(field: field.key, old: before.map { shown(field, $0) }, new: after.map { shown(field, $0) })) }
        }
        return changes
    }

    /// `450128101201 青山村`.
    static func villageText(_ code: VillageCode, in villages: [VillageCode: Village]) -> String {
        villages[code].map { "\(code) \($0.name)" } ?? code.digits
    }

    /// A field's value as output shows it: phones masked, URLs without `user:pass@`.
    static func shown(_ field: CameraField, _ text: String) -> String {
        switch field {
        case .phone, .maintainerPhone: PhoneNumber.masked(text)
        default: EndpointURL.redactedEverywhere(text)
        }
    }

    /// `name: 村口 → 村口东; phone: (empty) → 139****8888`.
    public static func describe(_ fields: [FieldChange]) -> String {
        let empty = Message("(empty)").description
        return fields.map { "\($0.field): \($0.old ?? empty) → \($0.new ?? empty)" }.joined(separator: "; ")
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
        /// The `error` column of a rejects file.
        case rejectsError = "error"

        var chineseHeader: String {
            switch self {
            case .code: "区划代码"
            case .name: "名称"
            case .kind: "类型"
            case .township: "乡镇街道"
            case .station: "派出所"
            case .keyPoints: "重点点位"
            case .rejectsError: "错误"
            }
        }

        init?(header: String) {
            let key = SpreadsheetImport.normalisedHeader(header)
            guard let column = Self.allCases.first(where: { $0.rawValue == key || $0.chineseHeader == key }) else { return nil }
            self = column
        }
    }

    /// Adds or updates villages from `table`; key points are written `id:name;id:name`. Columns the sheet lacks,
    /// and empty cells unless `clearBlanks`, keep what the registry has.
    public static func importVillages(_ table: CSVTable, path: String, into inventory: inout Inventory,
                                      validator: Validator, options: Options = Options()) throws(InventoryError) -> Report {
        var issues: [InventoryIssue] = []
        let columns = table.header.map(VillageColumn.init(header:))
        for (position, (header, column)) in zip(table.header, columns).enumerated() where column != nil && columns[..<position].contains(column) {
            issues.append(InventoryIssue(file: path, line: 1, field: header.clipped, message: "column given twice"))
        }
        for required in [VillageColumn.code, .name] where !columns.contains(required) {
            issues.append(InventoryIssue(file: path, line: 1, field: required.rawValue, message: "required column is missing"))
        }
        if !issues.isEmpty { throw .invalid(issues) }

        var report = Report()
        report.ignoredColumns = zip(table.header, columns).filter { $0.1 == nil }.map { $0.0.clipped }
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
            for (column, value) in zip(columns, row.fields) {
                guard let column, column != .rejectsError else { continue }
                let text = oneLine(value).trimmingWhitespace
                if !text.isEmpty || options.clearBlanks || column == .code { values[column] = text }
            }
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
                    if let kind = Spellings.lookUp(kindText, in: Spellings.villageKind) {
                        candidate.kind = kind
                    } else {
                        problem("kind", "'\(kindText.clipped)' is not village (村) or community (社区)")
                    }
                }
                if let pointsText = values[.keyPoints] {
                    candidate.keyPoints = pointsText.split(whereSeparator: { $0 == ";" || $0 == "；" }).compactMap { entry in
                        let parts = entry.split(whereSeparator: { $0 == ":" || $0 == "：" }).map { String($0).trimmingWhitespace }
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
        if !issues.isEmpty && !options.skipInvalid { throw .invalid(issues) }
        inventory = merged
        return report
    }
}

/// The villages of the registry by name, per county, for sheets that write 青山村 (or 青山村委会) where the
/// code belongs.
struct VillageNames {
    private let byCounty: [String: [(village: Village, key: String)]]
    private let codes: Set<VillageCode>

    init(_ inventory: Inventory) {
        codes = Set(inventory.villages.keys)
        var byCounty: [String: [(village: Village, key: String)]] = [:]
        for village in inventory.sortedVillages {
            byCounty[village.code.countyCode, default: []].append((village, Self.key(village.name)))
        }
        self.byCounty = byCounty
    }

    /// A name without its committee: 青山村委会 and 青山村村民委员会 are 青山村, 城关社区居委会 and 城关居委会 城关社区.
    static func key(_ name: String) -> String {
        var name = name
        name.removeAll { $0 == " " || $0 == "\u{3000}" }
        for (suffixes, base) in [(["村民委员会", "村委会"], "村"), (["社区居民委员会", "社区居委会", "居民委员会", "居委会"], "社区")] {
            guard let suffix = suffixes.first(where: { name.hasSuffix($0) && name.count > $0.count }) else { continue }
            name.removeLast(suffix.count)
            if !name.hasSuffix(base) { name += base }
            return name
        }
        return name
    }

    /// Digits (a code, maybe a wrong one) or a number Excel made of one, not a name.
    static func looksLikeCode(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } || ExcelMangling.scientific(text) != nil
    }

    /// The code `text` gives: a 12-digit code of a village in the registry, or the name of exactly one
    /// village or community of `county`.
    func resolve(_ text: String, county: String) -> Result<VillageCode, FieldProblem> {
        if ExcelMangling.scientific(text) != nil {
            return .failure(FieldProblem("'\(text.clipped)' is a number, not a code: Excel showed the 12-digit code in scientific notation "
                + "and kept only some of its digits; format the column as Text (设置单元格格式→文本) and re-enter the codes"))
        }
        if Self.looksLikeCode(text) {
            switch VillageCode.parse(text) {
            case .failure(let failure): return .failure(failure)
            case .success(let code):
                guard codes.contains(code) else {
                    return .failure(FieldProblem("\(code) is not in the registry; import the villages first (xueliang import --villages)"))
                }
                return .success(code)
            }
        }
        let villages = byCounty[county] ?? []
        var found = villages.filter { $0.village.name == text }
        let key = Self.key(text)
        if found.isEmpty { found = villages.filter { $0.key == key } }
        func listed(_ entries: some Sequence<(village: Village, key: String)>) -> String {
            entries.map { "\($0.village.code) \($0.village.name) (\($0.village.township))" }.joined(separator: ", ")
        }
        switch found.count {
        case 1:
            return .success(found[0].village.code)
        case 0:
            let similar = villages.filter { $0.key.contains(key) || key.contains($0.key) }
            if villages.isEmpty {
                return .failure(FieldProblem("no village or community named '\(text.clipped)' in county \(county): the registry has no "
                    + "villages there; import them first (xueliang import --villages)"))
            }
            if similar.isEmpty {
                return .failure(FieldProblem("no village or community named '\(text.clipped)' in county \(county); give its 12-digit "
                    + "code, or import it first (xueliang import --villages)"))
            }
            return .failure(FieldProblem("no village or community named '\(text.clipped)' in county \(county); similar: "
                + "\(listed(similar.prefix(5))); give the 12-digit code"))
        default:
            return .failure(FieldProblem("'\(text.clipped)' names \(found.count) villages in county \(county): \(listed(found)); "
                + "give the 12-digit code"))
        }
    }
}
