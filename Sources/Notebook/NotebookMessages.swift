// Every diagnostic message the Notebook module emits, in one place.
import Diagnostics


enum NotebookMessages {
    // Files
    static func missingFile(_ path: String) -> Message { Message("notebook.missing-file", "no such file: '\(path)'") }
    static func isDirectory(_ path: String) -> Message { Message("notebook.is-directory", "'\(path)' is a directory, not a note") }
    static func unreadableFile(_ path: String, _ reason: String) -> Message { Message("notebook.unreadable-file", "cannot read '\(path)': \(reason)") }

    // Bytes
    static let invalidUTF8 = Message("notebook.invalid-utf8", "invalid UTF-8 byte sequence; the rest of the note is read with replacement characters")
    static func nulBytes(_ count: Int) -> Message {
        Message("notebook.nul-bytes",
            count == 1 ? "NUL byte in note" : "NUL byte in note (\(count) in all)"
        )
    }

    // Front matter
    static let unterminatedFrontMatter = Message("notebook.unterminated-front-matter", "front matter opened by '---' is never closed by a '---' line")
    static func invalidFrontMatter(_ problem: String) -> Message { Message("notebook.invalid-front-matter", "front matter is not valid YAML: \(problem)") }
    static let frontMatterNotMapping = Message("notebook.front-matter-not-mapping", "front matter must be a YAML mapping of keys to values")
    static let frontMatterTitleNotText = Message("notebook.front-matter-title-not-text", "front matter 'title' must be text")
    static let frontMatterTagsNotList = Message("notebook.front-matter-tags-not-list", "front matter 'tags' must be a list or a comma-separated string")
    static func frontMatterTooLarge(_ problem: String) -> Message { Message("notebook.front-matter-too-large", "front matter is refused: \(problem)") }
    static let frontMatterNUL = Message("notebook.front-matter-nul", "front matter text holds a NUL character (a \\u0000 escape); it is shown as \u{FFFD}")

    // Math
    static func unterminatedMath(_ opener: String) -> Message { Message("notebook.unterminated-math", "unterminated math: '\(opener)' is never closed in this paragraph") }
    static func unterminatedEnvironment(_ name: String) -> Message { Message("notebook.unterminated-environment", "unterminated '\\begin{\(name)}': no matching '\\end{\(name)}'") }
    static func unmatchedEnd(_ name: String) -> Message { Message("notebook.unmatched-end", "'\\end{\(name)}' without a matching '\\begin{\(name)}'") }
    static func mismatchedEnvironment(_ opened: String, _ closed: String) -> Message {
        Message("notebook.mismatched-environment",
            "'\\begin{\(opened)}' is closed by '\\end{\(closed)}'"
        )
    }
    static func duplicateLabel(_ label: String) -> Message { Message("notebook.duplicate-label", "equation label '\(label)' is defined more than once") }
    static func unknownLabel(_ label: String) -> Message { Message("notebook.unknown-label", "reference to unknown equation label '\(label)'") }

    // Cells
    static let unterminatedAttributes = Message("notebook.unterminated-attributes", "cell attributes: '{' is never closed")
    static func malformedAttribute(_ detail: String) -> Message { Message("notebook.malformed-attribute", "cell attributes: \(detail)") }
    static let attributesOutsideBraces = Message("notebook.attributes-outside-braces", "cell attributes must be written in braces, e.g. ```nb {#setup hide}")
    static let duplicateCellID = Message("notebook.duplicate-cell-id", "cell attributes: more than one '#id'")
    static func duplicateCell(_ id: String) -> Message { Message("notebook.duplicate-cell", "cell id '#\(id)' is used more than once") }
    static let unclosedCell = Message("notebook.unclosed-cell", "code cell fence is never closed")

    // Annotations
    static let danglingAnnotation = Message("notebook.dangling-annotation", "'nb:' annotation is not followed by math")
    static let emptyAnnotation = Message("notebook.empty-annotation", "'nb:' annotation has no directive")

    // Links
    static func missingHeading(_ anchor: String) -> Message { Message("notebook.missing-heading", "no heading with id '\(anchor)' in this note") }

    // Obsidian and Jekyll
    static let unclosedComment = Message("notebook.unclosed-comment", "'%%' comment is never closed; the rest of the note is hidden, as Obsidian hides it")
    static func unsupportedLiquid(_ tag: String) -> Message {
        Message("notebook.unsupported-liquid", "Liquid '\(tag)' is not supported by nbrun; it is left out of the page")
    }
    static func unclosedLiquid(_ name: String) -> Message { Message("notebook.unclosed-liquid", "Liquid '{% \(name) %}' has no '{% end\(name) %}'") }

    // Structure
    static func nestingTooDeep(_ limit: Int) -> Message {
        Message("notebook.nesting-too-deep",
            "nesting deeper than \(limit) levels; the deeper content is kept as plain text"
        )
    }
}
