import Localization
/// The rules every record must pass (一机一档). Collects every problem in one pass.
///
/// A value type; safe to share between threads.
public struct Validator: Sendable {
    /// The day dates are judged against (consent expiry, install dates).
    public var today: CalendarDate
    /// Names of the credential profiles on file, when the credentials file could be read.
    public var credentialProfiles: Set<String>?
    /// Consent ending within this many days draws a warning.
    public var consentWarningDays = 30
    /// Gaps are errors too (`--strict`), for teams that register only complete records. By default a gap is
    /// a warning: the record registers, is swept, and counts as incomplete.
    public var strict = false
    /// A camera this far from the middle of its village's other cameras draws a warning (a typo, or a
    /// position in another coordinate system).
    public static let villageDistanceWarningMetres = 5_000.0

    /// Fields a record must have to be complete (一机一档); a missing one is a gap. The station may be the
    /// village's.
    public static let requiredForComplete: [CameraField] = [.latitude, .longitude, .address, .station, .maintainer, .installedOn]

    public init(today: CalendarDate, credentialProfiles: Set<String>? = nil, strict: Bool = false) {
        self.today = today
        self.credentialProfiles = credentialProfiles
        self.strict = strict
    }

    /// Every problem in the registry: what reading the files found, then every rule.
    public func validate(_ inventory: Inventory) -> [InventoryIssue] {
        var issues = inventory.readIssues
        for village in inventory.sortedVillages {
            issues += validate(village, origin: inventory.villageOrigins[village.code])
        }
        let middles = inventory.villageMiddles()
        // Indices, not origins: at city scale the dictionary is the largest thing validation holds.
        var firstIndex: [String: Int] = [:]
        firstIndex.reserveCapacity(inventory.cameras.count)
        for (index, (camera, origin)) in zip(inventory.cameras, inventory.origins).enumerated() {
            if let earlier = firstIndex[camera.id].map({ inventory.origins[$0] }) {
                issues.append(InventoryIssue(file: origin.file, line: origin.line, subject: "camera \(camera.id)", field: "id",
                                             message: "duplicate id; also registered at \(earlier.file):\(earlier.line)", cameraID: camera.id))
            } else {
                firstIndex[camera.id] = index
            }
            issues += validate(camera, origin: origin, in: inventory, villageMiddles: middles)
        }
        // A value that did not parse leaves its field empty; the rules would only repeat that as "missing".
        let unreadable = Set(inventory.readIssues.compactMap { issue in issue.cameraID.map { "\($0) \(issue.field ?? "")" } })
        if !unreadable.isEmpty {
            issues.removeAll { issue in
                issue.message.key.hasPrefix("missing") && unreadable.contains("\(issue.cameraID ?? "") \(issue.field ?? "")")
            }
        }
        return issues.sorted()
    }

    /// The errors in what changed since loading: the villages and cameras a write would commit.
    /// Problems elsewhere in the registry do not block a write; `validate` reports them.
    public func errorsInChanges(_ inventory: Inventory) -> [InventoryIssue] {
        var issues: [InventoryIssue] = []
        for code in inventory.changedVillages.sorted() {
            if let village = inventory.villages[code] { issues += validate(village, origin: inventory.villageOrigins[code]) }
        }
        let changed = inventory.changedCameraIDs.sorted().compactMap { id in
            inventory.camera(id: id).flatMap { camera in inventory.origin(ofCamera: id).map { (camera, $0) } }
        }
        // One pass over the registry for the villages touched, not one per camera written.
        let middles = inventory.villageMiddles(Set(changed.map(\.0.village)))
        for (camera, origin) in changed {
            issues += validate(camera, origin: origin, in: inventory, villageMiddles: middles)
        }
        return issues.filter { $0.severity == .error }.sorted()
    }

    /// The problems of one village's own fields and key points.
    public func validate(_ village: Village, origin: RecordOrigin?) -> [InventoryIssue] {
        var issues: [InventoryIssue] = []
        let file = origin?.file ?? "\(village.code).village"
        let line = origin?.line
        let subject = "village \(village.code)"
        for (key, value) in [("name", village.name), ("township", village.township), ("station", village.station)] where value.isEmpty {
            issues.append(InventoryIssue(file: file, line: line, subject: subject, field: key, message: "missing"))
        }
        var seen = Set<String>()
        for point in village.keyPoints {
            if !point.id.isIdentifier {
                issues.append(InventoryIssue(file: file, line: line, subject: subject, field: "keypoint",
                                             message: "'\(point.id.clipped)' is not a key point id (letters, digits, - and _)"))
            }
            if !seen.insert(point.id).inserted {
                issues.append(InventoryIssue(file: file, line: line, subject: subject, field: "keypoint", message: "key point \(point.id) given twice"))
            }
            if point.name.isEmpty {
                issues.append(InventoryIssue(file: file, line: line, subject: "key point \(point.id)", field: "name", message: "missing"))
            }
        }
        return issues
    }

