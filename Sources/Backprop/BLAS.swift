import COpenBLAS

// The only file that imports OpenBLAS; everything else calls these wrappers.

/// Floating-point types whose dense products go through CBLAS (`Float`, `Double`).
///
/// ```swift
/// Double.gemm(transposeA: false, transposeB: true, m: 2, n: 2, k: 3,
///             alpha: 1, a: a, lda: 3, b: b, ldb: 3, beta: 0, c: c, ldc: 2)
/// ```
public protocol BLASProducts: BinaryFloatingPoint, Sendable {
    /// `C ← α·op(A)·op(B) + β·C`, row-major, with explicit leading dimensions.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `y ← α·x + y`.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
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

extension Double: BLASProducts {
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
}

extension Float: BLASProducts {
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
}
