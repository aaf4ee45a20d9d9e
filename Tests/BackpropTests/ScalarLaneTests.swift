import Foundation
import Testing
import Backprop

/// The scalar lane must not change a bit: scalar `+ − ×` are recorded without `record()`,
/// while one-element vectors still go through `record()` and the general kernels (both take
/// the backward lane, which is checked against micrograd's exact values in KnownValueTests
/// and here against finite differences). The tape's columns must survive growth and reuse.
@Suite struct ScalarLaneTests {
    init() { singleThreadedBLAS }

    /// A small two-moons-like network, built from scalars or from 1-element vectors.
    func network(on tape: Tape, asVectors: Bool) throws -> (loss: Node, parameters: [Node]) {
        var rng = SeededGenerator(seed: 5)
        func leaf(_ value: Double) throws -> Node {
            asVectors ? try tape.variable(Tensor(vector: [value])) : try tape.variable(value)
        }
        let parameters = try (0..<(3 * 3 + 4)).map { _ in try leaf(rng.nextUniform(in: -1...1)) }
        var total = try leaf(0)
        for point in 0..<12 {
            let inputs = [try leaf(Double(point) / 6 - 1), try leaf(Double(point % 3) - 1)]
            var hidden: [Node] = []
            for unit in 0..<3 {
                var a = parameters[3 * unit + 2]
                for (i, x) in inputs.enumerated() { a = try a + parameters[3 * unit + i] * x }
                hidden.append(try a.relu())
            }
            var y = parameters[9 + 3]
            for (i, h) in hidden.enumerated() { y = try y + parameters[9 + i] * h }
            let label = try leaf(point % 2 == 0 ? 1 : -1)
            total = try total + (try leaf(1) - label * y).relu()
        }
        return (try total * 0.25, parameters)
    }

    @Test func scalarLaneGivesTheGeneralKernelsBits() throws {
        let scalarTape = Tape(), vectorTape = Tape()
        let (scalarLoss, scalarParameters) = try network(on: scalarTape, asVectors: false)
        let (vectorLoss, vectorParameters) = try network(on: vectorTape, asVectors: true)
        #expect(scalarLoss.scalar == vectorLoss.scalar)
        let fast = try scalarTape.gradient(of: scalarLoss, withRespectTo: scalarParameters).map(\.scalars)
        let general = try vectorTape.gradient(of: vectorLoss.sum(), withRespectTo: vectorParameters).map(\.scalars)
        #expect(fast == general)
        #expect(fast.contains { $0 != [0] })
        for p in scalarParameters.prefix(4) {
            #expect(try scalarTape.checkGradient(of: scalarLoss, withRespectTo: p).maximumRelativeError < 1e-6)
        }
    }

    @Test func columnsSurviveGrowthAndReuse() throws {
        let tape = Tape(reservingCapacity: 4)
        func record() throws -> [Double] {
            let x = try tape.variable(Tensor(vector: (0..<40).map { Double($0) / 40 }))
            var s = try tape.variable(0.5)
            for k in 0..<300 { s = try s + x[k % 40] * s.sin() }
            let v = try tape.concatenate([x.slice(0..<3), x.slice(5..<7)])
            let L = try s + v.norm()
            return try tape.gradient(of: L, withRespectTo: [x])[0].scalars + [L.scalar ?? .nan]
        }
        let first = try record()
        let count = tape.count
        tape.removeAll()
        #expect(tape.count == 0)
        #expect(try record() == first)
        #expect(tape.count == count)
    }
}

@Test func aRestoredTapeForgetsLaterNodesAndKeepsEarlierValues() throws {
    let tape = Tape()
    let x = try tape.variable(Tensor(vector: [0.5, -1, 2]))
    let h = try x.tanh()
    let mark = tape.checkpoint()
    let y = try (h * 3).sum()
    _ = try h.slice(0..<2)
    #expect(tape.count == mark.nodes + 4)
    tape.restore(mark)
    #expect(tape.count == mark.nodes)
    // The shared part still works: new nodes on top of it, and gradients through it.
    let z = try (h * h).sum()
    let gradient = try tape.gradient(of: z, withRespectTo: [x])[0]
    let expected = [0.5, -1.0, 2.0].map { 2 * Foundation.tanh($0) * (1 - Foundation.tanh($0) * Foundation.tanh($0)) }
    for (a, b) in zip(gradient.scalars, expected) { #expect(abs(a - b) < 1e-12) }
    _ = y
}
