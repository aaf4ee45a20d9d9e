import Diagnostics
import Foundation
@testable import Notebook

/// Parses `text` as the note `t.md`.
func parse(_ text: String) -> Notebook {
    Notebook(parsing: SourceFile(path: "t.md", text: text))
}

/// Every math cell, in document order.
func maths(_ notebook: Notebook) -> [MathCell] {
    notebook.cells.compactMap { if case .math(let cell) = $0 { cell } else { nil } }
}

func codeCells(_ notebook: Notebook) -> [CodeCell] {
    notebook.cells.compactMap { if case .code(let cell) = $0 { cell } else { nil } }
}

/// `line:column` of a location, for compact assertions.
func position(_ location: SourceLocation) -> String { "\(location.line):\(location.column)" }

/// `severity line:column message` for every diagnostic.
func described(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.severity.rawValue) \(position($0.location)) \($0.message)" }
}

func fixture(_ name: String) throws -> Notebook {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile)
    }
    return Notebook(contentsOfFile: url.path)
}

/// All inlines of all paragraphs, headings and list items, flattened.
func allInlines(_ notebook: Notebook) -> [Inline] {
    var result: [Inline] = []
    notebook.forEachInline { result.append($0) }
    return result
}
