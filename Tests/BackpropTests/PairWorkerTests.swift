import Testing
@testable import Backprop
#if canImport(Glibc)
import Glibc
#endif

/// The trainer's two-thread split (``PairWorker``): each half of a split product is a
/// one-thread OpenBLAS call on a block of rows of the output. Above the size where
/// OpenBLAS leaves its small-matrix kernels (both halves ≥ 2²⁰ multiply–adds, see
/// ``NetworkTrainer/pairMinimum``) it computes each output element from the same
/// k-blocks in the same order whichever rows are around it, so a split step must equal
/// the one-thread step exactly, not within a tolerance.
@Suite struct PairWorkerTests {
    /// Trains the same network twice, once with the split and once without, and
    /// returns both runs' losses and final parameters.
    func bothWays<S: BLASScalar>(_: S.Type, sizes: [Int], activations: [Activation], batch: Int,
                                 optimizer: Optimizer, steps: Int, expectsPair: Bool = true) throws
        -> (split: ([S], MultilayerPerceptron<S>), whole: ([S], MultilayerPerceptron<S>), jobs: Int) {
        _ = singleThreadedBLAS
        var rng = SeededGenerator(seed: 7)
        let net = try MultilayerPerceptron<S>(sizes: sizes, activations: activations, initialization: .he, generator: &rng)
        let x = try Matrix<S>(rows: sizes[0], columns: batch, scalars: (0..<sizes[0] * batch).map { _ in S(rng.nextUniform(in: -1...1)) })
        var t = try Matrix<S>(zeros: sizes[sizes.count - 1], batch)
        for c in 0..<batch { t[Int(rng.next() % UInt64(sizes[sizes.count - 1])), c] = 1 }
        var jobs = 0
        func run(pairs: Bool) throws -> ([S], MultilayerPerceptron<S>) {
            let trainer = try NetworkTrainer(network: net, batchSize: batch, loss: .softmaxCrossEntropy, optimizer: optimizer)
            trainer.pairsProducts = pairs
            let losses = try trainer.train(input: x, target: t, steps: steps)
            #expect((trainer.pair != nil) == (pairs && expectsPair))
            if pairs { jobs = trainer.pair?.jobs ?? 0 }
            return (losses, trainer.network)
        }
        let split = try run(pairs: true)
        return (split, try run(pairs: false), jobs)
    }

    /// Whether the f32 runs agree: bit for bit, losses and parameters, under the kernels
    /// OpenBLAS picks for this processor. When `OPENBLAS_CORETYPE` forces other ones (this
    /// workplace sets `Haswell` on processors whose own kernels older OpenBLAS builds get
    /// wrong), their single-precision row tails round differently in the last bit, and
    /// Adam's normalised steps carry such a bit far into a parameter; the losses must then
    /// still agree to 1e-5.
    func float32Agree(_ split: ([Float], MultilayerPerceptron<Float>), _ whole: ([Float], MultilayerPerceptron<Float>)) -> Bool {
        if getenv("OPENBLAS_CORETYPE") == nil { return split.0 == whole.0 && split.1 == whole.1 }
        return split.0.count == whole.0.count
            && zip(split.0, whole.0).allSatisfy { abs($0 - $1) <= 1e-5 * Swift.max(1, abs($0), abs($1)) }
    }

    @Test("the split MNIST-shaped step equals the one-thread step bit for bit, f64 and f32")
    func mnistShapedStepIsBitIdentical() throws {
        let d = try bothWays(Double.self, sizes: [784, 256, 10], activations: [.relu, .identity], batch: 128,
                             optimizer: .sgd(learningRate: 0.01), steps: 3)
        // Per step: the forward product of layer 0; the bottom update after ∇a₀ (whose own
        // product, 256·128·10 multiply–adds, stays on the calling thread).
        #expect(d.jobs == 2 * 3)
        #expect(d.split.0 == d.whole.0)
        let dSame = d.split.1 == d.whole.1
        #expect(dSame, "parameters differ")
        let f = try bothWays(Float.self, sizes: [784, 256, 10], activations: [.relu, .identity], batch: 128,
                             optimizer: .sgd(learningRate: 0.01), steps: 3)
        let fAgree = float32Agree(f.split, f.whole)
        #expect(fAgree, "losses or parameters differ")
    }

