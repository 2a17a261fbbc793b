/// How many media streams a sweep may hold open within a bandwidth budget: streams open × the mean bitrate
/// measured so far (an assumed 4 Mbit/s, a 1080p main stream, before the first measurement) stays within the
/// budget, and one stream may always open. A value owned by the sweep's scheduling task.
public struct MediaBandwidth: Sendable, Equatable {
    /// What a stream is taken to need before any was measured.
    public static let assumedBitsPerSecond = 4_000_000

    public let budgetBitsPerSecond: Int?
    public private(set) var streamsOpen = 0
    private var measuredTotal = 0
    private var measuredCount = 0

    public init(budgetBitsPerSecond: Int?) {
        self.budgetBitsPerSecond = budgetBitsPerSecond
    }

    /// The bitrate one more stream is expected to take: the mean of those measured.
    public var expectedBitsPerSecond: Int {
        measuredCount == 0 ? Self.assumedBitsPerSecond : max(1, measuredTotal / measuredCount)
    }

    /// Whether one more stream fits in the budget now.
    public var mayOpen: Bool {
        guard let budget = budgetBitsPerSecond else { return true }
        return streamsOpen == 0 || (streamsOpen + 1) * expectedBitsPerSecond <= budget
    }

    public mutating func open() { streamsOpen += 1 }

    /// A stream closed; its measured bitrate (nil when it gave none) refines the expectation.
    public mutating func close(measuredBitsPerSecond: Int?) {
        streamsOpen = max(0, streamsOpen - 1)
        if let measured = measuredBitsPerSecond, measured > 0 {
            measuredTotal += measured
            measuredCount += 1
        }
    }

    /// `500M`, `1G`, `800K`, `2000000`: bits per second in decimal units (as links are sold); nil for
    /// anything else or less than 1K.
    public static func parse(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1_000, "M": 1_000_000, "G": 1_000_000_000]
        var digits = Substring(text.uppercased())
        var multiplier = 1
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits),
              number <= Int.max / multiplier, number * multiplier >= 1_000 else { return nil }
        return number * multiplier
    }
}
