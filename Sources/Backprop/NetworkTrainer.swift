/// Trains a ``MultilayerPerceptron`` fast: every buffer is allocated once in `init`,
/// so a step allocates nothing, and dense products go through BLAS.
///
/// A class because it owns raw buffers that it frees in `deinit`. With plain SGD the
/// weight update is folded into the gradient product (W ← W − η ∇a hᵀ in one GEMM),
/// so ∇W is never stored; use ``MultilayerPerceptron/backward(_:target:loss:)`` when
/// the gradients themselves are wanted.
///
/// ```swift
/// let trainer = try NetworkTrainer(network: net, batchSize: 128, loss: .softmaxCrossEntropy,
///                                  optimizer: .sgd(learningRate: 0.1))
/// let losses = try trainer.train(input: x, target: t, steps: 100)   // loss at every step
/// ```
public final class NetworkTrainer<Scalar: BLASScalar>: PairJob {
    public let loss: Loss
    public let optimizer: Optimizer
    public let batchSize: Int
    let sizes: [Int]
    let activations: [Activation]
    // Per layer i (0-based): W_i, b_i, a_i, h_{i+1}, ∇a_i, ∇h_i (∇ of layer i's input),
    // and optimizer moments.
    var weights: [UnsafeMutablePointer<Scalar>] = []
    var biases: [UnsafeMutablePointer<Scalar>] = []
    var preactivations: [UnsafeMutablePointer<Scalar>] = []
    var outputs: [UnsafeMutablePointer<Scalar>] = []
    var gradientA: [UnsafeMutablePointer<Scalar>] = []
    var gradientW: [UnsafeMutablePointer<Scalar>] = []
    var gradientB: [UnsafeMutablePointer<Scalar>] = []
    var moments: [UnsafeMutablePointer<Scalar>] = []
    /// Per-column scratch (batch elements each) for the softmax cross-entropy pass.
    var columnLargest: UnsafeMutablePointer<Scalar>
    var columnSum: UnsafeMutablePointer<Scalar>
    var columnMass: UnsafeMutablePointer<Scalar>
    var allocations: [(UnsafeMutablePointer<Scalar>, Int)] = []
    var steps = 0
    /// BLAS threads in force when the current step began (restored after small products).
    var blasThreads = 1
    /// Whether this step's products use OpenBLAS's own threads (more than one BLAS thread
    /// and no ``pair``); small products then still run on one.
    var threadedProducts: Bool { blasThreads > 1 && !pairing }
    /// With exactly two BLAS threads, the step's large products are split in two by rows,
    /// each half a one-thread OpenBLAS call, between the calling thread and this worker:
    /// OpenBLAS's threaded driver mallocs a job table on every such product, the pair
    /// allocates nothing. Started at the first product split; stopped when the trainer is freed.
    var pair: PairWorker?
    /// Whether the current step splits its large products across the pair.
    var pairing = false
    /// The task the pair runs (both threads read it; set before ``PairWorker/run()``).
    var pairTask = PairTask.forward(0)
    /// Whether steps split products across the pair: `nil` (the default) when
    /// `BLAS.threadCount` is 2 at the step. Tests set it to compare the two ways.
    var pairsProducts: Bool?
    var beta1Power = 1.0
    var beta2Power = 1.0
    var input: UnsafePointer<Scalar>?
    var target: UnsafePointer<Scalar>?

