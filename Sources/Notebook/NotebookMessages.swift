// Every diagnostic message the Notebook module emits, in one place.

enum NotebookMessage {
    // Files
    static func missingFile(_ path: String) -> String { "no such file: '\(path)'" }
    static func isDirectory(_ path: String) -> String { "'\(path)' is a directory, not a note" }
    static func unreadableFile(_ path: String, _ reason: String) -> String { "cannot read '\(path)': \(reason)" }

    // Bytes
    static let invalidUTF8 = "invalid UTF-8 byte sequence; the rest of the note is read with replacement characters"
    static func nulBytes(_ count: Int) -> String {
        count == 1 ? "NUL byte in note" : "NUL byte in note (\(count) in all)"
    }

    // Front matter
    static let unterminatedFrontMatter = "front matter opened by '---' is never closed by a '---' line"
    static func invalidFrontMatter(_ problem: String) -> String { "front matter is not valid YAML: \(problem)" }
    static func frontMatterTooLarge(_ problem: String) -> String { "front matter is refused: \(problem)" }
    static let frontMatterNUL = "front matter text holds a NUL character (a \\u0000 escape); it is shown as \u{FFFD}"
    static let frontMatterNotMapping = "front matter must be a YAML mapping of keys to values"
    static let frontMatterTitleNotText = "front matter 'title' must be text"
    static let frontMatterTagsNotList = "front matter 'tags' must be a list or a comma-separated string"

    // Math
    static func unterminatedMath(_ opener: String) -> String { "unterminated math: '\(opener)' is never closed in this paragraph" }
    static func unterminatedEnvironment(_ name: String) -> String { "unterminated '\\begin{\(name)}': no matching '\\end{\(name)}'" }
    static func unmatchedEnd(_ name: String) -> String { "'\\end{\(name)}' without a matching '\\begin{\(name)}'" }
    static func mismatchedEnvironment(_ opened: String, _ closed: String) -> String {
        "'\\begin{\(opened)}' is closed by '\\end{\(closed)}'"
    }
    static func duplicateLabel(_ label: String) -> String { "equation label '\(label)' is defined more than once" }
    static func unknownLabel(_ label: String) -> String { "reference to unknown equation label '\(label)'" }

    // Cells
    static let unterminatedAttributes = "cell attributes: '{' is never closed"
    static func malformedAttribute(_ detail: String) -> String { "cell attributes: \(detail)" }
    static let attributesOutsideBraces = "cell attributes must be written in braces, e.g. ```nb {#setup hide}"
    static let duplicateCellID = "cell attributes: more than one '#id'"
    static func duplicateCell(_ id: String) -> String { "cell id '#\(id)' is used more than once" }
    static let unclosedCell = "code cell fence is never closed"

    // Annotations
    static let danglingAnnotation = "'nb:' annotation is not followed by math"
    static let emptyAnnotation = "'nb:' annotation has no directive"

    // Links
    static func missingHeading(_ anchor: String) -> String { "no heading with id '\(anchor)' in this note" }

    // Obsidian and Jekyll
    static let unclosedComment = "'%%' comment is never closed; the rest of the note is hidden, as Obsidian hides it"
    static func unsupportedLiquid(_ tag: String) -> String { "Liquid '\(tag)' is not supported by nbrun; it is left out of the page" }
    static func unclosedLiquid(_ name: String) -> String { "Liquid '{% \(name) %}' has no '{% end\(name) %}'" }

    // Structure
    static func nestingTooDeep(_ limit: Int) -> String {
        "nesting deeper than \(limit) levels; the deeper content is kept as plain text"
    }
}
