/// A small mutation fuzzer for the parsers' tests: deterministic (seeded), bounded in iterations and in
/// time, so it can run in CI on every change. Each input is a mutation of one of the seeds: byte flips,
/// insertions of interesting bytes, deletions, duplications of a slice, splices of two seeds, truncation.
///
/// A parser under fuzz must return (a value or a typed error) for every input: a crash, a trap or a hang
/// fails the test run itself. What else must hold is the caller's `check`.
public struct Fuzzer {
    /// A SplitMix64 generator: reproducible from the seed printed on failure.
    public struct Generator: RandomNumberGenerator {
        private var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    public let seeds: [[UInt8]]
    public let seed: UInt64
    /// Bytes that parsers treat specially: separators, quotes, markers, high bytes, NUL.
    public var interesting: [UInt8] = [0, 9, 10, 13, 32, 34, 35, 44, 58, 59, 61, 91, 93, 0x7F, 0x80, 0xC3, 0xE4, 0xFF, 0xD8, 0xD9, 0xDA, 0xC0, 0xC4, 0xDB, 0xDD]
    /// Text fragments spliced in whole: numbers at the edges of their types, separators, escapes.
    public var tokens: [[UInt8]] = ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "nan", "inf", "-0", "0x10",
                                    "1e308", "\"", "\"\"", "\r\n", "=", "[", "]", "{", "}", "\\u0000", "%00", "\u{FEFF}", "鏂扮偣", "#EXT-X-",
                                    "m=video 0 RTP/AVP 96\r\n", "a=control:", "\u{0}"].map { Array($0.utf8) }

    public init(seeds: [[UInt8]], seed: UInt64 = 0x5EED) {
        precondition(!seeds.isEmpty, "a fuzzer needs at least one seed input")
        self.seeds = seeds
        self.seed = seed
    }

    public init(textSeeds: [String], seed: UInt64 = 0x5EED) {
        self.init(seeds: textSeeds.map { Array($0.utf8) }, seed: seed)
    }

    /// Runs `check` on up to `iterations` mutated inputs, stopping early after `seconds`. Returns how many
    /// inputs were tried (so a test can assert the fuzzer really ran).
    @discardableResult
    public func run(iterations: Int = 20_000, seconds: Double = 3, maximumLength: Int = 1 << 16,
                    _ check: ([UInt8]) throws -> Void) rethrows -> Int {
        var generator = Generator(seed: seed)
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        for seedInput in seeds { try check(seedInput) }
        var tried = seeds.count
        while tried < iterations {
            if tried % 64 == 0 && clock.now > deadline { break }
            var input = seeds[Int(generator.next() % UInt64(seeds.count))]
            let rounds = 1 + Int(generator.next() % 6)
            for _ in 0..<rounds { mutate(&input, &generator) }
            if input.count > maximumLength { input.removeLast(input.count - maximumLength) }
            try check(input)
            tried += 1
        }
        return tried
    }

    private func mutate(_ input: inout [UInt8], _ generator: inout Generator) {
        func position(_ extra: Int = 0) -> Int { Int(generator.next() % UInt64(input.count + extra)) }
        switch generator.next() % 9 {
        case 0 where !input.isEmpty:
            input[position()] ^= UInt8(1 << (generator.next() % 8))
        case 1 where !input.isEmpty:
            input[position()] = interesting[Int(generator.next() % UInt64(interesting.count))]
        case 2:
            input.insert(interesting[Int(generator.next() % UInt64(interesting.count))], at: position(1))
        case 3 where !input.isEmpty:
            let start = position()
            let length = min(input.count - start, 1 + Int(generator.next() % 16))
            input.removeSubrange(start..<(start + length))
        case 4 where !input.isEmpty:
            let start = position()
            let length = min(input.count - start, 1 + Int(generator.next() % 64))
            let slice = input[start..<(start + length)]
            input.insert(contentsOf: slice, at: position(1))
        case 5:
            input.insert(contentsOf: tokens[Int(generator.next() % UInt64(tokens.count))], at: position(1))
        case 6 where !input.isEmpty:
            input.removeLast(Int(generator.next() % UInt64(input.count)))
        case 7:
            let other = seeds[Int(generator.next() % UInt64(seeds.count))]
            guard !other.isEmpty else { return }
            let cut = Int(generator.next() % UInt64(other.count))
            input = Array(input.prefix(position(1))) + other[cut...]
        default:
            guard !input.isEmpty else { return }
            let index = position()
            input[index] = UInt8(truncatingIfNeeded: Int(input[index]) + Int(generator.next() % 5) - 2)
        }
    }
}
