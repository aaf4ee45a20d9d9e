#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small generated classification data set with two inputs, the same for a
/// given seed on every run and machine (it draws from ``SeededGenerator``).
/// Points are stored one per column, as the network takes them.
///
/// ```swift
/// let moons = try Dataset(.twoMoons, points: 200, noise: 0.1, seed: 3)
/// moons.inputs.rows        // 2
/// moons.targets(width: 2)  // one-hot, 2 × 200
/// ```
public struct Dataset: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Equatable {
        /// The four corners of the unit square, class 1 where exactly one input is 1.
        case xor
        /// Two interleaved half circles (as scikit-learn's `make_moons`), centred on the origin.
        case twoMoons = "two-moons"
        /// One spiral arm per class, turning outwards from the origin.
        case spirals
        /// A circle of radius 1 (class 0) around a circle of radius 0.5 (class 1).
        case circles
    }

    /// 2 × points.
    public var inputs: Matrix<Double>
    /// The class of each point, from 0.
    public var labels: [Int]
    public var classCount: Int

    /// The most points a data set may have.
    public static let maximumPoints = 100_000

    /// - Parameters:
    ///   - points: ignored for `.xor`, which always has its four.
    ///   - noise: the standard deviation of the Gaussian jitter (of the angle, for spirals).
    ///   - classes: the number of spiral arms; the other kinds have two classes.
    public init(_ kind: Kind, points: Int = 200, noise: Double = 0.1, classes: Int = 2, seed: UInt64) throws(BackpropError) {
        let count = kind == .xor ? 4 : points
        guard count >= 1, count <= Self.maximumPoints else {
            throw .indexOutOfRange("\(points) points (1 to \(Self.maximumPoints))")
        }
        guard noise.isFinite, noise >= 0 else { throw .nonFiniteInput("noise \(noise)") }
        var generator = SeededGenerator(seed: seed)
        var xs: [Double] = [], ys: [Double] = [], labels: [Int] = []
        xs.reserveCapacity(count); ys.reserveCapacity(count); labels.reserveCapacity(count)
        switch kind {
        case .xor:
            for (a, b) in [(0.0, 0.0), (0, 1), (1, 0), (1, 1)] {
                xs.append(a); ys.append(b); labels.append(a == b ? 0 : 1)
            }
            classCount = 2
        case .twoMoons:
            for point in 0..<count {
                let label = point % 2
                let t = Double.pi * Double(point / 2) / Double(max(1, (count + 1) / 2 - 1))
                let x = label == 0 ? cos(t) : 1 - cos(t)
                let y = label == 0 ? sin(t) : 0.5 - sin(t)
                xs.append(x - 0.5 + noise * generator.nextNormal())
                ys.append(y - 0.25 + noise * generator.nextNormal())
                labels.append(label)
            }
            classCount = 2
        case .spirals:
            let arms = max(2, classes)
            for point in 0..<count {
                let label = point % arms
                let r = Double(point / arms + 1) / Double(max(1, (count + arms - 1) / arms))
                let t = 4 * r + 2 * Double.pi * Double(label) / Double(arms) + noise * generator.nextNormal()
                xs.append(r * sin(t))
                ys.append(r * cos(t))
                labels.append(label)
            }
            classCount = arms
        case .circles:
            for point in 0..<count {
                let label = point % 2
                let t = 2 * Double.pi * generator.nextUniform()
                let r = label == 0 ? 1.0 : 0.5
                xs.append(r * cos(t) + noise * generator.nextNormal())
                ys.append(r * sin(t) + noise * generator.nextNormal())
                labels.append(label)
            }
            classCount = 2
        }
        inputs = Matrix(unchecked: 2, count, xs + ys)
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// The targets for a network with `width` outputs: the class as 0 or 1 for
    /// one output, one-hot columns for more.
    public func targets(width: Int) -> Matrix<Double> {
        if width == 1 { return Matrix(unchecked: 1, count, labels.map { $0 == 0 ? 0 : 1 }) }
        var scalars = Array(repeating: 0.0, count: width * count)
        for (column, label) in labels.enumerated() where label < width { scalars[label * count + column] = 1 }
        return Matrix(unchecked: width, count, scalars)
    }

    /// The points at the given columns, in that order, with their targets.
    public func batch(_ columns: [Int], width: Int) -> (input: Matrix<Double>, target: Matrix<Double>) {
        var input = Array(repeating: 0.0, count: 2 * columns.count)
        var target = Array(repeating: 0.0, count: width * columns.count)
        for (place, column) in columns.enumerated() {
            input[place] = inputs[0, column]
            input[columns.count + place] = inputs[1, column]
            let label = labels[column]
            if width == 1 {
                target[place] = label == 0 ? 0 : 1
            } else if label < width {
                target[label * columns.count + place] = 1
            }
        }
        return (Matrix(unchecked: 2, columns.count, input), Matrix(unchecked: width, columns.count, target))
    }
}