    /// The problems of one camera record, judged against the rest of the registry.
    /// `villageMiddles` are the middles of the villages' positions (`Inventory.villageMiddles`), computed for
    /// the camera's village when not given.
    public func validate(_ camera: CameraRecord, origin: RecordOrigin, in inventory: Inventory,
                         villageMiddles: [VillageCode: GeoPosition]? = nil) -> [InventoryIssue] {
        var issues: [InventoryIssue] = []
        let subject = "camera \(camera.id)"
        func add(_ field: CameraField?, _ message: Message, _ severity: InventoryIssue.Severity = .error, key: String? = nil) {
            issues.append(InventoryIssue(severity, file: origin.file, line: origin.line(of: field), subject: subject,
                                         field: key ?? field?.key, message: message, cameraID: camera.id))
        }
        func gap(_ field: CameraField?, _ message: Message) {
            issues.append(InventoryIssue(strict ? .error : .warning, file: origin.file, line: origin.line(of: field), subject: subject,
                                         field: field?.key, message: message, cameraID: camera.id, isGap: true))
        }

        switch DeviceCode.parse(camera.id) {
        case .failure(let problem):
            add(nil, problem.message, key: "id")
        case .success(let code):
            if code.countyCode != camera.village.countyCode {
                add(nil, "county digits \(code.countyCode) do not match the village's county \(camera.village.countyCode)", key: "id")
            }
        }
        let village = inventory.villages[camera.village]
        if village == nil { add(nil, "village \(camera.village) is not in the registry", key: "village") }
        if camera.name.isEmpty { add(.name, "missing") }
        if camera.source == nil { add(.source, "missing; public or citizen") }
        if camera.status == nil { add(.status, "missing; pending, active or retired") }
        let status = camera.status ?? .pending
        let isRecorder = camera.isRecorder

        if status != .retired {
            for field in Self.requiredForComplete where !camera.hasValue(field) && !(isRecorder && field == .installedOn) {
                if field == .station, let village, !village.station.isEmpty { continue }
                gap(field, "missing; the record is incomplete (一机一档)")
            }
            if camera.endpoints.isEmpty {
                add(nil, "no endpoint (rtsp, snapshot, hls, onvif or tcp); nothing can be checked", status == .active ? .error : .warning,
                    key: "endpoints")
            }
        }
        checkEndpoints(camera, add: add)
        checkPosition(camera, villageMiddle: (villageMiddles ?? inventory.villageMiddles([camera.village]))[camera.village], add: add)
        if let installed = camera.installedOn, installed > today { add(.installedOn, "\(installed) is in the future") }

        for point in camera.covers where village?.keyPoints.contains(where: { $0.id == point }) == false {
            add(.covers, "key point \(point) is not defined in village \(camera.village)")
        }
        if let parent = camera.parent {
            if parent == camera.id {
                add(.parent, "a device cannot be its own parent")
            } else if let parentRecord = inventory.camera(id: parent) {
                if !parentRecord.isRecorder { add(.parent, "\(parent) is not a recorder (DVR, NVR or HVR type code)") }
            } else {
                add(.parent, "device \(parent) is not in the registry")
            }
        }
        if let credential = camera.credential {
            if !credential.isIdentifier {
                add(.credential, "'\(credential.clipped)' is not a profile name (letters, digits, - and _)")
            } else if let profiles = credentialProfiles, !profiles.contains(credential) {
                add(.credential, "no profile '\(credential)' in the credentials file", .warning)
            }
        }
        for tag in camera.tags where tag.contains(" ") { add(.tags, "tag '\(tag.clipped)' contains a space") }
        if let phone = camera.maintainerPhone, !PhoneNumber.isValid(phone) {
            add(.maintainerPhone, "'\(PhoneNumber.masked(phone))' is not a mobile (11 digits) or landline number")
        }

        if camera.source == .citizen {
            checkCitizen(camera, status: status, add: add, gap: gap)
        } else if !camera.citizen.isEmpty {
            let field = CameraField.allCases.first { $0.isCitizenOnly && camera.text(of: $0) != nil }
            add(field, "only citizen cameras carry owner, consent and review fields")
        }
        return issues
    }

