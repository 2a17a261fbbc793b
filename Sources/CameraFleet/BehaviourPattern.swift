/// A weighted mix of behaviours spread over addresses, such as "85 % healthy, 10 % blackhole, 5 % reset".
///
/// The choice for an address is a pure function of the address (a fixed integer hash, never Swift's
/// per-process seeded `Hasher`), so the same fleet configuration always gives the same camera the same
/// fault, across runs and across processes.
public struct BehaviourPattern: Sendable, CustomStringConvertible {
    /// The behaviours and their weights, in the order given; entries with a weight of zero or less are dropped.
    public let weights: [(behaviour: CameraBehaviour, weight: Int)]
    /// Running sums of the weights, for a binary search over the hash.
    private let cumulativeWeights: [Int]

    /// Builds a pattern from behaviours and relative weights (they need not add up to 100).
    public init(weights: [(CameraBehaviour, Int)]) {
        let kept = weights.filter { $0.1 > 0 }.map { (behaviour: $0.0, weight: $0.1) }
        self.weights = kept
        var running = 0
        var sums: [Int] = []
        sums.reserveCapacity(kept.count)
        for entry in kept {
            running += entry.weight
            sums.append(running)
        }
        cumulativeWeights = sums
    }

    /// Parses `healthy=85,blackhole=10,reset=1,slow:250=4`: comma-separated `name=weight` pairs
    /// (the weight follows the last `=`, so behaviour arguments may contain anything but `=`).
    public static func parse(_ text: String) throws(FleetError) -> BehaviourPattern {
        var weights: [(CameraBehaviour, Int)] = []
        for item in text.split(separator: ",") {
            let trimmed = item.trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.lastIndex(of: "=") else {
                throw .invalidPattern(text, reason: "'\(trimmed)' has no '=weight'")
            }
            let name = String(trimmed[..<equals]).trimmingSpaces()
            let weightText = String(trimmed[trimmed.index(after: equals)...]).trimmingSpaces()
            guard let behaviour = CameraBehaviour(name: name) else {
                throw .invalidPattern(text, reason: "unknown behaviour '\(name)'")
            }
            guard let weight = Int(weightText), weight >= 0 else {
                throw .invalidPattern(text, reason: "weight '\(weightText)' is not a whole number >= 0")
            }
            weights.append((behaviour, weight))
        }
        let pattern = BehaviourPattern(weights: weights)
        guard pattern.totalWeight > 0 else {
            throw .invalidPattern(text, reason: "the weights add up to zero")
        }
        return pattern
    }

    /// The sum of all weights.
    public var totalWeight: Int { cumulativeWeights.last ?? 0 }

    /// The behaviour this pattern gives the camera at `address` (IPv4, host byte order);
    /// nil when the pattern is empty.
    public func behaviour(for address: UInt32) -> CameraBehaviour? {
        let total = totalWeight
        guard total > 0 else { return nil }
        let slot = Int(Self.mix(address) % UInt64(total))
        // First running sum above the slot: a weight of w owns w consecutive slots.
        var low = 0
        var high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > slot { high = middle } else { low = middle + 1 }
        }
        return weights[low].behaviour
    }

    /// The text form `parse` reads, e.g. `healthy=85,blackhole=10`.
    public var description: String {
        weights.map { "\($0.behaviour.name)=\($0.weight)" }.joined(separator: ",")
    }

    /// SplitMix64's finaliser: neighbouring addresses land far apart, so a /24 of cameras gets a fair mix.
    private static func mix(_ address: UInt32) -> UInt64 {
        var value = UInt64(address) &+ 0x9E37_79B9_7F4A_7C15
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (Foundation-free).
    func trimmingSpaces() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = lastIndex(where: { !isBlank($0) })!
        return String(self[first...last])
    }
}
