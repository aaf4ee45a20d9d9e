import Diagnostics
import Foundation
import Notebook
import Render

/// Any bytes as one display of TeX, typeset by the KaTeX worker with the page's deadline
/// (`timePerNote` of 2 s here): a render that outlasts it by more than a second is a failure.
let limits: Limits = {
    var limits = Limits()
    limits.timePerNote = .seconds(2)
    return limits
}()
/// An empty folder as the notes' root: links are resolved against it, and /tmp would be walked each time.
let root: String = {
    let folder = NSTemporaryDirectory() + "nbrun-fuzz-katex-root"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}()
let renderer: PageRenderer = {
    do {
        let katex = try KaTeXInstallation.locate()
        let renderer = PageRenderer(theme: try Theme.locate(explicit: nil), typesetter: MathTypesetter(katex: katex, cacheDirectory: nil),
                                    limits: limits)
        // Node's start and KaTeX's loading happen here, not in the first timed input.
        _ = try renderer.render(Notebook(parsing: SourceFile(path: "warm.md", text: "$$ x $$\n")), root: root,
                                outputPath: root + "/fuzz-katex.html")
        return renderer
    } catch {
        fatalError("KaTeX or the theme is missing: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let tex = [UInt8](UnsafeRawBufferPointer(start: start, count: count)).filter { $0 != UInt8(ascii: "$") }
    let notebook = Notebook(parsing: SourceFile(path: "fuzz.md", bytes: Array("$$\n".utf8) + tex + Array("\n$$\n".utf8)))
    let began = ContinuousClock.now
    let page = try? renderer.render(notebook, root: root, outputPath: root + "/fuzz-katex.html")
    let took = ContinuousClock.now - began
    if took > limits.timePerNote + .seconds(1) { fatalError("typesetting took \(took), past timePerNote + 1 s") }
    return (page?.html.utf8.count ?? 0) == -1 ? 1 : 0
}
