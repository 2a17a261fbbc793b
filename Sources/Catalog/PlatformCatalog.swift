/// Everything a platform said in the catalog files read: its answers collected by (platform DeviceID, SN),
/// whether each answer is complete, the video devices to reconcile and what was skipped.
///
/// A value type; safe to share between threads.
public struct PlatformCatalog: Sendable {
    /// One answer to one Catalog query, possibly split over many messages and files.
    public struct Answer: Hashable, Sendable {
        public var platformID: String
        public var serialNumber: String
        /// `SumNum` as the messages give it (the largest, if they disagree); nil when none gives one.
        public var sumNum: Int?
        /// Distinct DeviceIDs received, skipped items included (SumNum counts them too).
        public var received: Int
        public var messages: Int

        /// Every item the platform announced has arrived; an answer with no SumNum cannot be judged and counts as complete.
        public var isComplete: Bool { received >= (sumNum ?? 0) }
    }

    /// What was read of each file, in the order given.
    public struct FileSummary: Hashable, Sendable {
        public var path: String
        public var encoding: String
        public var declaredEncoding: String?
        public var responses: Int
        public var otherMessages: Int
    }

    public var files: [FileSummary]
    /// Sorted by platform, then SN.
    public var answers: [Answer]
    /// The video devices (cameras, IPCs, recorders, encoders) by DeviceID, sorted; an item listed more than once
    /// is taken from the last file that lists it, so `old.xml new.xml` reads as the newer catalog.
    public var devices: [CatalogItem]
    /// Items left out, by reason.
    public var skipped: [CatalogSkipReason: Int]
    /// Items listed again after their first appearance (the same device in two messages or files).
    public var repeated: Int
    private var indexByID: [String: Int]

    /// Collects the responses of `files`, in the order given.
    public init(files: [CatalogFile]) {
        self.files = files.map {
            FileSummary(path: $0.path, encoding: $0.encoding, declaredEncoding: $0.declaredEncoding, responses: $0.responses.count,
                        otherMessages: $0.otherMessages)
        }
        struct AnswerKey: Hashable {
            var platformID: String
            var serialNumber: String
        }
        var answers: [AnswerKey: Answer] = [:]
        var idsByAnswer: [AnswerKey: Set<String>] = [:]
        var devices: [String: CatalogItem] = [:]
        var skippedIDs: [CatalogSkipReason: Set<String>] = [:]
        var itemsWithoutID = 0
        var seen = Set<String>()
        var repeated = 0
        for response in files.lazy.flatMap(\.responses) {
            let key = AnswerKey(platformID: response.platformID, serialNumber: response.serialNumber)
            var answer = answers[key] ?? Answer(platformID: response.platformID, serialNumber: response.serialNumber, sumNum: nil,
                                                received: 0, messages: 0)
            answer.messages += 1
            if let sumNum = response.sumNum { answer.sumNum = max(answer.sumNum ?? 0, sumNum) }
            for item in response.items {
                if item.deviceID.isEmpty {
                    itemsWithoutID += 1
                    answer.received += 1
                    continue
                }
                if idsByAnswer[key, default: []].insert(item.deviceID).inserted { answer.received += 1 }
                if !seen.insert(item.deviceID).inserted { repeated += 1 }
                if let reason = item.skipReason {
                    skippedIDs[reason, default: []].insert(item.deviceID)
                } else {
                    devices[item.deviceID] = item
                }
            }
            answers[key] = answer
        }
        self.answers = answers.values.sorted { ($0.platformID, $0.serialNumber) < ($1.platformID, $1.serialNumber) }
        self.devices = devices.values.sorted { $0.deviceID < $1.deviceID }
        indexByID = Dictionary(uniqueKeysWithValues: self.devices.enumerated().map { ($1.deviceID, $0) })
        var skipped = skippedIDs.mapValues(\.count)
        if itemsWithoutID > 0 { skipped[.noDeviceID] = itemsWithoutID }
        self.skipped = skipped
        self.repeated = repeated
    }

    /// The answers that lack items.
    public var incompleteAnswers: [Answer] { answers.filter { !$0.isComplete } }

    /// The device with this DeviceID.
    public func device(id: String) -> CatalogItem? { indexByID[id].map { devices[$0] } }
}
