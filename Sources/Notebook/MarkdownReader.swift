import CCmarkGFM
import Diagnostics

extension Notebook {
    /// Reads a note. Never throws: problems become diagnostics.
    public init(parsing source: SourceFile) {
        self.init(source: source, frontMatter: .empty, blocks: [], diagnostics: [])
    }
}
