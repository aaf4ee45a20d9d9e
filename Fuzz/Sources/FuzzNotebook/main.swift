import Diagnostics
import Notebook

/// Markdown and math extraction: any bytes, read as a note.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let notebook = Notebook(parsing: SourceFile(path: "fuzz.md", bytes: bytes))
    var total = 0
    for cell in notebook.cells {
        switch cell {
        case .math(let math): total &+= math.tex.utf8.count
        case .code(let code): total &+= code.source.utf8.count
        }
    }
    for diagnostic in notebook.diagnostics { total &+= diagnostic.description.utf8.count }
    return total == -1 ? 1 : 0
}
