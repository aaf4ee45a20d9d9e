import Diagnostics
import Foundation

extension Notebook {
    /// Reads the note at `path`. Never throws: a missing file, a directory or an
    /// unreadable file gives an empty notebook with one error diagnostic at `path:1:1`.
    /// The file is only read, never written.
    ///
    /// ```swift
    /// let notebook = Notebook(contentsOfFile: "notebooks/hidden-layers.md")
    /// if notebook.hasErrors { … }
    /// ```
    public init(contentsOfFile path: String) {
        let empty = SourceFile(path: path, bytes: [])
        let here = SourceRange(at: SourceLocation(file: path, line: 1, column: 1, offset: 0))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            self.init(source: empty, frontMatter: .empty, blocks: [],
                      diagnostics: [.error(NotebookMessages.missingFile(path), at: here)])
            return
        }
        guard !isDirectory.boolValue else {
            self.init(source: empty, frontMatter: .empty, blocks: [],
                      diagnostics: [.error(NotebookMessages.isDirectory(path), at: here)])
            return
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            self.init(parsing: SourceFile(path: path, bytes: [UInt8](data)))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            self.init(source: empty, frontMatter: .empty, blocks: [],
                      diagnostics: [.error(NotebookMessages.unreadableFile(path, reason), at: here)])
        }
    }
}
