import Diagnostics
import Foundation
import Render
import Site

/// The notes named on the command line: files as given, folders listed the way
/// `nbrun build` lists them (`*.md` and `*.markdown`; hidden files, `node_modules`,
/// `_site`, the theme folder and `site.yml`'s `exclude` left out), in a stable order.
enum NoteFinder {
    static func notes(in paths: [String]) throws(SourceFileError) -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .notFound(path)
            }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            var base = path
            while base.count > 1, base.hasSuffix("/") { base.removeLast() }
            // A site.yml that does not read excludes nothing here; `nbrun build` reports it.
            let exclude = (try? SiteConfiguration.load(from: base))?.0.exclude ?? []
            let inventory = SiteInventory.scan(root: LinkResolver.canonical(base), excluding: [], exclude: exclude)
            found += inventory.notes.map { base + "/" + $0 }
        }
        return found
    }
}
