import Testing
import Backprop

/// Small scalar graphs from other engines' test suites, with reference numbers from
/// PyTorch in float64.
@Suite struct KnownValueTests {
    init() { singleThreadedBLAS }

    /// micrograd, test/test_engine.py, `test_sanity_check` (github.com/karpathy/micrograd).
    @Test func microgradSanityCheck() throws {
        let tape = Tape()
        let x = try tape.variable(-4.0)
        let z = try 2 * x + 2 + x
        let q = try z.relu() + z * x
        let h = try (z * z).relu()
        let y = try h + q + q * x
        #expect(y.scalar == -20.0)
        #expect(try scalarGradients(tape, y, [x]) == [46.0])
    }

    /// micrograd, test/test_engine.py, `test_more_ops`; PyTorch float64 gives
    /// g = 24.70408163265306, ∂g/∂a = 138.83381924198252, ∂g/∂b = 645.5772594752186.
    @Test func microgradMoreOps() throws {
        let tape = Tape()
        let a = try tape.variable(-4.0)
        let b = try tape.variable(2.0)
        var c = try a + b
        var d = try a * b + b.power(3)
        c = try c + (c + 1)
        c = try c + (1 + c + (-a))
        d = try d + (d * 2 + (b + a).relu())
        d = try d + (3 * d + (b - a).relu())
        let e = try c - d
        let f = try e.power(2)
        var g = try f / 2.0
        g = try g + 10.0 / f
        #expect(isClose(g.scalar ?? .nan, 24.70408163265306, tolerance: 1e-12))
        let grads = try scalarGradients(tape, g, [a, b])
        #expect(isClose(grads[0], 138.83381924198252, tolerance: 1e-12))
        #expect(isClose(grads[1], 645.5772594752186, tolerance: 1e-12))
    }

    /// HIPS autograd, tests/test_core.py, `check_binary_func` at x = 0.7, y = 1.8 for
    /// test_add/sub/div/mul/pow (github.com/HIPS/autograd); values from PyTorch float64.
    @Test(arguments: [
        ("add", 2.5, 1.0, 1.0),
        ("sub", -1.1, 1.0, -1.0),
        ("div", 0.38888888888888884, 0.5555555555555556, -0.21604938271604934),
        ("mul", 1.26, 1.8, 0.7),
        ("pow", 0.5262310526550318, 1.353165563970082, -0.18769343120455362),
    ])
    func autogradCoreBinary(name: String, value: Double, dx: Double, dy: Double) throws {
        let tape = Tape()
        let x = try tape.variable(0.7)
        let y = try tape.variable(1.8)
        let z: Node = switch name {
        case "add": try x + y
        case "sub": try x - y
        case "div": try x / y
        case "mul": try x * y
        default: try x.power(y)
        }
        #expect(isClose(z.scalar ?? .nan, value, tolerance: 1e-14))
        let grads = try scalarGradients(tape, z, [x, y])
        #expect(isClose(grads[0], dx, tolerance: 1e-14))
        #expect(isClose(grads[1], dy, tolerance: 1e-14))
    }
}
