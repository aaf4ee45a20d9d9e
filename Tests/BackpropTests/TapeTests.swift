import Testing
import Backprop

@Suite struct TapeTests {
    init() { singleThreadedBLAS }

    @Test func gradientOfAnIntermediateHoldsItsSiblingsFixed() throws {
        // y = h·w with h = sin x and w = cos x: ∂y/∂h = w, not dy/dx.
        let tape = Tape()
        let x = try tape.variable(0.3)
        let h = try x.sin()
        let w = try x.cos()
        let y = try h * w
        let grads = try scalarGradients(tape, y, [h, w, x])
        #expect(isClose(grads[0], w.scalar ?? .nan))
        #expect(isClose(grads[1], h.scalar ?? .nan))
        #expect(isClose(grads[2], Double.cosine(0.6)))
    }

    @Test func gradientsOfHiddenActivationsHaveTheirShapes() throws {
        let tape = Tape()
        let W = try tape.variable(Tensor(rows: [[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]]))
        let x = try tape.variable(Tensor(vector: [0.5, -1, 2]))
        let b = try tape.variable(Tensor(vector: [0.1, 0.2]))
        let h = try (W.matmul(x) + b).tanh()
        let L = try 0.5 * h.norm(.squaredL2)
        let g = try tape.gradient(of: L, withRespectTo: [h, W, b, x])
        #expect(g[0].shape == .vector(2))
        #expect(g[1].shape == .matrix(rows: 2, columns: 3))
        #expect(g[0] == h.value)   // ∂(½‖h‖²)/∂h = h
        for node in [W, b, x] {
            #expect(try tape.checkGradient(of: L, withRespectTo: node).maximumRelativeError < 1e-6)
        }
    }

    @Test func vectorJacobianProductWithASeed() throws {
        let tape = Tape()
        let x = try tape.variable(Tensor(vector: [1, 2, 3]))
        let y = try x * x
        let g = try tape.gradient(of: y, withRespectTo: [x], seed: Tensor(vector: [1, 0, 1]))
        #expect(g[0].scalars == [2, 0, 6])
        #expect(throws: BackpropError.self) { try tape.gradient(of: y, withRespectTo: [x]) }
    }

    @Test func reevaluationWithNewLeafValues() throws {
        let tape = Tape()
        let x = try tape.variable(2)
        let y = try x.power(3) + x
        #expect(y.scalar == 10)
        try tape.setValue(Tensor(3), for: x)
        try tape.evaluate()
        #expect(y.scalar == 30)
        #expect(try scalarGradients(tape, y, [x]) == [28])
        #expect(throws: BackpropError.notALeaf) { try tape.setValue(Tensor(1), for: y) }
    }

    @Test func indexingSlicingConcatenationAndTranspose() throws {
        let tape = Tape()
        let M = try tape.variable(Tensor(rows: [[1, 2, 3], [4, 5, 6]]))
        #expect(try M[1, 2].scalar == 6)
        #expect(try M.row(1).value.scalars == [4, 5, 6])
        #expect(try M.column(1).value.scalars == [2, 5])
        #expect(try M.slice(rows: 0..<2, columns: 1..<3).value.scalars == [2, 3, 5, 6])
        #expect(try M.transpose().value.scalars == [1, 4, 2, 5, 3, 6])
        let v = try tape.variable(Tensor(vector: [7, 8, 9]))
        #expect(try v.slice(1..<3).value.scalars == [8, 9])
        let c = try tape.concatenate([v, M.row(0), M[0, 0]])
        #expect(c.value.scalars == [7, 8, 9, 1, 2, 3, 1])
        let weights = try tape.constant(Tensor(vector: (1...7).map(Double.init)))
        let L = try (c * weights).sum().sin() + M.transpose().matmul(v.slice(0..<2)).norm()
        for node in [M, v] {
            #expect(try tape.checkGradient(of: L, withRespectTo: node).maximumRelativeError < 1e-6)
        }
        #expect(throws: BackpropError.self) { try M[2, 0] }
        #expect(throws: BackpropError.self) { try v.slice(2..<5) }
    }

    @Test func matrixOperationsAgreeWithFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 7)
        func random(_ shape: Shape) throws -> Tensor {
            try Tensor(shape: shape, scalars: (0..<shape.count).map { _ in rng.nextUniform(in: -1...1) })
        }
        let tape = Tape()
        let A = try tape.variable(random(.matrix(rows: 3, columns: 4)))
        let B = try tape.variable(random(.matrix(rows: 4, columns: 2)))
        let u = try tape.variable(random(.vector(3)))
        let w = try tape.variable(random(.vector(2)))
        let t = try tape.constant(Tensor(rows: [[1, 0], [0, 1], [0, 0]]))
        let logits = try A.matmul(B) + u          // a vector broadcast across columns
        let ce = try -(t * logits.logSoftmax()).sum()
        let p = try logits.softmax().hadamard(u.outer(w))
        let L = try ce + p.mean() + logits.maximum(u.outer(w)).sum() * 0.1 + (A.norm(.l1) - B.abs().sum()).sigmoid()
            + u.minimum(try tape.constant(0)).exp().dot(u) + w.norm().sqrt()
        for node in [A, B, u, w] {
            #expect(try tape.checkGradient(of: L, withRespectTo: node).maximumRelativeError < 1e-5)
        }
    }

    @Test func secondOrderGradients() throws {
        let tape = Tape()
        let x = try tape.variable(0.8)
        let y = try x.power(3) * x.sin() + x.tanh() * x.exp() - x.sigmoid() / x.log().abs()
        let dy = try tape.gradientNodes(of: y, withRespectTo: [x])[0]
        #expect(isClose(dy.scalar ?? .nan, try scalarGradients(tape, y, [x])[0], tolerance: 1e-12))
        let d2 = try scalarGradients(tape, dy, [x])[0]
        let report = try tape.checkGradient(of: dy, withRespectTo: x)
        #expect(isClose(d2, report.numeric[0], tolerance: 1e-6))
    }

    @Test func badInputIsATypedError() throws {
        let tape = Tape()
        let a = try tape.variable(Tensor(vector: [1, 2, 3]))
        let b = try tape.variable(Tensor(vector: [1, 2]))
        #expect(throws: BackpropError.shapeMismatch(operation: "+", .vector(3), .vector(2))) { try a + b }
        #expect("\(BackpropError.shapeMismatch(operation: "+", .vector(3), .vector(2)))" == "shape mismatch in +: vector(3) and vector(2)")
        #expect(throws: BackpropError.self) { try a.matmul(b) }
        #expect(throws: BackpropError.nonFiniteInput("leaf value nan")) { try tape.variable(.nan) }
        #expect(throws: BackpropError.self) { try Tensor(vector: [1, .infinity]) }
        let negative = try tape.variable(-2)
        #expect(throws: BackpropError.outsideDomain(function: "log", argument: -2)) { try negative.log() }
        #expect(throws: BackpropError.outsideDomain(function: "sqrt", argument: -2)) { try negative.sqrt() }
        #expect(throws: BackpropError.self) { try negative / tape.constant(0) }
        #expect(throws: BackpropError.nonFiniteResult(operation: "exp")) { try tape.variable(1000).exp() }
        #expect(throws: BackpropError.emptyTensor(.vector(0))) { try Tensor(vector: []) }
        let huge = Shape.matrix(rows: 1_000_000, columns: 1_000_000)
        #expect(throws: BackpropError.tooLarge(huge)) { try Tensor(repeating: 0, shape: huge) }
        #expect(throws: BackpropError.self) { try Matrix<Double>(zeros: 1_000_000, 1_000_000) }
        #expect(throws: BackpropError.foreignNode) { try a + Tape().variable(1) }
        let count = tape.count
        _ = try? negative.log()
        #expect(tape.count == count)   // a failed operation leaves the tape as it was
    }
}
