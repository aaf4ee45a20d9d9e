import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The only file that calls OpenBLAS; everything else calls these wrappers.
// (PairWorker.swift imports the same module only for the handoff helpers in its shim.)

/// Floating-point types whose dense products go through CBLAS (`Float`, `Double`).
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// `C ← α·op(A)·op(B) + β·C`, row-major, with explicit leading dimensions.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `y ← α·x + y`.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func squareRoot(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func cosine(_ x: Self) -> Self
    /// Runs one training step specialised for this type (see ``NetworkTrainer``).
    static func performStep(_ trainer: NetworkTrainer<Self>) -> Self
    /// Runs half 0 or 1 of the trainer's current split task, specialised for this type
    /// (the worker thread reaches the trainer through a non-generic protocol).
    static func performHalf(_ trainer: NetworkTrainer<Self>, _ half: Int)
}

/// Thread control for the BLAS library.
public enum BLAS {
    /// Sets how many threads OpenBLAS uses: `BLAS.setThreadCount(1)` in tests.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Stops OpenBLAS's worker threads until a threaded product needs them again.
    /// OpenBLAS starts them when the library loads, and an idle one spins for about
    /// 0.1 s waiting for work: on a 2-core machine, half the CPU a short command has.
    ///
    /// ```swift
    /// BLAS.releaseIdleThreads()   // first thing in `nbrun build`
    /// ```
    public static func releaseIdleThreads() {
        _ = blas_thread_shutdown_()
    }
}

@inline(__always) private func order(_ transpose: Bool) -> CBLAS_TRANSPOSE {
    transpose ? CblasTrans : CblasNoTrans
}

extension Double: BLASScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, order(transposeA), order(transposeB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }
    public static func exponential(_ x: Double) -> Double { exp(x) }
    public static func logarithm(_ x: Double) -> Double { log(x) }
    public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
    public static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
    public static func cosine(_ x: Double) -> Double { cos(x) }
    public static func performStep(_ trainer: NetworkTrainer<Double>) -> Double { trainer.specialisedStep() }
    public static func performHalf(_ trainer: NetworkTrainer<Double>, _ half: Int) { trainer.specialisedHalf(half) }
}

extension Float: BLASScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, order(transposeA), order(transposeB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }
    public static func exponential(_ x: Float) -> Float { expf(x) }
    public static func logarithm(_ x: Float) -> Float { logf(x) }
    public static func squareRoot(_ x: Float) -> Float { x.squareRoot() }
    public static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }
    public static func cosine(_ x: Float) -> Float { cosf(x) }
    public static func performStep(_ trainer: NetworkTrainer<Float>) -> Float { trainer.specialisedStep() }
    public static func performHalf(_ trainer: NetworkTrainer<Float>, _ half: Int) { trainer.specialisedHalf(half) }
}
