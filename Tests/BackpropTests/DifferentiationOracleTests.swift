import Testing
import Backprop
import _Differentiation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The toolchain's own automatic differentiation as an independent oracle.
@Suite struct DifferentiationOracleTests {
    @differentiable(reverse)
    static func reference(_ x: Double) -> Double {
        sin(x) * x + exp(x) / (1 + x * x) + log(x) * sqrt(x) - cos(x * x) / (x + 2)
    }

    static func onTape(_ x: Node) throws -> Node {
        try x.sin() * x + x.exp() / (1 + x * x) + x.log() * x.sqrt() - (x * x).cos() / (x + 2)
    }

    @Test(arguments: [0.3, 0.9, 1.7, 2.5, 4.0])
    func scalarFunctionGradients(x: Double) throws {
        let expected = gradient(at: x, of: Self.reference)
        let tape = Tape()
        let node = try tape.variable(x)
        let y = try Self.onTape(node)
        #expect(isClose(y.scalar ?? .nan, Self.reference(x), tolerance: 1e-14))
        #expect(isClose(try scalarGradients(tape, y, [node])[0], expected, tolerance: 1e-12))
    }

    @differentiable(reverse)
    static func twoVariables(_ a: Double, _ b: Double) -> Double {
        let s = a * b + a / b
        return s * s - b * a * a
    }

    @Test func twoVariableGradient() throws {
        let (da, db) = gradient(at: 1.3, -0.7, of: Self.twoVariables)
        let tape = Tape()
        let a = try tape.variable(1.3), b = try tape.variable(-0.7)
        let s = try a * b + a / b
        let y = try s * s - b * a * a
        let grads = try scalarGradients(tape, y, [a, b])
        #expect(isClose(grads[0], da, tolerance: 1e-13))
        #expect(isClose(grads[1], db, tolerance: 1e-13))
    }
}
