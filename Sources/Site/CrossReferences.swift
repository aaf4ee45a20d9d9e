import Diagnostics
import Foundation
import Render

/// `\eqref{label}` and `\ref{label}` in prose that name an equation of
/// another note: the site finds the note that defines the label (the first
/// by path when several do) and links the reference to that equation.
/// (References inside math stay within their page: KaTeX typesets them.)
///
/// ```swift
/// let references = CrossReferences(summaries: summaries)
/// references.target(for: "delta", from: "output-layer.md")   // ("hidden-layers.md", "eq-delta", "3")
/// ```
public struct CrossReferences: Sendable {
    public struct Target: Sendable, Equatable {
        public var note: String
        public var anchor: String
        public var number: String
    }

    private let byLabel: [String: Target]

    public init(summaries: [String: NoteSummary]) {
        var byLabel: [String: Target] = [:]
        for path in summaries.keys.sorted() {
            guard let targets = summaries[path]?.equationTargets else { continue }
            for (label, target) in targets where byLabel[label] == nil {
                byLabel[label] = Target(note: path, anchor: target.anchor, number: target.number ?? "↑")
            }
        }
        self.byLabel = byLabel
    }

    public func target(for label: String, from note: String) -> Target? {
        guard let target = byLabel[label], target.note != note else { return nil }
        return target
    }

    /// The page's unresolved prose references (`<span class="broken-ref">(??)</span>`,
    /// written in document order) linked to the notes that define their labels.
    /// Returns the new HTML and the offsets of the references it resolved.
    public func link(html: String, summary: NoteSummary, page: String, layout: SiteLayout) -> (String, Set<Int>) {
        let marker = "<span class=\"broken-ref\">(??)</span>"
        let local = summary.equationTargets
        let unresolved = summary.equationReferences.filter { local[$0.label] == nil }
        guard !unresolved.isEmpty, html.containsBytes(marker) else { return (html, []) }
        var out = ""
        var rest = Substring(html)
        var resolved = Set<Int>()
        for reference in unresolved {
            guard let found = rest.range(of: marker) else { break }
            out += rest[..<found.lowerBound]
            if let target = target(for: reference.label, from: summary.path) {
                let url = layout.link(from: page, to: layout.page(for: target.note)) + "#" + target.anchor
                let text = reference.parenthesized ? "(\(target.number))" : target.number
                out += "<a class=\"eqref\" href=\"\(HTML.escape(url))\">\(HTML.escape(text))</a>"
                resolved.insert(reference.offset)
            } else {
                out += marker
            }
            rest = rest[found.upperBound...]
        }
        out += rest
        return (out, resolved)
    }

}
