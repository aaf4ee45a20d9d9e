import Foundation

/// The prebuilt index `search.js` loads: one entry per note (title, URL from
/// the site's top, headings) and, for every word of titles, headings and
/// prose, the notes it occurs in. Written with sorted keys, so the same notes
/// give the same bytes.
///
/// ```swift
/// let json = SearchIndex(entries: [(summary, "a.html")]).json()
/// // {"docs":[["A","a.html","Intro"]],"terms":{"intro":[0]}}
/// ```
public struct SearchIndex: Sendable, Equatable, Encodable {
    /// `[title, url, headings joined by newlines]`
    public var docs: [[String]]
    public var terms: [String: [Int]]

    public init(entries: [(summary: NoteSummary, url: String)]) {
        var docs: [[String]] = []
        var terms: [String: [Int]] = [:]
        for (number, entry) in entries.enumerated() {
            let headings = entry.summary.headings.filter { $0.level > 1 }.map(\.text)
            docs.append([entry.summary.title, entry.url, headings.joined(separator: "\n")])
            var seen = Set<String>()
            for text in [entry.summary.title] + entry.summary.headings.map(\.text) + [entry.summary.text] {
                for word in Self.words(text) where seen.insert(word).inserted {
                    terms[word, default: []].append(number)
                }
            }
        }
        self.docs = docs
        self.terms = terms
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{\"docs\":[],\"terms\":{}}".utf8)
    }

    /// Lowercased, without accents, split at anything but letters, digits and
    /// `_`; one-letter words and common English words left out (as `search.js` does).
    public static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var current = ""
        for character in folded {
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
            } else if !current.isEmpty {
                if current.count > 1, !stopWords.contains(current) { words.append(current) }
                current = ""
            }
        }
        if current.count > 1, !stopWords.contains(current) { words.append(current) }
        return words
    }

    static let stopWords: Set<String> = [
        "the", "and", "of", "to", "in", "is", "it", "that", "for", "on", "as", "with", "by", "be", "this",
        "are", "an", "or", "at", "from", "we", "its", "so", "if", "then", "than", "which", "was", "can",
    ]
}
