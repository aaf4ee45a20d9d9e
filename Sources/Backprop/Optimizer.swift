/// How parameters move against their gradients.
///
/// ```swift
/// let trainer = try NetworkTrainer(network: net, batchSize: 128, loss: .softmaxCrossEntropy,
///                                  optimizer: .sgd(learningRate: 0.1, momentum: 0.9))
/// ```
public enum Optimizer: Sendable, Equatable {
    /// v ← μv + ∇, θ ← θ − ηv (PyTorch's convention); μ = 0 is plain SGD.
    case sgd(learningRate: Double, momentum: Double = 0)
    /// Adam with bias correction.
    case adam(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
}
