import Testing
import Backprop

/// Seeded random checks: each case number is a seed, so a failure names its reproduction.
@Suite struct PropertyTests {
    init() { singleThreadedBLAS }

    /// A random scalar expression over three leaves, built from every smooth scalar op.
    func randomExpression(_ tape: Tape, _ leaves: [Node], _ rng: inout SeededGenerator) throws -> Node {
        var pool = leaves
        for _ in 0..<12 {
            let a = pool[Int(rng.next() % UInt64(pool.count))]
            let b = pool[Int(rng.next() % UInt64(pool.count))]
            let next: Node = switch rng.next() % 13 {
            case 0: try a + b
            case 1: try a - b
            case 2: try a * b
            case 3: try a / (b.squared() + 1)
            case 4: try (a.squared() + 0.5).power(b.sin())
            case 5: try a.exp().tanh()
            case 6: try (a.squared() + 1).log()
            case 7: try (a.squared() + 0.1).sqrt()
            case 8: try a.sin() * b.cos()
            case 9: try a.sigmoid()
            case 10: try -a
            case 11: try a.power(3)
            default: try tape.concatenate([a, b]).softmax()[0]
            }
            pool.append(next)
        }
        return try pool[pool.count - 1] + pool[pool.count - 2] * pool[pool.count - 3]
    }

    @Test(arguments: 0..<40)
    func tapeGradientMatchesCentralDifferences(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        let tape = Tape()
        let leaves = try (0..<3).map { _ in try tape.variable(rng.nextUniform(in: -1.5...1.5)) }
        let y = try randomExpression(tape, leaves, &rng)
        for leaf in leaves {
            let report = try tape.checkGradient(of: y, withRespectTo: leaf)
            #expect(report.maximumRelativeError < 1e-5, "seed \(seed): \(report)")
        }
    }

    func randomCase(_ seed: Int) throws -> (MultilayerPerceptron<Double>, Matrix<Double>, Matrix<Double>, Loss) {
        var rng = SeededGenerator(seed: UInt64(seed))
        let depth = 1 + Int(rng.next() % 3)
        let sizes = (0...depth).map { _ in 1 + Int(rng.next() % 5) }
        let loss = Loss.allCases[Int(rng.next() % 4)]
        var activations = (0..<depth).map { _ in [Activation.identity, .sigmoid, .tanh, .relu][Int(rng.next() % 4)] }
        if loss == .crossEntropy { activations[depth - 1] = rng.next() % 2 == 0 ? .softmax : .sigmoid }
        if rng.next() % 4 == 0, loss != .softmaxCrossEntropy { activations[depth - 1] = .softmax }
        let net = try MultilayerPerceptron<Double>(sizes: sizes, activations: activations, initialization: .uniform(1), generator: &rng)
        let batch = 1 + Int(rng.next() % 3)
        let x = try Matrix(rows: sizes[0], columns: batch, scalars: (0..<sizes[0] * batch).map { _ in rng.nextUniform(in: -2...2) })
        let t = try Matrix(rows: sizes[depth], columns: batch, scalars: (0..<sizes[depth] * batch).map { _ in rng.nextUniform() })
        return (net, x, t, loss)
    }

    @Test(arguments: 0..<60)
    func layerwiseBackpropMatchesTape(seed: Int) throws {
        let (net, x, t, loss) = try randomCase(seed)
        let layerwise = try net.backward(net.forward(x), target: t, loss: loss)
        let tape = try net.tapeGradients(input: x, target: t, loss: loss)
        #expect(isClose(layerwise.loss, tape.loss, tolerance: 1e-12))
        #expect(layerwise.relativeDistance(to: tape) < 1e-12, "seed \(seed) \(net.sizes) \(loss)")
    }

