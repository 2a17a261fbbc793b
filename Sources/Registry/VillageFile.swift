import Localization
/// The inventory file format, version 1: one `CODE.village` file per village or community,
/// holding the village, its key points and its cameras, one `key = value` per line in a fixed
/// order so that a change to a camera is a one-line diff. Specified in docs/inventory-format.md.
public enum VillageFile {
    /// The version line every file starts with.
    public static let formatLine = "format = " + format
    /// The format and version this version of the tool reads and writes.
    public static let format = "xueliang.village/1"
    public static let fileExtension = "village"
    /// The largest village file read: a village of thousands of cameras is well under 1 MiB.
    public static let maximumFileBytes = 64 << 20
    /// The longest line read: a field's value holds at most 1,024 bytes.
    public static let maximumLineBytes = 4096

    /// What one file held, and every problem found reading it.
    public struct Contents: Sendable {
        public var village: Village?
        public var villageLine: Int
        public var cameras: [CameraRecord]
        public var origins: [RecordOrigin]
        public var issues: [InventoryIssue]
    }

    private enum Section {
        case preamble
        case village
        case keyPoint(index: Int)
        case camera(index: Int)
        case unknown
    }

    /// Parses a file's text. `path` is used in issues; `expectedCode` is the code its name promises.
    public static func parse(_ text: String, path: String, expectedCode: String?) -> Contents {
        parse(bytes: Array(text.utf8), path: path, expectedCode: expectedCode)
    }

