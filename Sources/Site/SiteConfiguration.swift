import Diagnostics
import Foundation
import Notebook
import Yams

/// What `site.yml` at the top of a notes folder says: the site's title, its
/// base URL, the order of navigation, math macros (given to KaTeX and to the
/// checker alike), trust settings and limits. Every key is optional.
///
/// ```swift
/// let (configuration, problems) = try SiteConfiguration.load(from: "notebooks")
/// configuration.macros["\\R"]   // "\\mathbb{R}"
/// ```
///
/// ```yaml
/// title: Backpropagation, step by step
/// baseURL: https://example.org/notes/
/// navigation:
///   - introduction.md
///   - title: Derivation
///     notes: [hidden-layers.md, output-layer.md]
/// macros:
///   \R: \mathbb{R}
/// trust:
///   runCells: false
/// limits:
///   maxNotes: 20000
///   maxNoteBytes: 2000000
/// ```
public struct SiteConfiguration: Sendable, Equatable {
    /// One entry of `navigation`: a note, or a titled group of entries.
    public enum NavigationEntry: Sendable, Equatable {
        case note(String)
        case group(title: String, entries: [NavigationEntry])
    }

    /// Whether content from this folder may do more than be shown.
    public struct Trust: Sendable, Equatable {
        /// May the checker run the `nb` cells of these notes (Verify stage)?
        public var runCells: Bool = false
        /// KaTeX's `trust` option (`\href`, `\includegraphics` in math).
        public var katex: Bool = false
        /// Raw HTML in notes as written, not sanitized to the safe allowlist.
        public var html: Bool = false
        public init() {}
    }

    public var title: String = "Notes"
    /// Where the site is published, ending in `/` (`https://example.org/notes/`); `/` when not set.
    public var baseURL: String = "/"
    public var navigation: [NavigationEntry] = []
    /// Where in `site.yml` each note of `navigation` is named (a byte offset), for diagnostics.
    public var navigationOffsets: [String: Int] = [:]
    public var macros: [String: String] = [:]
    public var trust = Trust()
    /// Resource bounds (`limits:`); `--limit` on the command line overrides them.
    public var limits = Limits()
    /// Folder-relative paths (or folder names) never read as notes or assets.
    public var exclude: [String] = []
    /// Codes of warnings not to report for any note (`allow: [notebook.missing-heading]`).
    public var allow: [String] = []
    /// The text of `site.yml`, empty when there is none: part of every cache key.
    public var fingerprint: String = ""

    public init() {}

    public static let fileName = "site.yml"

    /// The path part of `baseURL` (`https://example.org/notes/` → `/notes/`).
    public var basePath: String {
        var path = baseURL
        if let scheme = path.range(of: "://") {
            let afterHost = path[scheme.upperBound...].firstIndex(of: "/")
            path = afterHost.map { String(path[$0...]) } ?? "/"
        }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// `https://host/path` or `/path`: what a page may load its script and stylesheet from
    /// (the 404 page does). `//host/`, `/\\host/` and `///host/` would be another host.
    static func isBaseURL(_ url: String) -> Bool {
        let allowed = url.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && !"\"'<>\\`{}|^".unicodeScalars.contains($0) }
        guard allowed else { return false }
        let lowered = url.lowercased()
        for scheme in ["https://", "http://"] where lowered.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" }
            return !host.isEmpty && host.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]".contains($0) }
        }
        return url.hasPrefix("/") && !url.hasPrefix("//")
    }

    /// Reads `DIR/site.yml` when there is one. Unknown keys and values of the
    /// wrong kind are warnings at `site.yml:line:col`; YAML that does not parse
    /// is an error.
    public static func load(from directory: String) throws(SiteError) -> (SiteConfiguration, [Diagnostic]) {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return (SiteConfiguration(), []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidConfiguration("\(path): cannot read")
        }
        return parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the text of a `site.yml`; `path` names it in diagnostics.
    public static func parse(_ text: String, path: String) -> (SiteConfiguration, [Diagnostic]) {
        var reader = ConfigurationReader(source: SourceFile(path: path, text: text))
        var configuration = SiteConfiguration()
        configuration.fingerprint = text
        let node: Node?
        do {
            node = try BoundedYAML.compose(text)
        } catch let excess as BoundedYAML.Excess {
            reader.problem(.error, SiteMessages.configurationTooLarge(excess.message), line: excess.line, column: excess.column)
            return (configuration, reader.diagnostics)
        } catch {
            // At the line and column of the problem (an unclosed quote: where it opens), not at 1:1.
            let problem = YAMLSyntaxProblem(error)
            reader.problem(.error, SiteMessages.invalidYAML(problem.message), line: problem.line ?? 1, column: problem.column ?? 1,
                           notes: problem.noticed.map { [YAMLSyntaxProblem.noticedNote(line: $0.line, column: $0.column)] } ?? [])
            return (configuration, reader.diagnostics)
        }
        guard let node else { return (configuration, []) }
        guard case .mapping(let mapping) = node else {
            reader.problem(.error, SiteMessages.configurationNotMapping, at: node.mark)
            return (configuration, reader.diagnostics)
        }
        for (key, value) in mapping {
            let name = key.string ?? ""
            switch name {
            case "title":
                if let title = reader.string(value, key: name) { configuration.title = title }
            case "baseURL", "baseurl", "base_url":
                if let url = reader.string(value, key: name) {
                    if Self.isBaseURL(url) {
                        configuration.baseURL = url.hasSuffix("/") ? url : url + "/"
                    } else {
                        reader.problem(.error, SiteMessages.badBaseURL(name), at: value.mark)
                    }
                }
            case "navigation", "nav":
                configuration.navigation = reader.navigation(value)
                configuration.navigationOffsets = reader.navigationOffsets
            case "macros":
                configuration.macros = reader.stringMap(value, key: name)
            case "exclude":
                configuration.exclude = reader.stringList(value, key: name)
            case "allow":
                configuration.allow = reader.stringList(value, key: name)
            case "trust":
                for (subkey, subvalue) in reader.mapping(value, key: name) {
                    switch subkey.string ?? "" {
                    case "runCells": configuration.trust.runCells = reader.bool(subvalue, key: "trust.runCells") ?? false
                    case "katex": configuration.trust.katex = reader.bool(subvalue, key: "trust.katex") ?? false
                    case "html": configuration.trust.html = reader.bool(subvalue, key: "trust.html") ?? false
                    default: reader.problem(.warning, SiteMessages.unknownKey("trust.\(subkey.string ?? "")", known: ["runCells", "katex", "html"]), at: subkey.mark)
                    }
                }
            case "limits":
                for (subkey, subvalue) in reader.mapping(value, key: name) {
                    let limitName = subkey.string ?? ""
                    guard Limits.Key(rawValue: limitName) != nil else {
                        reader.problem(.warning, SiteMessages.unknownKey("limits.\(limitName)", known: Limits.Key.allCases.map(\.rawValue)), at: subkey.mark)
                        continue
                    }
                    guard let text = subvalue.string, let setting = try? Limits.Setting(name: limitName, value: text) else {
                        reader.problem(.warning, SiteMessages.wrongKind("limits.\(limitName)", "a positive whole number"), at: subvalue.mark)
                        continue
                    }
                    configuration.limits.apply(setting)
                }
            default:
                reader.problem(.warning, SiteMessages.unknownKey(name, known: ["title", "baseURL", "navigation", "macros", "exclude", "allow", "trust", "limits"]), at: key.mark)
            }
        }
        return (configuration, reader.diagnostics)
    }
}

