import Backprop

/// The values free inputs take. Each value depends only on the seed, the draw
/// and the symbol's name, never on the order of evaluation, so a note checks
/// the same way however it is written and `--seed` reproduces every number.
///
/// Domains: magnitudes in [0.3, 1.7] keep away from the kinks of ReLU, |x| and
/// max at zero; a symbol that appears inside a logarithm, a root or a
/// fractional power is drawn positive; the sign is random otherwise.
struct Draws: Sendable {
    let seed: UInt64
    let draw: Int
    /// Symbols that must be positive (arguments of log, sqrt, …).
    let positive: Set<String>
    /// Symbols that must lie between 0 and 1 (`\log(1 - p)`): drawn in [0.1, 0.9].
    var probabilities: Set<String> = []

    init(seed: UInt64, draw: Int, positive: Set<String>, probabilities: Set<String> = []) {
        self.seed = seed
        self.draw = draw
        self.positive = positive
        self.probabilities = probabilities
    }

    func scalar(for key: String) -> Double {
        var generator = generator(for: key)
        if probabilities.contains(Self.family(of: key)) || probabilities.contains(key) {
            return 0.1 + 0.8 * Double(generator.next() >> 11) / Double(1 << 53)
        }
        return value(&generator, positive: positive.contains(Self.family(of: key)) || positive.contains(key))
    }

    /// Drawn values times `scale` (a network's weights are scaled by 1/√fan-in as they are drawn).
    func tensor(for key: String, shape: Shape, scale: Double = 1) -> Tensor {
        var generator = generator(for: key)
        let isPositive = positive.contains(Self.family(of: key)) || positive.contains(key)
        let count = shape.count
        let scalars = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = value(&generator, positive: isPositive) * scale }
            initialized = count
        }
        return (try? Tensor(shape: shape, scalars: scalars)) ?? Tensor(0)
    }

    /// A one-hot vector with its 1 at a drawn position.
    func oneHot(for key: String, count: Int) -> Tensor {
        var generator = generator(for: key)
        let hot = Int(generator.next() % UInt64(max(1, count)))
        let scalars = (0..<count).map { $0 == hot ? 1.0 : 0.0 }
        return (try? Tensor(shape: .vector(count), scalars: scalars)) ?? Tensor(0)
    }

    /// The smallest and largest whole number a size the note never gives (`m` in `\sum_{i=1}^{m}`) is drawn as:
    /// more than one term, and within the default length of drawn vectors.
    static let sizeRange = 2...3

    /// A size the note leaves symbolic: a small whole number, the same for the whole note and
    /// every draw (arrays summed up to it are drawn that long), another with another seed.
    func size(for key: String) -> Int {
        Self.size(for: key, seed: seed)
    }

    static func size(for key: String, seed: UInt64) -> Int {
        var generator = Draws(seed: seed, draw: 0, positive: []).generator(for: "#size " + key)
        let span = UInt64(sizeRange.count)
        return sizeRange.lowerBound + Int(generator.next() % span)
    }

    func generator(for key: String) -> SeededGenerator {
        // FNV-1a of the name, mixed with the seed and the draw.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return SeededGenerator(seed: hash ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(draw) &* 0xD1B5_4A32_D192_ED03))
    }

    private func value(_ generator: inout SeededGenerator, positive: Bool) -> Double {
        let unit = Double(generator.next() >> 11) / Double(1 << 53)
        let magnitude = 0.3 + 1.4 * unit
        if positive { return magnitude }
        return generator.next() & 1 == 0 ? magnitude : -magnitude
    }

    static func family(of key: String) -> String {
        String(key.prefix { $0 != "_" && $0 != "^" && $0 != "[" })
    }
}

/// The smooth function drawn for a function a note applies but never defines (`f`, `\phi`,
/// `l(y, o)`): `a·tanh(Σ b_k x_k + c) + Σ d_k x_k`, bounded slopes, neither even nor odd, each
/// argument weighted its own way, so a dropped chain-rule factor, a sign or a chain through the
/// wrong argument shows. One argument is taken element by element. The scalar and the matrix
/// checker draw the same one.
struct DrawnFunction: Sendable {
    var a, c: Double
    /// `(b_k, d_k)` for each argument; the first argument's keys carry no number.
    var slopes: [(b: Double, d: Double)]

    init(named name: String, arity: Int = 1, draws: Draws) {
        a = draws.scalar(for: "#function a " + name)
        c = draws.scalar(for: "#function c " + name)
        slopes = (0..<max(1, arity)).map { k in
            let position = k == 0 ? "" : String(k)
            return (draws.scalar(for: "#function b\(position) " + name), draws.scalar(for: "#function d\(position) " + name))
        }
    }

    func callAsFunction(_ arguments: [Node]) throws(BackpropError) -> Node {
        var inner = try arguments[0] * slopes[0].b + c
        var linear = try arguments[0] * slopes[0].d
        for k in arguments.indices.dropFirst() {
            inner = try inner + arguments[k] * slopes[k].b
            linear = try linear + arguments[k] * slopes[k].d
        }
        return try inner.tanh() * a + linear
    }

    func callAsFunction(_ x: Node) throws(BackpropError) -> Node {
        try callAsFunction([x])
    }
}