    @Test(arguments: 0..<20)
    func pathSumsMatchTape(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) + 1000)
        let sizes = [2 + Int(rng.next() % 2), 3, 1 + Int(rng.next() % 3), 2]
        let activations = (0..<3).map { _ in [Activation.identity, .sigmoid, .tanh, .relu][Int(rng.next() % 4)] }
        let net = try MultilayerPerceptron<Double>(sizes: sizes, activations: activations, initialization: .xavier, generator: &rng)
        let x = try Matrix(rows: sizes[0], columns: 1, scalars: (0..<sizes[0]).map { _ in rng.nextUniform(in: -1...1) })
        let tape = Tape()
        let recorded = try net.record(on: tape, input: x, target: Matrix(zeros: 2, 1), loss: .halfSquaredError)
        for k in 0..<2 {
            let output = try recorded.activations[3][k]
            let grads = try tape.gradient(of: output, withRespectTo: recorded.weights)
            for layer in 1...3 {
                let i = Int(rng.next() % UInt64(sizes[layer])), j = Int(rng.next() % UInt64(sizes[layer - 1]))
                let sum = try net.pathSum(output: k, layer: layer, row: i, column: j, input: x)
                let expected = grads[layer - 1][i, j] ?? .nan
                #expect(isClose(sum.value, expected, tolerance: 1e-12))
                #expect(sum.paths.count == (layer == 3 ? (i == k ? 1 : 0) : sizes[(layer + 1)..<3].reduce(1, *)))
            }
        }
    }

    @Test func trainerStepMatchesLayerwiseGradients() throws {
        var rng = SeededGenerator(seed: 3)
        let net = try MultilayerPerceptron<Double>(sizes: [5, 4, 3], activations: [.relu, .identity], initialization: .he, generator: &rng)
        let x = try Matrix(rows: 5, columns: 6, scalars: (0..<30).map { _ in rng.nextUniform(in: -1...1) })
        var t = try Matrix<Double>(zeros: 3, 6)
        for c in 0..<6 { t[c % 3, c] = 1 }
        for optimizer in [Optimizer.sgd(learningRate: 0.1), .sgd(learningRate: 0.1, momentum: 0.9)] {
            let trainer = try NetworkTrainer(network: net, batchSize: 6, loss: .softmaxCrossEntropy, optimizer: optimizer)
            let loss = try trainer.step(input: x, target: t)
            let grads = try net.backward(net.forward(x), target: t, loss: .softmaxCrossEntropy)
            #expect(isClose(loss, grads.loss, tolerance: 1e-12))
            var expected = net
            for i in expected.layers.indices {
                for r in 0..<expected.layers[i].weights.rows {
                    for c in 0..<expected.layers[i].weights.columns {
                        expected.layers[i].weights[r, c] -= 0.1 * grads.weights[i][r, c]
                    }
                    expected.layers[i].bias[r, 0] -= 0.1 * grads.biases[i][r, 0]
                }
            }
            for (a, b) in zip(trainer.network.layers, expected.layers) {
                #expect(a.weights.relativeDistance(to: b.weights) < 1e-12)
                #expect(a.bias.relativeDistance(to: b.bias) < 1e-12)
            }
        }
    }

    @Test func trainingIsDeterministicAndLearns() throws {
        func run(_ optimizer: Optimizer) throws -> [Float] {
            var rng = SeededGenerator(seed: 11)
            let net = try MultilayerPerceptron<Float>(sizes: [4, 8, 3], activations: [.tanh, .identity], initialization: .xavier, generator: &rng)
            let x = try Matrix<Float>(rows: 4, columns: 9, scalars: (0..<36).map { _ in Float(rng.nextUniform(in: -1...1)) })
            var t = try Matrix<Float>(zeros: 3, 9)
            for c in 0..<9 { t[c % 3, c] = 1 }
            let trainer = try NetworkTrainer(network: net, batchSize: 9, loss: .softmaxCrossEntropy, optimizer: optimizer)
            return try trainer.train(input: x, target: t, steps: 50)
        }
        for optimizer in [Optimizer.sgd(learningRate: 0.5, momentum: 0.9), .adam(learningRate: 0.05)] {
            let first = try run(optimizer), second = try run(optimizer)
            #expect(first == second)
            #expect(first.count == 50)
            #expect((first.last ?? 1) < first[0] / 2)
        }
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        #expect(SeededGenerator(seed: 0) != SeededGenerator(seed: 1))
    }
}