    public init(network: MultilayerPerceptron<Scalar>, batchSize: Int, loss: Loss, optimizer: Optimizer) throws(BackpropError) {
        _ = try Shape.matrix(rows: network.sizes.max() ?? 0, columns: batchSize).validated()
        self.loss = loss
        self.optimizer = optimizer
        self.batchSize = batchSize
        sizes = network.sizes
        activations = network.layers.map(\.activation)
        columnLargest = .allocate(capacity: batchSize)
        columnSum = .allocate(capacity: batchSize)
        columnMass = .allocate(capacity: batchSize)
        for p in [columnLargest, columnSum, columnMass] {
            p.initialize(repeating: 0, count: batchSize)
            allocations.append((p, batchSize))
        }
        func make(_ count: Int) -> UnsafeMutablePointer<Scalar> {
            let p = UnsafeMutablePointer<Scalar>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            allocations.append((p, count))
            return p
        }
        let usesMoments: Int = switch optimizer {
        case let .sgd(_, momentum): momentum == 0 ? 0 : 2
        case .adam: 4
        }
        for (i, layer) in network.layers.enumerated() {
            let w = layer.weights.rows * layer.weights.columns, out = sizes[i + 1] * batchSize
            weights.append(make(w))
            weights[i].update(from: layer.weights.scalars, count: w)
            biases.append(make(sizes[i + 1]))
            biases[i].update(from: layer.bias.scalars, count: sizes[i + 1])
            preactivations.append(make(out))
            outputs.append(layer.activation == .identity ? preactivations[i] : make(out))
            gradientA.append(make(out))
            gradientW.append(make(w))
            gradientB.append(make(sizes[i + 1]))
            // moments: [vW, vb] for momentum, [mW, mb, vW, vb] for Adam
            for k in 0..<usesMoments { moments.append(make(k % 2 == 0 ? w : sizes[i + 1])) }
        }
    }

    deinit {
        pair = nil   // stops the worker thread before the buffers go
        for (p, count) in allocations {
            p.deinitialize(count: count)
            p.deallocate()
        }
    }

    /// The network with its current parameters.
    public var network: MultilayerPerceptron<Scalar> {
        MultilayerPerceptron(layers: activations.indices.map { i in
            let w = sizes[i + 1] * sizes[i]
            return DenseLayer(weights: Matrix(unchecked: sizes[i + 1], sizes[i], Array(UnsafeBufferPointer(start: weights[i], count: w))),
                              bias: Matrix(unchecked: sizes[i + 1], 1, Array(UnsafeBufferPointer(start: biases[i], count: sizes[i + 1]))),
                              activation: activations[i])
        })
    }

    /// One forward pass, backward pass and parameter update on a batch; returns the
    /// loss before the update. `input` is inputs × batch, `target` outputs × batch.
    public func step(input x: Matrix<Scalar>, target t: Matrix<Scalar>) throws(BackpropError) -> Scalar {
        guard x.rows == sizes[0], x.columns == batchSize else {
            throw .shapeMismatch(operation: "training input", .matrix(rows: sizes[0], columns: batchSize), .matrix(rows: x.rows, columns: x.columns))
        }
        guard let last = sizes.last, t.rows == last, t.columns == batchSize else {
            throw .shapeMismatch(operation: "training target", .matrix(rows: sizes.last ?? 0, columns: batchSize), .matrix(rows: t.rows, columns: t.columns))
        }
        let value = x.scalars.withUnsafeBufferPointer { xs in
            t.scalars.withUnsafeBufferPointer { ts in
                input = xs.baseAddress
                target = ts.baseAddress
                defer { input = nil; target = nil }
                return Scalar.performStep(self)
            }
        }
        guard value.isFinite else { throw .nonFiniteResult(operation: "training step") }
        return value
    }

    /// Runs `steps` steps on the same batch and records the loss at every step.
    public func train(input: Matrix<Scalar>, target: Matrix<Scalar>, steps: Int) throws(BackpropError) -> [Scalar] {
        var losses: [Scalar] = []
        losses.reserveCapacity(steps)
        for _ in 0..<steps { losses.append(try step(input: input, target: target)) }
        return losses
    }

