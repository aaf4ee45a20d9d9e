/// How initial weights are drawn; biases start at zero.
public enum Initialization: Sendable, Equatable {
    /// Uniform in [−r, r].
    case uniform(Double)
    /// Xavier/Glorot uniform: r = √(6 / (fan-in + fan-out)).
    case xavier
    /// He/Kaiming uniform: r = √(6 / fan-in), for ReLU layers.
    case he

    func radius(fanIn: Int, fanOut: Int) -> Double {
        switch self {
        case let .uniform(r): r
        case .xavier: (6 / Double(fanIn + fanOut)).squareRoot()
        case .he: (6 / Double(fanIn)).squareRoot()
        }
    }
}