    /// Parses a file's bytes, which must be UTF-8.
    ///
    /// Every line that is not understood is an issue with its line, so that a write, which renders the file
    /// anew from what was understood, can refuse to drop it. The first line must declare the format: a file
    /// that does not is not read any further, so no line of a file that is not a village file (a credentials
    /// file behind a link, a key) is ever quoted in a message.
    public static func parse(bytes: [UInt8], path: String, expectedCode: String?) -> Contents {
        var contents = Contents(village: nil, villageLine: 0, cameras: [], origins: [], issues: [])
        var issues: [InventoryIssue] = []
        var section = Section.preamble
        var sawFormat = false
        var villageFields: [String: (value: String, line: Int)] = [:]
        var keyPoints: [KeyPoint] = []
        var keyPointLines: [Int] = []
        var seenKeys = Set<String>()
        // Camera fields are checked for repeats with a bit each: a Set<String> per section was a hash per line.
        var seenCameraFields: UInt64 = 0
        // The village code must be known before cameras are built; the [village] section comes first.
        let placeholderCode = VillageCode(uncheckedDigits: expectedCode ?? "000000000000")

        func issue(_ line: Int, _ subject: String?, _ field: String?, _ message: Message, cameraID: String? = nil) {
            issues.append(InventoryIssue(file: path, line: line, subject: subject, field: field, message: message, cameraID: cameraID))
        }

        // Validated once for the whole file; only when that fails is each unusual line checked on its own.
        let isUTF8 = String(validating: bytes, as: UTF8.self) != nil
        // Bytes, not Characters: at city scale (4 million lines) grapheme-aware String scanning dominated load time.
        var lineNumber = 0
        // A byte order mark (Notepad's "UTF-8") says nothing the format does not; it is not written back.
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            var unusual = false
            while lineEnd < bytes.count && bytes[lineEnd] != 10 {
                // One comparison for printable ASCII: below 0x20 wraps around to above 0x5F.
                let byte = bytes[lineEnd]
                if byte &- 0x20 >= 0x5F && (byte < 0x80 || !isUTF8) { unusual = true }
                lineEnd += 1
            }
            defer { lineStart = lineEnd + 1 }
            lineNumber += 1
            let problem: Message? = lineEnd - lineStart > maximumLineBytes
                ? "the line is \(lineEnd - lineStart) bytes long; at most \(maximumLineBytes) are read"
                : unusual ? lineProblem(bytes[lineStart..<lineEnd], checkUTF8: !isUTF8) : nil
            var contentStart = lineStart
            var contentEnd = lineEnd
            while contentStart < contentEnd && (bytes[contentStart] == 32 || bytes[contentStart] == 9) { contentStart += 1 }
            while contentEnd > contentStart && (bytes[contentEnd - 1] == 32 || bytes[contentEnd - 1] == 9 || bytes[contentEnd - 1] == 13) { contentEnd -= 1 }
            let isBlankOrComment = contentStart == contentEnd || bytes[contentStart] == UInt8(ascii: "#")
            if !sawFormat {
                if problem == nil && isBlankOrComment { continue }
                let declared = problem == nil ? declaredFormat(bytes[contentStart..<contentEnd]) : nil
                if declared == format {
                    sawFormat = true
                    seenKeys.insert("format")
                    continue
                }
                if let declared, declared.hasPrefix("xueliang.village/") {
                    issue(lineNumber, nil, "format", "'\(declared.clipped)' is not a format this version reads (\(format)): written by a newer "
                        + "xueliang? Nothing in this file was read, and no write will touch it")
                } else {
                    issue(lineNumber, nil, "format", "missing '\(formatLine)' at the top; this is not a village file (nothing in it was read)")
                }
                break
            }
            if let problem {
                issue(lineNumber, nil, nil, problem)
                continue
            }
            guard !isBlankOrComment else { continue }
            let first = bytes[contentStart]
            let lineText = { String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self) }
            if first == UInt8(ascii: "[") {
                let trimmedStart = Substring(lineText())
                guard trimmedStart.last == "]" else {
                    issue(lineNumber, nil, nil, "section header '\(String(trimmedStart).clipped)' does not end with ]")
                    section = .unknown
                    continue
                }
                let inside = trimmedStart.dropFirst().dropLast()
                // `[kind argument]`: split at the first space, on bytes (one header per camera at city scale).
                let insideBytes = bytes[(contentStart + 1)..<(contentEnd - 1)]
                let parts: [String]
                if let space = insideBytes.firstIndex(where: { $0 == 32 || $0 == 9 }) {
                    parts = [String(decoding: insideBytes[..<space], as: UTF8.self),
                             String(decoding: insideBytes[(space + 1)...], as: UTF8.self).trimmingWhitespace]
                } else {
                    parts = [String(decoding: insideBytes, as: UTF8.self)]
                }
                seenKeys.removeAll(keepingCapacity: true)
                seenCameraFields = 0
                switch (parts.first, parts.count) {
                case ("village", 1):
                    if contents.villageLine != 0 { issue(lineNumber, nil, nil, "a second [village] section; one file holds one village") }
                    contents.villageLine = lineNumber
                    section = .village
                case ("keypoint", 2):
                    keyPoints.append(KeyPoint(id: parts[1], name: ""))
                    keyPointLines.append(lineNumber)
                    section = .keyPoint(index: keyPoints.count - 1)
                case ("camera", 2):
                    contents.cameras.append(CameraRecord(id: parts[1], name: "", village: placeholderCode))
                    contents.origins.append(RecordOrigin(file: path, line: lineNumber))
                    section = .camera(index: contents.cameras.count - 1)
                default:
                    issue(lineNumber, nil, nil, "unknown section [\(String(inside).clipped)]; expected [village], [keypoint ID] or [camera ID]")
                    section = .unknown
                }
                continue
            }