    /// The step body; reached through ``BLASScalar/performStep(_:)`` from a concrete
    /// type so the compiler specialises these loops for Float and Double.
    func specialisedStep() -> Scalar {
        guard input != nil, let t = target else { return .nan }
        blasThreads = BLAS.threadCount
        pairing = pairsProducts ?? (blasThreads == 2)
        // With the pair every product is a one-thread OpenBLAS call, split or not.
        let restoresThreads = pairing && blasThreads != 1
        if restoresThreads { BLAS.setThreadCount(1) }
        defer { if restoresThreads { BLAS.setThreadCount(blasThreads) } }
        let layerCount = activations.count, batch = batchSize
        for i in 0..<layerCount {
            run(.forward(i))
            if activations[i] == .softmax {
                columnSoftmax(preactivations[i], into: outputs[i], rows: sizes[i + 1], columns: batch)
            }
        }
        // ∇_{a_L} L first.
        let lastIndex = layerCount - 1
        let value = outputGradient(lastIndex, target: t)
        if case let .adam(_, beta1, beta2, _) = optimizer {
            // β^t as running products: no pow, and identical on every platform.
            beta1Power *= beta1
            beta2Power *= beta2
        }
        // Then layer by layer downwards. The bottom layer's update needs only its own
        // rows of ∇a₀, so it runs in the same job as the product that makes them; the
        // layer above is updated afterwards (its old W was needed for ∇a₀).
        var bottomUpdated = false
        for i in stride(from: lastIndex, through: 0, by: -1) {
            if i > 0 {
                run(.backward(i, multiplies: true))
                if activations[i - 1] == .softmax {
                    multiplyBySlope(i - 1, gradientA[i - 1], count: sizes[i] * batch)
                } else {
                    bottomUpdated = i == 1
                }
            }
            if !(i == 0 && bottomUpdated) { run(.update(i)) }
        }
        steps += 1
        return value
    }

    /// A part of the step that splits by rows: each row of its output depends only on
    /// the same row of its inputs, so the two halves of a ``PairWorker`` job never write
    /// the same memory.
    enum PairTask {
        /// a_i = W_i h_{i−1} + b_i, then h_i = g(a_i) for an elementwise g; rows of layer i.
        case forward(Int)
        /// ∇a_{i−1} = W_iᵀ ∇a_i (unless `multiplies` is false: the product is already
        /// there), ⊙ g′(a_{i−1}) for an elementwise g, on rows of layer i − 1; then, when
        /// layer i − 1 is the bottom layer, its update on the same rows.
        case backward(Int, multiplies: Bool)
        /// Layer i's bias gradient and parameter update, on its rows.
        case update(Int)
    }

    /// A product is split only when each half has at least this many multiply–adds.
    /// OpenBLAS 0.3.21 runs products of up to 10⁶ multiply–adds through small-matrix
    /// kernels (on this machine's Cooperlake build) that do not give a block of rows the
    /// same bits as the whole product; above that, its blocked kernels compute every
    /// element the same way wherever its row is, so a split step is bit-identical to a
    /// one-thread step. Smaller products are not worth a handoff anyway.
    static var pairMinimum: Int { 1 << 20 }

    /// The number of rows `task` splits.
    func rowCount(_ task: PairTask) -> Int {
        switch task {
        case let .forward(i), let .update(i): sizes[i + 1]
        case let .backward(i, _): sizes[i]
        }
    }

    /// Whether a product with `rows` rows of `perRow` multiply–adds each is split.
    func splits(rows: Int, perRow: Int) -> Bool {
        let split = splitRow(rows)
        return Swift.min(split, rows - split) * perRow >= Self.pairMinimum
    }

    /// Runs `task` on all its rows: split across the pair when there is one and the
    /// task's product is large enough, on this thread otherwise.
    func run(_ task: PairTask) {
        let rows = rowCount(task)
        guard pairing else { return perform(task, rows: 0..<rows) }
        let batch = batchSize
        switch task {
        case let .forward(i), let .update(i):
            guard splits(rows: rows, perRow: sizes[i] * batch) else { return perform(task, rows: 0..<rows) }
        case let .backward(i, _):
            if !splits(rows: rows, perRow: sizes[i + 1] * batch) {
                // The product is small; the bottom layer's update after it may not be.
                guard i == 1, activations[0] != .softmax, splits(rows: rows, perRow: sizes[0] * batch) else {
                    return perform(task, rows: 0..<rows)
                }
                multiplyBelow(i, rows: 0..<rows)
                pairTask = .backward(i, multiplies: false)
                return startedPair().run()
            }
        }
        pairTask = task
        startedPair().run()
    }

    /// The pair's worker, started on first use.
    func startedPair() -> PairWorker {
        if let pair { return pair }
        let started = PairWorker(client: self)
        pair = started
        return started
    }

    /// Where the rows of a split task divide: half-way, rounded up to a multiple of 16.
    func splitRow(_ rows: Int) -> Int { Swift.min(rows, (rows / 2 + 15) / 16 * 16) }

