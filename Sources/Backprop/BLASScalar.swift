/// The scalar of matrices, networks and trainers (`Float`, `Double`): dense products
/// through CBLAS (``BLASProducts``, BLAS.swift), the C math library's functions
/// (``ElementaryFunctions``), and, its own requirements, the trainer's dispatch.
///
/// ```swift
/// let trainer = try NetworkTrainer<Float>(network: net, batchSize: 128,
///                                         loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0.01))
/// ```
public protocol BLASScalar: BLASProducts, ElementaryFunctions where Self.RawSignificand: FixedWidthInteger {
    /// Runs one training step specialised for this type (see ``NetworkTrainer``).
    ///
    /// A requirement because it is called on the concrete type, so the compiler
    /// specialises the step's loops for `Float` and `Double`.
    static func performStep(_ trainer: NetworkTrainer<Self>) -> Self
    /// Runs half 0 or 1 of the trainer's current split task, specialised for this type
    /// (the worker thread reaches the trainer through a non-generic protocol).
    static func performHalf(_ trainer: NetworkTrainer<Self>, _ half: Int)
}

extension Double: BLASScalar {
    public static func performStep(_ trainer: NetworkTrainer<Double>) -> Double { trainer.specialisedStep() }
    public static func performHalf(_ trainer: NetworkTrainer<Double>, _ half: Int) { trainer.specialisedHalf(half) }
}

extension Float: BLASScalar {
    public static func performStep(_ trainer: NetworkTrainer<Float>) -> Float { trainer.specialisedStep() }
    public static func performHalf(_ trainer: NetworkTrainer<Float>, _ half: Int) { trainer.specialisedHalf(half) }
}
