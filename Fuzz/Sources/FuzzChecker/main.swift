import Diagnostics
import Notebook
import Verify

/// The checker on small notes: any bytes, read as a note and checked with tight limits
/// (so a run explores many notes, and a slow one shows as a limit error, not a timeout).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count <= 4096 else { return 0 }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let notebook = Notebook(parsing: SourceFile(path: "fuzz.md", bytes: bytes))
    var verifier = Verifier(seed: 7)
    verifier.limits.timePerNote = .seconds(2)
    verifier.limits.maxSumTerms = 1_000
    verifier.limits.maxArrayElements = 100_000
    verifier.limits.maxParameters = 100_000
    verifier.limits.maxDefinitionDepth = 100
    let report = verifier.check(notebook)
    return report.steps.count == -1 ? 1 : 0
}