    func runHalf(_ half: Int) { Scalar.performHalf(self, half) }

    /// Half of the current ``pairTask``; reached through ``BLASScalar/performHalf(_:_:)``
    /// like ``specialisedStep()``, so its loops are specialised too.
    func specialisedHalf(_ half: Int) {
        let task = pairTask, rows = rowCount(task), split = splitRow(rows)
        perform(task, rows: half == 0 ? 0..<split : split..<rows)
    }

    /// ∇h_{i−1} = W_iᵀ ∇a_i (with the old W_i) on rows `rows` of layer i − 1.
    func multiplyBelow(_ i: Int, rows: Range<Int>) {
        let batch = batchSize, above = sizes[i + 1], k = sizes[i]
        gemm(transposeA: true, transposeB: false, m: rows.count, n: batch, k: above, alpha: 1,
             a: weights[i] + rows.lowerBound, lda: k, b: gradientA[i], ldb: batch, beta: 0,
             c: gradientA[i - 1] + rows.lowerBound * batch, ldc: batch)
    }

    /// One task on a range of its rows.
    func perform(_ task: PairTask, rows: Range<Int>) {
        let batch = batchSize, first = rows.lowerBound, count = rows.count
        guard count > 0, let x = input else { return }
        switch task {
        case let .forward(i):
            // The bias is written into a_i first and the GEMM accumulates onto it (β = 1):
            // no zeroing pass, no bias pass.
            let k = sizes[i]
            let previous = i == 0 ? x : UnsafePointer(outputs[i - 1])
            let a = preactivations[i] + first * batch, h = outputs[i] + first * batch, b = biases[i]
            for r in 0..<count { (a + r * batch).update(repeating: b[first + r], count: batch) }
            gemm(transposeA: false, transposeB: false, m: count, n: batch, k: k, alpha: 1, a: weights[i] + first * k, lda: k,
                 b: previous, ldb: batch, beta: 1, c: a, ldc: batch)
            let n = count * batch
            switch activations[i] {
            case .identity, .softmax: break
            case .relu: for j in 0..<n { h[j] = a[j] > 0 ? a[j] : 0 }
            case .sigmoid: for j in 0..<n { h[j] = 1 / (1 + Scalar.exponential(-a[j])) }
            case .tanh: for j in 0..<n { h[j] = Scalar.hyperbolicTangent(a[j]) }
            }
        case let .backward(i, multiplies):
            // ∇h_{i−1} = W_iᵀ ∇a_i, then ∇a_{i−1} = ∇h_{i−1} ⊙ g′(a_{i−1}) in place.
            if multiplies { multiplyBelow(i, rows: rows) }
            if activations[i - 1] != .softmax {
                multiplyBySlope(i - 1, gradientA[i - 1] + first * batch, count: count * batch, from: first * batch)
                if i == 1 { perform(.update(0), rows: rows) }
            }
        case let .update(i):
            let dA = gradientA[i], db = gradientB[i]
            for r in rows { db[r] = rowSum(dA + r * batch, count: batch) }
            update(i, rows: rows, previous: i == 0 ? x : UnsafePointer(outputs[i - 1]))
        }
    }

    /// Products with fewer multiply–adds than this run on one BLAS thread. OpenBLAS 0.3.21
    /// threads anything above 65,536, but for the 10-row products of a classifier's last
    /// layer (about 330,000 multiply–adds) waking the second thread costs more than it saves
    /// (Wᵀ∇a with k = 10: 30 µs on one thread, 70 µs on two), and its threaded driver
    /// mallocs a 512 KB job table on every call.
    static var singleThreadBelow: Int { 1 << 20 }

