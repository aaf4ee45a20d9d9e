/// A reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// `SystemRandomNumberGenerator` differs from run to run, and the standard library's
/// `random(in:using:)` algorithms may change between releases, so the engine draws
/// its Doubles itself: the same seed gives the same numbers on every run and machine.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let u = rng.nextUniform()            // in [0, 1)
/// let w = rng.nextUniform(in: -1...1)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        // SplitMix64 spreads any seed (even 0) over the 256-bit state.
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.state.0 == b.state.0 && a.state.1 == b.state.1 && a.state.2 == b.state.2 && a.state.3 == b.state.3
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    @inline(__always) private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A Double in [0, 1) from the top 53 bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A Double uniform in a closed range.
    public mutating func nextUniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUniform()
    }

    /// A standard normal draw (Box–Muller, one value per call for simplicity).
    public mutating func nextNormal() -> Double {
        let u = 1 - nextUniform()   // (0, 1], keeps log finite
        let v = nextUniform()
        return (-2 * Double.logarithm(u)).squareRoot() * Double.cosine(2 * .pi * v)
    }
}