            guard let equals = bytes[contentStart..<contentEnd].firstIndex(of: UInt8(ascii: "=")) else {
                issue(lineNumber, nil, nil, "expected 'key = value' or a [section]; this line has no '='")
                continue
            }
            var keyEnd = equals
            while keyEnd > contentStart && (bytes[keyEnd - 1] == 32 || bytes[keyEnd - 1] == 9) { keyEnd -= 1 }
            var valueStart = equals + 1
            while valueStart < contentEnd && (bytes[valueStart] == 32 || bytes[valueStart] == 9) { valueStart += 1 }
            let key = String(decoding: bytes[contentStart..<keyEnd], as: UTF8.self)
            let value = String(decoding: bytes[valueStart..<contentEnd], as: UTF8.self)
            if case .unknown = section { continue }
            guard isKey(bytes[contentStart..<keyEnd]) else {
                issue(lineNumber, subject(of: section, keyPoints, contents.cameras), nil, "the text before '=' is not a key (letters, digits and _)")
                continue
            }
            if case .camera(let index) = section, let field = CameraField.forKey(key) {
                let bit: UInt64 = 1 << UInt64(field.rawValue)
                if seenCameraFields & bit != 0 {
                    issue(lineNumber, "camera \(contents.cameras[index].id)", key, "given twice in one section", cameraID: contents.cameras[index].id)
                    continue
                }
                seenCameraFields |= bit
                contents.origins[index].noteLine(lineNumber, of: field)
                do {
                    try contents.cameras[index].set(field, text: value)
                } catch {
                    issue(lineNumber, "camera \(contents.cameras[index].id)", key, error.message, cameraID: contents.cameras[index].id)
                }
                continue
            }
            if !seenKeys.insert(key).inserted {
                issue(lineNumber, subject(of: section, keyPoints, contents.cameras), key, "given twice in one section")
                continue
            }
            switch section {
            case .preamble:
                issue(lineNumber, nil, key, "unknown key before the first section")
            case .village:
                if ["code", "name", "kind", "township", "station"].contains(key) {
                    villageFields[key] = (value, lineNumber)
                } else {
                    issue(lineNumber, "village", key, "unknown key; a [village] has code, name, kind, township, station")
                }
            case .keyPoint(let index):
                let text = value
                switch key {
                case "name": keyPoints[index].name = text
                case "latitude", "longitude":
                    do {
                        let number = try FieldText.coordinate(text, limit: key == "latitude" ? 90 : 180)
                        if key == "latitude" { keyPoints[index].latitude = number } else { keyPoints[index].longitude = number }
                    } catch {
                        issue(lineNumber, "key point \(keyPoints[index].id)", key, error.message)
                    }
                default:
                    issue(lineNumber, "key point \(keyPoints[index].id)", key, "unknown key; a [keypoint] has name, latitude, longitude")
                }
            case .camera(let index):
                // Known fields were handled above.
                issue(lineNumber, "camera \(contents.cameras[index].id)", key, "unknown key", cameraID: contents.cameras[index].id)
            case .unknown:
                break
            }
        }

        guard sawFormat else {
            if issues.isEmpty { issue(1, nil, "format", "missing '\(formatLine)' at the top; this is not a village file (nothing in it was read)") }
            contents.cameras = []
            contents.origins = []
            contents.issues = issues
            return contents
        }
        contents.village = buildVillage(villageFields, keyPoints: keyPoints, keyPointLines: keyPointLines,
                                        line: contents.villageLine, path: path, expectedCode: expectedCode, issue: { issue($0, $1, $2, $3) })
        if let code = contents.village?.code {
            for index in contents.cameras.indices { contents.cameras[index].village = code }
        }
        shareRepeatedValues(&contents.cameras)
        contents.issues = issues
        return contents
    }

    /// Makes the cameras of a file that name the same station, maintainer, maker, model, builder or credential
    /// share one copy of that text. Such values repeat across a village's cameras, and each longer than 15
    /// bytes (most Chinese names) is a heap allocation of its own: at city scale a few tens of MB.
    private static func shareRepeatedValues(_ cameras: inout [CameraRecord]) {
        guard cameras.count > 1 else { return }
        var seen: [String: String] = [:]
        func shared(_ value: String?) -> String? {
            guard let value, value.utf8.count > 15 else { return value }
            if let first = seen[value] { return first }
            seen[value] = value
            return value
        }
        for index in cameras.indices {
            let camera = cameras[index]
            let replacements = (shared(camera.station), shared(camera.maintainer), shared(camera.manufacturer), shared(camera.model),
                                shared(camera.builder), shared(camera.credential))
            cameras[index].station = replacements.0
            cameras[index].maintainer = replacements.1
            cameras[index].manufacturer = replacements.2
            cameras[index].model = replacements.3
            cameras[index].builder = replacements.4
            cameras[index].credential = replacements.5
        }
    }

    /// Letters, digits, `_`, `-` and `.` (as `String.isIdentifier`), checked on bytes: every line has a key,
    /// and a check by Characters tripled the load time of a city's registry.
    private static func isKey(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.count <= 64 && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
    }

    /// The format a first line declares (`format = NAME`), or nil when it is not such a line.
    private static func declaredFormat(_ line: ArraySlice<UInt8>) -> String? {
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        guard String(decoding: line[..<equals], as: UTF8.self).trimmingWhitespace == "format" else { return nil }
        return String(decoding: line[(equals + 1)...], as: UTF8.self).trimmingWhitespace
    }

    /// Why a line cannot be read (a control character, bytes that are not UTF-8), without quoting it.
    private static func lineProblem(_ line: ArraySlice<UInt8>, checkUTF8: Bool) -> Message? {
        var end = line.endIndex
        if end > line.startIndex && line[end - 1] == 13 { end -= 1 }
        if let control = line[line.startIndex..<end].first(where: { ($0 < 0x20 && $0 != 9) || $0 == 0x7F }) {
            if control == 0 { return "the line contains a NUL byte; a village file is UTF-8 text (was it saved as UTF-16?)" }
            return "the line contains control character 0x\(String(control, radix: 16, uppercase: true)); a value is one line of text"
        }
        if checkUTF8 && String(validating: line, as: UTF8.self) == nil { return "the line is not UTF-8 text; a village file is UTF-8" }
        return nil
    }

    private static func subject(of section: Section, _ keyPoints: [KeyPoint], _ cameras: [CameraRecord]) -> String? {
        switch section {
        case .village: "village"
        case .keyPoint(let index): "key point \(keyPoints[index].id)"
        case .camera(let index): "camera \(cameras[index].id)"
        default: nil
        }
    }

    private static func buildVillage(
        _ fields: [String: (value: String, line: Int)], keyPoints: [KeyPoint], keyPointLines: [Int], line: Int,
        path: String, expectedCode: String?, issue: (Int, String?, String?, Message) -> Void
    ) -> Village? {
        guard line != 0 else {
            issue(1, nil, nil, "no [village] section")
            return nil
        }
        guard let codeText = fields["code"]?.value else {
            issue(line, "village", "code", "missing")
            return nil
        }
        let code: VillageCode
        switch VillageCode.parse(codeText) {
        case .success(let parsed): code = parsed
        case .failure(let problem):
            issue(fields["code"]!.line, "village", "code", problem.message)
            return nil
        }
        if let expectedCode, expectedCode != code.digits {
            issue(fields["code"]!.line, "village", "code", "\(code) does not match the file name \(expectedCode).\(fileExtension)")
        }
        var kind = VillageKind.village
        if let kindField = fields["kind"] {
            if let spelled = Spellings.lookUp(kindField.value, in: Spellings.villageKind) {
                kind = spelled
            } else {
                issue(kindField.line, "village", "kind", "'\(kindField.value.clipped)' is not village or community")
            }
        }
        return Village(code: code, name: fields["name"]?.value ?? "", kind: kind, township: fields["township"]?.value ?? "",
                       station: fields["station"]?.value ?? "", keyPoints: keyPoints)
    }

    /// Renders a village and its cameras in the canonical form: fixed key order, cameras by id.
    public static func render(_ village: Village, cameras: [CameraRecord]) -> String {
        var text = "# xueliang inventory: one village or community and its cameras (docs/inventory-format.md)\n"
        text += formatLine + "\n\n[village]\n"
        text += "code = \(village.code)\n"
        text += "name = \(village.name)\n"
        text += "kind = \(village.kind.rawValue)\n"
        if !village.township.isEmpty { text += "township = \(village.township)\n" }
        if !village.station.isEmpty { text += "station = \(village.station)\n" }
        for point in village.keyPoints {
            text += "\n[keypoint \(point.id)]\nname = \(point.name)\n"
            if let latitude = point.latitude { text += "latitude = \(FieldText.coordinateText(latitude))\n" }
            if let longitude = point.longitude { text += "longitude = \(FieldText.coordinateText(longitude))\n" }
        }
        for camera in cameras.sorted(by: { $0.id < $1.id }) {
            text += "\n[camera \(camera.id)]\n"
            for field in CameraField.allCases {
                if let value = camera.text(of: field) { text += "\(field.key) = \(value)\n" }
            }
        }
        return text
    }
}
