import Backprop
import Benchmark
#if canImport(Glibc)
import Glibc
#endif

// Workloads mirrored by Benchmarks/peers/*.py; scripts/bench-engine.sh runs both sides.

/// BLAS threads, equal to the peers' torch.set_num_threads (BENCH_THREADS, default 2).
let threads: Int = getenv("BENCH_THREADS").flatMap { Int(String(cString: $0)) } ?? 2

func mnistShapedTrainer<S: BLASScalar>(_: S.Type) throws -> (NetworkTrainer<S>, Matrix<S>, Matrix<S>) {
    var rng = SeededGenerator(seed: 0)
    let net = try MultilayerPerceptron<S>(sizes: [784, 256, 10], activations: [.relu, .identity],
                                          initialization: .he, generator: &rng)
    let x = try Matrix<S>(rows: 784, columns: 128, scalars: (0..<784 * 128).map { _ in S(rng.nextUniform()) })
    var t = try Matrix<S>(zeros: 10, 128)
    for c in 0..<128 { t[Int(rng.next() % 10), c] = 1 }
    let trainer = try NetworkTrainer(network: net, batchSize: 128, loss: .softmaxCrossEntropy,
                                     optimizer: .sgd(learningRate: 0.01))
    return (trainer, x, t)
}

/// The benchmark builds a fresh trainer for every sample; without these unmeasured steps
/// each sample timed a first step on cold caches (about 1 ms more than a steady step, f64),
/// where the PyTorch peer times steady steps after 30 warm-up steps.
func warmUp<S: BLASScalar>(_ trainer: NetworkTrainer<S>, _ x: Matrix<S>, _ t: Matrix<S>) {
    for _ in 0..<5 { blackHole(try? trainer.step(input: x, target: t)) }
}

/// micrograd's demo: MLP(2, [16, 16, 1]) on 100 two-moons points, SVM max-margin
/// loss plus 1e-4·Σp², forward and backward — about 66,000 scalar nodes.
struct TwoMoons {
    var points: [(Double, Double)] = []
    var labels: [Double] = []
    var parameters: [Double] = []
    let sizes = [2, 16, 16, 1]

    init() {
        var rng = SeededGenerator(seed: 1)
        for i in 0..<100 {
            let angle = Double.pi * Double(i % 50) / 49
            let upper = i < 50
            let x = upper ? cos(angle) : 1 - cos(angle)
            let y = upper ? sin(angle) : 0.5 - sin(angle)
            points.append((x + 0.1 * rng.nextNormal(), y + 0.1 * rng.nextNormal()))
            labels.append(upper ? 1 : -1)
        }
        for l in 1..<sizes.count { for _ in 0..<(sizes[l] * (sizes[l - 1] + 1)) { parameters.append(rng.nextUniform(in: -1...1)) } }
    }

    /// Records the whole loss on `tape` and differentiates it; returns the node count.
    func run(on tape: Tape) throws -> Int {
        tape.removeAll()
        let params = try parameters.map { try tape.variable($0) }
        var losses: [Node] = []
        losses.reserveCapacity(points.count)
        // Two scratch layers reused across points, so the benchmark's own arrays do not
        // dominate the allocation count (micrograd builds Python lists here).
        var activations: [Node] = [], next: [Node] = []
        activations.reserveCapacity(16)
        next.reserveCapacity(16)
        for (point, label) in zip(points, labels) {
            activations.removeAll(keepingCapacity: true)
            activations.append(try tape.constant(point.0))
            activations.append(try tape.constant(point.1))
            var p = 0
            for l in 1..<sizes.count {
                next.removeAll(keepingCapacity: true)
                for _ in 0..<sizes[l] {
                    var act = params[p + sizes[l - 1]]   // bias, then Σ wᵢxᵢ as micrograd adds them
                    for i in activations.indices { act = try act + params[p + i] * activations[i] }
                    p += sizes[l - 1] + 1
                    next.append(l == sizes.count - 1 ? act : try act.relu())
                }
                swap(&activations, &next)
            }
            losses.append(try (1 + (-label) * activations[0]).relu())
        }
        var dataLoss = losses[0]
        for loss in losses.dropFirst() { dataLoss = try dataLoss + loss }
        dataLoss = try dataLoss * (1.0 / Double(losses.count))
        var regularisation = try params[0] * params[0]
        for q in params.dropFirst() { regularisation = try regularisation + q * q }
        let total = try dataLoss + 1e-4 * regularisation
        blackHole(try tape.gradient(of: total, withRespectTo: params))
        return tape.count
    }
}

let benchmarks: @Sendable () -> Void = {
    BLAS.setThreadCount(threads)
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 10,
                                           maxDuration: .seconds(3), maxIterations: 2000)

    Benchmark("MLP 784-256-10 batch 128 SGD step f64") { benchmark in
        guard let (trainer, x, t) = try? mnistShapedTrainer(Double.self) else { return }
        warmUp(trainer, x, t)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try? trainer.step(input: x, target: t)) }
        benchmark.stopMeasurement()   // before the trainer's buffers are freed
    }

    Benchmark("MLP 784-256-10 batch 128 SGD step f32") { benchmark in
        guard let (trainer, x, t) = try? mnistShapedTrainer(Float.self) else { return }
        warmUp(trainer, x, t)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try? trainer.step(input: x, target: t)) }
        benchmark.stopMeasurement()   // before the trainer's buffers are freed
    }

    Benchmark("two-moons scalar tape forward+backward") { benchmark in
        let moons = TwoMoons()
        let tape = Tape(reservingCapacity: 70_000)
        _ = try? moons.run(on: tape)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try? moons.run(on: tape)) }
        benchmark.stopMeasurement()   // before the tape is freed
    }
}
