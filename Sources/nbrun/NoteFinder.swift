import Diagnostics
import Foundation

/// The notes named on the command line: files as given, folders searched for
/// `*.md` and `*.markdown` (hidden folders skipped), in a stable order.
enum NoteFinder {
    /// The extensions a note found in a folder has (Jekyll also writes `.markdown`).
    static let extensions = [".md", ".markdown"]

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
            FolderWalk.walk(base) { entry in
                if entry.name.hasPrefix(".") || entry.name == "node_modules" { return false }
                // Only regular files (or links to them) are notes: a pipe named `x.md` would never end.
                if extensions.contains(where: entry.name.hasSuffix),
                   entry.kind == .file || (entry.kind == .symbolicLink && isRegularFile(base + "/" + entry.path)) {
                    inFolder.append(base + "/" + entry.path)
                }
                return true
            }
            found += inFolder.sorted()
        }
        return found
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}
