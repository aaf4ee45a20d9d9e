import Diagnostics
@testable import Notebook
@testable import Verify

/// The cell language: any bytes, as the body of an `nb` cell.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = [UInt8](UnsafeRawBufferPointer(start: start, count: count)).filter { $0 != UInt8(ascii: "`") }
    let source = SourceFile(path: "fuzz.md", bytes: Array("```nb\n".utf8) + body + Array("\n```\n".utf8))
    let notebook = Notebook(parsing: source)
    var total = 0
    for case .code(let cell) in notebook.cells {
        let program = CellProgram(cell: cell, source: source)
        total &+= program.statements.count &+ program.diagnostics.count
        if let network = VerifierRun.network(from: program) { total &+= network.parameterCount }
    }
    return total == -1 ? 1 : 0
}
