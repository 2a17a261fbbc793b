import Foundation
import Registry

/// Reads MANSCDP Catalog responses (`<Response><CmdType>Catalog</CmdType>…<DeviceList><Item>`), one per
/// file or several concatenated, as platforms such as WVP-GB28181-pro write them. See docs/catalog.md.
///
/// Stateless; safe to use from any thread.
public enum CatalogReader {
    /// A catalog file larger than this is refused before it is read: a county's whole catalog in one file
    /// (20,000 items of about 1 KiB) takes a third of it, and memory stays a small multiple of it.
    public static let maximumFileBytes = 64 << 20
    /// Elements nested deeper than this are junk: a Catalog response nests five deep (Response, DeviceList,
    /// Item, Info, PTZType).
    public static let maximumDepth = 32
    /// Text longer than this inside one element is junk: no field of an item is near it.
    public static let maximumFieldBytes = 4096

    /// Reads one file.
    public static func read(path: String) throws(CatalogError) -> CatalogFile {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: maximumFileBytes)
        } catch {
            if case .tooLarge(_, let size, let limit) = error { throw .tooLarge(path: path, size: size, limit: limit) }
            throw .unreadable(path: path, cause: error)
        }
        return try parse(bytes, path: path)
    }

    /// Reads the files in order and collects their responses into one catalog.
    public static func read(paths: [String]) throws(CatalogError) -> PlatformCatalog {
        var files: [CatalogFile] = []
        for path in paths { files.append(try read(path: path)) }
        return PlatformCatalog(files: files)
    }

    /// Parses the bytes of one file; `path` is only for messages.
    public static func parse(_ bytes: [UInt8], path: String) throws(CatalogError) -> CatalogFile {
        let (text, encoding, declared) = try decode(bytes, path: path)
        var scanner = MarkupScanner(bytes: Array(text.utf8), path: path)
        var builder = ResponseCollector(path: path)
        while let token = try scanner.next() { try builder.take(token) }
        try builder.finish()
        guard !builder.responses.isEmpty else { throw .noCatalog(path: path, otherMessages: builder.otherMessages) }
        return CatalogFile(path: path, encoding: encoding.rawValue, declaredEncoding: declared, responses: builder.responses,
                           otherMessages: builder.otherMessages)
    }

    // MARK: encodings

    private static let gbNames: Set<String> = ["GB2312", "GBK", "GB18030", "CP936", "GB_2312-80", "X-GBK"]

    /// The text of the file: GB2312, GBK and GB18030 are all decoded as GB18030 (platforms declare GB2312
    /// and send GBK or GB18030 characters); UTF-8 bytes are taken as UTF-8 whatever is declared.
    private static func decode(_ bytes: [UInt8], path: String) throws(CatalogError)
        -> (text: String, encoding: TextDecoding.Encoding, declared: String?) {
        let declarations = declaredEncodings(bytes)
        for declaration in declarations {
            let name = declaration.name.uppercased()
            guard name == "UTF-8" || name == "UTF8" || gbNames.contains(name) else {
                throw .encoding(path: path, line: declaration.line, byteOffset: declaration.offset,
                                message: "declares encoding \(declaration.name.clippedForMessage); a catalog is GB2312, GBK, GB18030 or UTF-8")
            }
        }
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        switch TextDecoding.decode(bytes) {
        case .success(let value): decoded = value
        case .failure(let failure): throw .encoding(path: path, line: failure.line, byteOffset: nil, message: failure.message.description)
        }
        switch decoded.encoding {
        case .utf8:
            break
        case .utf16:
            throw .encoding(path: path, line: 1, byteOffset: 0, message: "is UTF-16; a catalog is GB2312, GBK, GB18030 or UTF-8")
        case .gb18030:
            if let utf8 = declarations.first(where: { !gbNames.contains($0.name.uppercased()) }) {
                let (line, offset) = firstNonUTF8(bytes)
                throw .encoding(path: path, line: line, byteOffset: offset, message: "is not UTF-8, which line \(utf8.line) declares "
                    + "(it reads as GB18030: declare encoding=\"GB18030\" or convert it)")
            }
            if declarations.isEmpty {
                let (line, offset) = firstNonUTF8(bytes)
                throw .encoding(path: path, line: line, byteOffset: offset, message: "is not UTF-8, and the file declares no encoding "
                    + "(XML then means UTF-8); declare encoding=\"GB18030\" or convert it")
            }
        }
        return (decoded.text, decoded.encoding, declarations.first?.name)
    }

    /// The `encoding="…"` of every `<?xml … ?>` declaration (a file of concatenated messages has several).
    /// Both encodings read a declaration's ASCII the same, so it is found in the raw bytes.
    private static func declaredEncodings(_ bytes: [UInt8]) -> [(name: String, line: Int, offset: Int)] {
        let opening = Array("<?xml".utf8)
        let key = Array("encoding".utf8)
        var found: [(name: String, line: Int, offset: Int)] = []
        var line = 1
        var position = 0
        while position + opening.count <= bytes.count {
            if bytes[position] == 10 { line += 1 }
            guard bytes[position] == opening[0], bytes[position..<(position + opening.count)].elementsEqual(opening) else {
                position += 1
                continue
            }
            let end = bytes[position...].prefix(256).firstIndex(of: UInt8(ascii: ">")) ?? min(bytes.count, position + 256)
            let declaration = bytes[position..<end]
            if let keyStart = declaration.indices.first(where: { declaration[$0...].starts(with: key) }) {
                var cursor = keyStart + key.count
                while cursor < end && (bytes[cursor] == 32 || bytes[cursor] == UInt8(ascii: "=")) { cursor += 1 }
                if cursor < end, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                    let quote = bytes[cursor]
                    let valueStart = cursor + 1
                    let valueEnd = bytes[valueStart..<end].firstIndex(of: quote) ?? end
                    found.append((String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self), line, position))
                }
            }
            position = end
        }
        return found
    }

    /// The line and byte offset of the first byte that is not UTF-8.
    private static func firstNonUTF8(_ bytes: [UInt8]) -> (line: Int, offset: Int) {
        var lineStart = 0
        var line = 1
        for lineBytes in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            if String(validating: lineBytes, as: UTF8.self) == nil {
                let offset = lineBytes.firstIndex { $0 >= 0x80 } ?? lineStart
                return (line, offset)
            }
            lineStart += lineBytes.count + 1
            line += 1
        }
        return (line, lineStart)
    }
}