    @Test("uneven splits, deeper networks and every optimizer give the one-thread result", arguments: [
        Optimizer.sgd(learningRate: 0.05), .sgd(learningRate: 0.05, momentum: 0.9), .adam(learningRate: 0.01),
    ])
    func unevenSplitsAreBitIdentical(optimizer: Optimizer) throws {
        // 200 rows split 112 + 88, 150 rows 80 + 70, those halves above 2²⁰ multiply–adds;
        // tanh and sigmoid slopes, batch 96.
        let d = try bothWays(Double.self, sizes: [400, 200, 150, 10], activations: [.tanh, .relu, .identity], batch: 96,
                             optimizer: optimizer, steps: 4)
        // Per step: forward 0 and 1, update 1, and ∇a₀ with the bottom update; ∇a₁ (from
        // the 10-row top layer) and the top layer's update stay on the calling thread.
        #expect(d.jobs == 4 * 4)
        #expect(d.split.0 == d.whole.0)
        let dSame = d.split.1 == d.whole.1
        #expect(dSame, "parameters differ")
        let f = try bothWays(Float.self, sizes: [500, 200, 150, 5], activations: [.sigmoid, .relu, .identity], batch: 96,
                             optimizer: optimizer, steps: 4)
        let fAgree = float32Agree(f.split, f.whole)
        #expect(fAgree, "losses or parameters differ")
    }

    @Test("a softmax hidden layer (not split by rows) still trains the same with the pair")
    func softmaxHiddenLayer() throws {
        let d = try bothWays(Double.self, sizes: [300, 128, 6], activations: [.softmax, .identity], batch: 64,
                             optimizer: .sgd(learningRate: 0.1), steps: 3)
        #expect(d.split.0 == d.whole.0)
        let dSame = d.split.1 == d.whole.1
        #expect(dSame, "parameters differ")
    }

    /// Counts the halves it is asked to run, one slot per half of each job.
    /// `@unchecked Sendable`: the two halves write different slots, and `job` is set
    /// only between jobs.
    final class Tally: PairJob, @unchecked Sendable {
        static let jobs = 20_000
        let seen = UnsafeMutablePointer<Int>.allocate(capacity: 2 * jobs)
        var job = 0
        init() { seen.initialize(repeating: 0, count: 2 * Self.jobs) }
        deinit { seen.deallocate() }
        func runHalf(_ half: Int) { seen[2 * job + half] += 1 }
    }

    @Test("every half of every job runs exactly once, whether the worker or the caller takes it")
    func everyHalfRunsOnce() {
        let tally = Tally()
        do {
            let worker = PairWorker(client: tally)
            for job in 0..<Tally.jobs {
                tally.job = job
                worker.run()
            }
        }
        #expect(UnsafeBufferPointer(start: tally.seen, count: 2 * Tally.jobs).allSatisfy { $0 == 1 })
    }

    @Test("a network whose products are all small starts no thread")
    func smallNetworkStartsNoThread() throws {
        let d = try bothWays(Double.self, sizes: [5, 4, 3], activations: [.relu, .identity], batch: 6,
                             optimizer: .sgd(learningRate: 0.1), steps: 2, expectsPair: false)
        #expect(d.jobs == 0)
        #expect(d.split.0 == d.whole.0)
    }

    @Test("the worker thread exits when its trainer is freed")
    func workerStopsWithTrainer() throws {
        _ = singleThreadedBLAS
        var rng = SeededGenerator(seed: 1)
        let net = try MultilayerPerceptron<Double>(sizes: [512, 128, 4], activations: [.relu, .identity], initialization: .he, generator: &rng)
        let x = try Matrix<Double>(rows: 512, columns: 64, scalars: (0..<512 * 64).map { _ in rng.nextUniform(in: -1...1) })
        var t = try Matrix<Double>(zeros: 4, 64)
        for c in 0..<64 { t[c % 4, c] = 1 }
        var trainer: NetworkTrainer<Double>? = try NetworkTrainer(network: net, batchSize: 64, loss: .softmaxCrossEntropy,
                                                                  optimizer: .sgd(learningRate: 0.1))
        trainer?.pairsProducts = true
        _ = try trainer?.step(input: x, target: t)
        let id = try #require(trainer?.pair?.threadID)
        #expect(id > 0)
        #if os(Linux)
        let task = "/proc/self/task/\(id)"
        #expect(access(task, F_OK) == 0)
        trainer = nil   // joins the thread
        // A joined thread's /proc entry can outlive the join by a moment.
        var gone = access(task, F_OK) != 0
        for _ in 0..<200 where !gone {
            usleep(5_000)
            gone = access(task, F_OK) != 0
        }
        #expect(gone)
        #endif
    }
}
