import Diagnostics
import Foundation
import Notebook
import Site

/// YAML through nbrun's two readers: any bytes as a note's front matter and as `site.yml`.
/// Each must end quickly (bounded depth and alias expansion), never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let note = Notebook(parsing: SourceFile(path: "fuzz.md", bytes: Array("---\n".utf8) + bytes + Array("\n---\nText\n".utf8)))
    var total = note.diagnostics.count + note.frontMatter.values.count + note.frontMatter.tags.count
    let (configuration, problems) = SiteConfiguration.parse(String(decoding: bytes, as: UTF8.self), path: "site.yml")
    total &+= problems.count + configuration.navigation.count + configuration.macros.count
    return total == -1 ? 1 : 0
}
