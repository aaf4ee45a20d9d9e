import Diagnostics
import Foundation

/// The notes named on the command line: files as given, folders searched for
/// `*.md` (hidden folders skipped), in a stable order.
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
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            var inFolder: [String] = []
            if let walker = FileManager.default.enumerator(atPath: base) {
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") || name == "node_modules" {
                        walker.skipDescendants()
                        continue
                    }
                    if name.hasSuffix(".md") { inFolder.append(base + "/" + relative) }
                }
            }
            found += inFolder.sorted()
        }
        return found
    }
}
