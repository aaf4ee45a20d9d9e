import Backprop

/// Tests use one BLAS thread so results and timings do not depend on the machine's load.
let singleThreadedBLAS: Void = BLAS.setThreadCount(1)

func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
}

func scalarGradients(_ tape: Tape, _ output: Node, _ inputs: [Node]) throws -> [Double] {
    try tape.gradient(of: output, withRespectTo: inputs).map { $0.scalar ?? .nan }
}
