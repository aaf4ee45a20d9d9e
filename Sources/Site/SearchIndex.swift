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
            // Tags are searched like words (`#calculus` finds the notes tagged so).
            for word in entry.summary.words + entry.summary.tags.flatMap(SearchIndex.words) where seen.insert(word).inserted {
                terms[word, default: []].append(number)
            }
        }
        self.docs = docs
        self.terms = terms
    }

    /// The index as the script `search.js` loads (`window.nbrunSearchIndex = {…};`): a page
    /// opened from `file://` may load a script, where fetching a JSON file is refused.
    public func script() -> Data {
        Data("window.nbrunSearchIndex = ".utf8) + json() + Data(";\n".utf8)
    }

    /// Written by hand, terms in sorted order: every change to a note rewrites
    /// the index, and `JSONEncoder` took most of that rebuild's time.
    public func json() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(docs.count * 96 + terms.count * 24)
        out += Array(#"{"docs":["#.utf8)
        for (number, doc) in docs.enumerated() {
            if number > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            for (position, field) in doc.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendString(field, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out += Array(#"],"terms":{"#.utf8)
        for (position, term) in terms.keys.sorted().enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendString(term, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: "["))
            for (index, doc) in (terms[term] ?? []).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += Array(String(doc).utf8)
            }
            out.append(UInt8(ascii: "]"))
        }
        out += Array("}}".utf8)
        return Data(out)
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`, the rest as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"):
                out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0..<0x20:
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Lowercased, without accents, split at anything but letters, digits and
    /// `_`; one-letter words and common English words left out (as `search.js` does).
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var isASCII = true
        func finish() {
            if current.count > 1 {
                var word = String(current)
                if !isASCII { word = word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased() }
                if !stopWords.contains(word) { words.append(word) }
            }
            current = String.UnicodeScalarView()
            isASCII = true
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let value = scalar.value
                if (value >= 97 && value <= 122) || (value >= 48 && value <= 57) || value == 95 {
                    current.append(scalar)
                } else if value >= 65 && value <= 90 {
                    current.append(Unicode.Scalar(value + 32) ?? scalar)
                } else if !current.isEmpty {
                    finish()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark {
                current.append(scalar)
                isASCII = false
            } else if !current.isEmpty {
                finish()
            }
        }
        finish()
        return words
    }

    static let stopWords: Set<String> = [
        "the", "and", "of", "to", "in", "is", "it", "that", "for", "on", "as", "with", "by", "be", "this",
        "are", "an", "or", "at", "from", "we", "its", "so", "if", "then", "than", "which", "was", "can",
    ]
}