    /// The BLAS product, on one thread when it is small (see ``singleThreadBelow``); the
    /// thread count in force when the step began is restored at once.
    @inline(__always)
    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Scalar,
              a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
              beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int) {
        let small = threadedProducts && m * n * k < Self.singleThreadBelow
        if small { BLAS.setThreadCount(1) }
        Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                    a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        if small { BLAS.setThreadCount(blasThreads) }
    }

    /// Σ x[0..<count] with eight independent partial sums (the adds pipeline and vectorise).
    @inline(__always)
    func rowSum(_ x: UnsafePointer<Scalar>, count: Int) -> Scalar {
        var s0: Scalar = 0, s1: Scalar = 0, s2: Scalar = 0, s3: Scalar = 0
        var s4: Scalar = 0, s5: Scalar = 0, s6: Scalar = 0, s7: Scalar = 0
        var c = 0
        while c + 8 <= count {
            s0 += x[c]; s1 += x[c + 1]; s2 += x[c + 2]; s3 += x[c + 3]
            s4 += x[c + 4]; s5 += x[c + 5]; s6 += x[c + 6]; s7 += x[c + 7]
            c += 8
        }
        var total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        while c < count { total += x[c]; c += 1 }
        return total
    }

    func columnSoftmax(_ a: UnsafeMutablePointer<Scalar>, into h: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        for c in 0..<columns {
            var largest = -Scalar.infinity
            for r in 0..<rows { largest = Swift.max(largest, a[r * columns + c]) }
            var total: Scalar = 0
            for r in 0..<rows {
                let e = Scalar.exponential(a[r * columns + c] - largest)
                h[r * columns + c] = e
                total += e
            }
            for r in 0..<rows { h[r * columns + c] /= total }
        }
    }

    /// Writes ∇_{a_L} L into `gradientA[last]` and returns L (mean over the batch).
    func outputGradient(_ last: Int, target t: UnsafePointer<Scalar>) -> Scalar {
        let rows = sizes[last + 1], batch = batchSize, n = rows * batch
        let y = outputs[last], dA = gradientA[last], a = preactivations[last]
        let scale = 1 / Scalar(batch)
        var total: Scalar = 0
        switch loss {
        case .softmaxCrossEntropy:
            // softmax(a) − t per column from a stable log-sum-exp, one exp per element.
            // Rows are contiguous, so every pass runs along a row across all columns.
            let largest = columnLargest, sum = columnSum, mass = columnMass
            largest.update(repeating: -Scalar.infinity, count: batch)
            sum.update(repeating: 0, count: batch)
            mass.update(repeating: 0, count: batch)
            for r in 0..<rows {
                let yr = y + r * batch, tr = t + r * batch
                for c in 0..<batch {
                    largest[c] = Swift.max(largest[c], yr[c])
                    mass[c] += tr[c]
                }
            }
            for r in 0..<rows {
                let yr = y + r * batch, dr = dA + r * batch
                for c in 0..<batch {
                    let e = Scalar.exponential(yr[c] - largest[c])
                    dr[c] = e
                    sum[c] += e
                }
            }
            // −Σ t log p = Σ t (log Σe + max − y) per column; log once per column.
            for c in 0..<batch { largest[c] += Scalar.logarithm(sum[c]) }
            for r in 0..<rows {
                let yr = y + r * batch, tr = t + r * batch, dr = dA + r * batch
                for c in 0..<batch {
                    if tr[c] != 0 { total -= tr[c] * (yr[c] - largest[c]) }
                    dr[c] = (dr[c] / sum[c] * mass[c] - tr[c]) * scale
                }
            }
            total *= scale
            // The loss consumed h_L = g(a_L); for non-identity g chain through it.
            if activations[last] != .identity { multiplyBySlope(last, dA, count: n) }
            return total
        case .halfSquaredError:
            for k in 0..<n {
                let d = y[k] - t[k]
                total += d * d / 2
                dA[k] = d * scale
            }
            total *= scale
        case .meanSquaredError:
            let share = 1 / Scalar(n)
            for k in 0..<n {
                let d = y[k] - t[k]
                total += d * d
                dA[k] = 2 * d * share
            }
            total *= share
        case .crossEntropy:
            for k in 0..<n {
                if t[k] != 0 { total -= t[k] * Scalar.logarithm(y[k]) }
                dA[k] = t[k] == 0 ? 0 : -t[k] / y[k] * scale
            }
            total *= scale
        }
        if activations[last] == .softmax {
            for c in 0..<batch {
                var dot: Scalar = 0
                for r in 0..<rows { dot += dA[r * batch + c] * y[r * batch + c] }
                for r in 0..<rows { dA[r * batch + c] = y[r * batch + c] * (dA[r * batch + c] - dot) }
            }
        } else {
            multiplyBySlope(last, dA, count: n)
        }
        _ = a
        return total
    }

    /// gradient ⊙ g′(a) for layer i's activation; `gradient` starts at element `start` of
    /// the layer (only 0 for softmax, which mixes a column's rows).
    func multiplyBySlope(_ i: Int, _ gradient: UnsafeMutablePointer<Scalar>, count: Int, from start: Int = 0) {
        let a = preactivations[i] + start, h = outputs[i] + start
        switch activations[i] {
        case .identity: break
        case .relu:
            // g · ReLU′(a) as a product with a 0/1 slope (the tape's rule): it vectorises, where
            // a branch (or a conditional store) on the sign of a mispredicted on every other unit.
            for k in 0..<count { gradient[k] *= a[k] > 0 ? 1 : 0 }
        case .sigmoid: for k in 0..<count { gradient[k] *= h[k] * (1 - h[k]) }
        case .tanh: for k in 0..<count { gradient[k] *= 1 - h[k] * h[k] }
        case .softmax:
            let rows = sizes[i + 1], batch = batchSize
            for c in 0..<batch {
                var dot: Scalar = 0
                for r in 0..<rows { dot += gradient[r * batch + c] * h[r * batch + c] }
                for r in 0..<rows { gradient[r * batch + c] = h[r * batch + c] * (gradient[r * batch + c] - dot) }
            }
        }
    }

    /// Layer i's parameter update on rows `rows` of W_i and b_i, from ∇a_i and the bias
    /// gradient of those rows.
    func update(_ i: Int, rows: Range<Int>, previous: UnsafePointer<Scalar>) {
        let k = sizes[i], batch = batchSize, first = rows.lowerBound, count = rows.count, w = count * k
        let dA = gradientA[i] + first * batch
        let W = weights[i] + first * k, b = biases[i] + first, dW = gradientW[i] + first * k, db = gradientB[i] + first
        switch optimizer {
        case let .sgd(rate, momentum) where momentum == 0:
            // W ← W − η ∇a hᵀ folded into one GEMM.
            gemm(transposeA: false, transposeB: true, m: count, n: k, k: batch, alpha: -Scalar(rate), a: dA, lda: batch,
                 b: previous, ldb: batch, beta: 1, c: W, ldc: k)
            for r in 0..<count { b[r] -= Scalar(rate) * db[r] }
        case let .sgd(rate, momentum):
            gemm(transposeA: false, transposeB: true, m: count, n: k, k: batch, alpha: 1, a: dA, lda: batch,
                 b: previous, ldb: batch, beta: 0, c: dW, ldc: k)
            let vW = moments[2 * i] + first * k, vb = moments[2 * i + 1] + first
            let mu = Scalar(momentum), eta = Scalar(rate)
            for j in 0..<w {
                vW[j] = mu * vW[j] + dW[j]
                W[j] -= eta * vW[j]
            }
            for r in 0..<count {
                vb[r] = mu * vb[r] + db[r]
                b[r] -= eta * vb[r]
            }
        case let .adam(rate, beta1, beta2, epsilon):
            gemm(transposeA: false, transposeB: true, m: count, n: k, k: batch, alpha: 1, a: dA, lda: batch,
                 b: previous, ldb: batch, beta: 0, c: dW, ldc: k)
            // β^t was advanced once for this step before the updates (see specialisedStep).
            let correction = (1 - beta2Power).squareRoot()
            let step = Scalar(rate * correction / (1 - beta1Power))
            let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon * correction)
            func adam(_ p: UnsafeMutablePointer<Scalar>, _ g: UnsafeMutablePointer<Scalar>,
                      _ m: UnsafeMutablePointer<Scalar>, _ v: UnsafeMutablePointer<Scalar>, _ n: Int) {
                for j in 0..<n {
                    m[j] = b1 * m[j] + (1 - b1) * g[j]
                    v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                    p[j] -= step * m[j] / (Scalar.squareRoot(v[j]) + eps)
                }
            }
            adam(W, dW, moments[4 * i] + first * k, moments[4 * i + 2] + first * k, w)
            adam(b, db, moments[4 * i + 1] + first, moments[4 * i + 3] + first, count)
        }
    }
}