/// Turns the scanner's tokens into Catalog responses, element by element, within the reader's bounds.
private struct ResponseCollector {
    let path: String
    var responses: [CatalogResponse] = []
    var otherMessages = 0
    /// The open elements, outermost first, with the line each opened on.
    private var open: [(name: String, line: Int)] = []
    private var text: [UInt8] = []
    private var response: (line: Int, fields: [String: String], items: [CatalogItem])?
    private var item: (line: Int, fields: [String: String])?

    init(path: String) { self.path = path }

    mutating func take(_ token: MarkupToken) throws(CatalogError) {
        switch token {
        case .text(let bytes):
            // Text outside every element (SIP headers pasted between messages) is ignored.
            guard !open.isEmpty else { return }
            text += bytes
            guard text.count <= CatalogReader.maximumFieldBytes else {
                throw .malformed(path: path, line: open.last!.line, message: "the text of <\(open.last!.name)> opened here is longer than "
                    + "\(CatalogReader.maximumFieldBytes) bytes")
            }
        case .start(let name, _, let selfClosing, let line):
            guard open.count < CatalogReader.maximumDepth else {
                throw .malformed(path: path, line: line, message: "elements are nested more than \(CatalogReader.maximumDepth) deep")
            }
            open.append((name, line))
            text.removeAll(keepingCapacity: true)
            if open.count == 1 && name == "response" { response = (line, [:], []) }
            if isItemPath { item = (line, [:]) }
            if selfClosing { try close(name: name, line: line) }
        case .end(let name, let line):
            try close(name: name, line: line)
        }
    }

    /// `Response/DeviceList/Item` (any case) is open at the top.
    private var isItemPath: Bool {
        open.count == 3 && open[0].name == "response" && open[1].name == "devicelist" && open[2].name == "item"
    }

    private mutating func close(name: String, line: Int) throws(CatalogError) {
        guard let top = open.last else {
            throw .malformed(path: path, line: line, message: "</\(name)> closes no open element")
        }
        guard top.name == name else {
            throw .malformed(path: path, line: line, message: "</\(name)> closes <\(top.name)>, opened on line \(top.line)")
        }
        let value = Self.cleaned(text)
        switch open.count {
        case 1:
            if name == "response", let finished = response {
                if finished.fields["cmdtype"]?.lowercased() == "catalog" {
                    responses.append(CatalogResponse(file: path, line: finished.line, platformID: finished.fields["deviceid"] ?? "",
                                                     serialNumber: finished.fields["sn"] ?? "",
                                                     sumNum: finished.fields["sumnum"].flatMap { Int($0) }, items: finished.items))
                } else {
                    otherMessages += 1
                }
            } else {
                otherMessages += 1
            }
            response = nil
        case 2 where open[0].name == "response":
            if !value.isEmpty { response?.fields[name] = value }
        case 3 where isItemPath:
            if let finished = item { response?.items.append(Self.item(finished.fields, file: path, line: finished.line)) }
            item = nil
        case 4 where item != nil && open[2].name == "item":
            if !value.isEmpty { item?.fields[name] = value }
        default:
            break
        }
        open.removeLast()
        text.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws(CatalogError) {
        guard let outermost = open.first else { return }
        throw .malformed(path: path, line: outermost.line, message: "<\(outermost.name)> opened here is never closed (the file is truncated?)")
    }

    private static func item(_ fields: [String: String], file: String, line: Int) -> CatalogItem {
        func degrees(_ key: String) -> Double? {
            guard let value = fields[key].flatMap(Double.init), value.isFinite, value != 0 else { return nil }
            return value
        }
        return CatalogItem(file: file, line: line, deviceID: fields["deviceid"] ?? "", name: fields["name"],
                           manufacturer: fields["manufacturer"], model: fields["model"], civilCode: fields["civilcode"],
                           address: fields["address"], parentID: fields["parentid"], status: fields["status"],
                           longitude: degrees("longitude"), latitude: degrees("latitude"))
    }

    /// The text trimmed, with control characters (a terminal escape in a name) turned into spaces. Runs at every
    /// closing tag, so the common case (no control character, ASCII space around) touches each byte once.
    private static func cleaned(_ bytes: [UInt8]) -> String {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end && MarkupScanner.isWhitespace(bytes[start]) { start += 1 }
        while end > start && MarkupScanner.isWhitespace(bytes[end - 1]) { end -= 1 }
        var text = String(decoding: bytes[start..<end], as: UTF8.self)
        // C0 controls and DEL are single bytes; C1 controls (U+0080-U+009F) start with 0xC2 in UTF-8.
        if bytes[start..<end].contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        }
        if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}

extension String {
    /// At most 40 characters of text from a file, for an error message.
    var clippedForMessage: String {
        let printable = String(String.UnicodeScalarView(unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return printable.count <= 40 ? "'\(printable)'" : "'\(printable.prefix(40))…'"
    }
}