    private func checkEndpoints(_ camera: CameraRecord, add: (CameraField?, Message, InventoryIssue.Severity, String?) -> Void) {
        let urlFields: [(CameraField, String?, Set<String>)] = [
            (.rtsp, camera.endpoints.rtsp, ["rtsp"]),
            (.rtspSub, camera.endpoints.rtspSub, ["rtsp"]),
            (.snapshot, camera.endpoints.snapshot, ["http", "https"]),
            (.hls, camera.endpoints.hls, ["http", "https"]),
            (.onvif, camera.endpoints.onvif, ["http", "https"]),
        ]
        for (field, value, schemes) in urlFields {
            guard let value else { continue }
            guard let url = EndpointURL(value) else {
                add(field, "'\(EndpointURL.redacted(value).clipped)' is not a URL (scheme://host[:port]/path)", .error, nil)
                continue
            }
            if url.hasUserInfo {
                add(field, Self.credentialsInURLMessage(value), .error, nil)
            }
            if !schemes.contains(url.scheme) {
                add(field, "scheme \(url.scheme) is not accepted here; use \(schemes.sorted().joined(separator: " or "))", .error, nil)
            }
        }
        if let tcp = camera.endpoints.tcp, HostPort(tcp) == nil {
            add(.tcp, "'\(tcp.clipped)' is not host:port", .error, nil)
        }
    }

    /// The message for a URL that carries `user:pass@`, which never repeats the secret.
    public static func credentialsInURLMessage(_ url: String) -> Message {
        "\(EndpointURL.redacted(url)) carries credentials; remove 'user:pass@' from the URL and name a credential profile "
            + "instead (--credential NAME; profiles live in the credentials file, see docs/inventory-format.md)"
    }

    /// Sense, not only range: 0,0 (a blank cell read as zero) and positions outside China are refused; a
    /// camera far from the rest of its village is worth a look.
    private func checkPosition(_ camera: CameraRecord, villageMiddle: GeoPosition?, add: (CameraField?, Message, InventoryIssue.Severity, String?) -> Void) {
        guard let latitude = camera.latitude, let longitude = camera.longitude else { return }
        let position = GeoPosition(latitude: latitude, longitude: longitude)
        if latitude == 0 && longitude == 0 {
            add(.latitude, "0,0 is not a position (an empty cell read as zero?)", .error, nil)
        } else if !position.isInChina {
            add(.latitude, "\(FieldText.coordinateText(latitude)),\(FieldText.coordinateText(longitude)) is outside China "
                + "(latitude 3.8-53.6, longitude 73.5-135.1; latitude comes first)", .error, nil)
        } else if let middle = villageMiddle {
            let distance = position.distance(to: middle)
            if distance > Self.villageDistanceWarningMetres {
                add(.latitude, "\(Int((distance / 1000).rounded())) km from the village's other cameras; check the position "
                    + "(GCJ-02 from a map app? see docs/inventory-format.md)", .warning, nil)
            }
        }
    }

    private func checkCitizen(_ camera: CameraRecord, status: CameraStatus, add: (CameraField?, Message, InventoryIssue.Severity, String?) -> Void,
                              gap: (CameraField?, Message) -> Void) {
        let citizen = camera.citizen
        if citizen.owner == nil { gap(.owner, "missing; a citizen camera names its owner") }
        if let phone = citizen.phone {
            if !PhoneNumber.isValid(phone) { add(.phone, "'\(PhoneNumber.masked(phone))' is not a mobile (11 digits) or landline number", .error, nil) }
        } else {
            gap(.phone, "missing; a citizen camera needs its owner's contact")
        }
        if citizen.consentScope.isEmpty { gap(.consentScope, "missing; live and/or playback (not probed without it)") }
        if let until = citizen.consentUntil {
            if until < today {
                add(.consentUntil, status == .active ? "consent expired on \(until); not probed until it is renewed" : "consent expired on \(until)",
                    .warning, nil)
            } else if until.daysSinceEpoch - today.daysSinceEpoch <= consentWarningDays && status == .active {
                add(.consentUntil, "consent expires on \(until), within \(consentWarningDays) days", .warning, nil)
            }
        } else {
            gap(.consentUntil, "missing; consent must have an end date (not probed without it)")
        }
        if !citizen.reviewPassed && status != .retired {
            let missing = [
                citizen.reviewer == nil ? "reviewer" : nil,
                citizen.reviewedOn == nil ? "reviewed_on" : nil,
                citizen.viewClear != true ? "view_clear = yes" : nil,
                citizen.signage != true ? "signage = yes" : nil,
            ].compactMap { $0 }
            let field: CameraField = citizen.reviewer == nil ? .reviewer : citizen.reviewedOn == nil ? .reviewedOn
                : citizen.viewClear != true ? .viewClear : .signage
            gap(field, "privacy review not passed (needs \(missing.joined(separator: ", ")))")
        }
    }
}

extension String {
    /// Letters, digits, `-` and `_` only: safe as an id in files and on command lines.
    var isIdentifier: Bool {
        !isEmpty && utf8.count <= 64 && allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