/// Reads typed values out of YAML nodes, noting each misfit at its line and column.
private struct ConfigurationReader {
    let source: SourceFile
    var diagnostics: [Diagnostic] = []
    var navigationOffsets: [String: Int] = [:]

    mutating func problem(_ severity: Diagnostic.Severity, _ message: Message, at mark: Mark?) {
        problem(severity, message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func problem(_ severity: Diagnostic.Severity, _ message: Message, line: Int, column: Int, notes: [String] = []) {
        let start = offset(line: line, column: column)
        diagnostics.append(Diagnostic(severity, message, at: source.range(from: start, to: start + 1), notes: notes))
    }

    /// The byte offset of a Yams line and column.
    func offset(line: Int, column: Int) -> Int {
        // Yams counts columns in Unicode scalars; diagnostics count UTF-8 bytes.
        let prefix = source.lineText(line).unicodeScalars.prefix(max(0, column - 1))
        return source.offset(line: line, column: 1) + String(String.UnicodeScalarView(prefix)).utf8.count
    }

    mutating func string(_ node: Node, key: String) -> String? {
        if case .scalar(let scalar) = node {
            // A YAML escape (`"\u0000"`) can put a NUL in a value; it never reaches a page.
            guard scalar.string.contains("\u{0}") else { return scalar.string }
            problem(.warning, SiteMessages.nulInValue(key), at: node.mark)
            return scalar.string.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
        }
        problem(.warning, SiteMessages.wrongKind(key, "text"), at: node.mark)
        return nil
    }

    mutating func bool(_ node: Node, key: String) -> Bool? {
        if let value = node.bool { return value }
        problem(.warning, SiteMessages.wrongKind(key, "true or false"), at: node.mark)
        return nil
    }

    mutating func positiveInt(_ node: Node, key: String) -> Int? {
        if let value = node.int, value > 0 { return value }
        problem(.warning, SiteMessages.wrongKind(key, "a positive whole number"), at: node.mark)
        return nil
    }

    mutating func mapping(_ node: Node, key: String) -> [(Node, Node)] {
        if case .mapping(let mapping) = node { return mapping.map { ($0.key, $0.value) } }
        problem(.warning, SiteMessages.wrongKind(key, "a mapping"), at: node.mark)
        return []
    }

    mutating func stringMap(_ node: Node, key: String) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in mapping(node, key: key) {
            guard let name = name.string, let text = string(value, key: "\(key).\(name.description)") else { continue }
            out[name] = text
        }
        return out
    }

    mutating func stringList(_ node: Node, key: String) -> [String] {
        guard case .sequence(let sequence) = node else {
            return string(node, key: key).map { [$0] } ?? []
        }
        return sequence.compactMap { string($0, key: key) }
    }

    mutating func navigation(_ node: Node) -> [SiteConfiguration.NavigationEntry] {
        guard case .sequence(let sequence) = node else {
            problem(.warning, SiteMessages.wrongKind("navigation", "a list of notes and groups"), at: node.mark)
            return []
        }
        var entries: [SiteConfiguration.NavigationEntry] = []
        for item in sequence {
            switch item {
            case .scalar(let scalar):
                entries.append(.note(scalar.string))
                if let mark = scalar.mark, navigationOffsets[scalar.string] == nil {
                    navigationOffsets[scalar.string] = offset(line: mark.line, column: mark.column)
                }
            case .mapping(let mapping):
                let title = mapping["title"].flatMap { string($0, key: "navigation.title") } ?? ""
                let children = (mapping["notes"] ?? mapping["pages"]).map { navigation($0) } ?? []
                entries.append(.group(title: title, entries: children))
            default:
                problem(.warning, SiteMessages.badNavigationEntry, at: item.mark)
            }
        }
        return entries
    }
}
