import Testing
@testable import Backprop

@Test("after its idle threads are released, OpenBLAS starts them again for a threaded product, with the right result")
func releasedThreadsComeBack() {
    BLAS.releaseIdleThreads()
    BLAS.setThreadCount(2)
    defer { BLAS.setThreadCount(1) }
    let n = 300
    let a = [Double](repeating: 1, count: n * n), b = [Double](repeating: 2, count: n * n)
    var c = [Double](repeating: 0, count: n * n)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                Double.gemm(transposeA: false, transposeB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n,
                            beta: 0, c: c, ldc: n)
            }
        }
    }
    #expect(c.allSatisfy { $0 == Double(2 * n) })
    BLAS.releaseIdleThreads()
    BLAS.releaseIdleThreads()
}
