import Diagnostics

/// Every message the Render stage reports, in one place, each with its code (docs/diagnostics.md).
package enum RenderMessages {
    static func unknownLabel(_ label: String) -> Message {
        Message("render.unknown-label", "no equation has the label '\(label)'")
    }

    static func katexError(_ message: String) -> Message {
        Message("render.katex-error", "math does not typeset: \(message)")
    }

    static func missingNote(_ target: String) -> Message {
        Message("render.missing-note", "link target '\(target)' is not a note or file in this notebook folder")
    }

    static func missingEmbed(_ target: String) -> Message {
        Message("render.missing-embed", "embedded file '\(target)' is not in this notebook folder")
    }

    static func outsideRoot(_ target: String) -> Message {
        Message("render.outside-root", "link target '\(target)' is outside the notebook folder and is not followed")
    }

    static func missingHeading(_ heading: String, in target: String) -> Message {
        Message("render.missing-heading", "note '\(target)' has no heading '\(heading)'")
    }

    static func mathTooLong(_ bytes: Int, limit: Int) -> Message {
        Message("render.math-too-long",
                Limits.exceeded("this math is \(bytes) bytes, over the limit of \(limit) for typesetting", .maxMathBytes))
    }

    static func unboundedDefinition(_ name: String) -> String {
        "\(name) is refused: KaTeX 0.16.4 lets what it expands run past maxExpand; use \\def"
    }

    static func unboundedDefinitionInMacro(_ name: String, macro: String) -> String {
        "the macro \(macro) uses \(name), which is refused: KaTeX 0.16.4 lets what it expands run past maxExpand; use \\def"
    }

    static func equationOutOfTime(_ deadline: Duration) -> String {
        "typesetting this equation took longer than \(shown(deadline)) and was stopped"
    }

    static func noteOutOfTime(_ limit: Duration) -> String {
        Limits.exceeded("the note's time for checking and typesetting, \(shown(limit)), ran out before this math was typeset", .timePerNote)
    }

    static func workerStopped(_ deadline: Duration) -> String {
        "KaTeX (node) stopped or did not answer within \(shown(deadline)) while typesetting this equation"
    }

    /// `2 s`, or `50 ms` below a second.
    private static func shown(_ duration: Duration) -> String {
        let milliseconds = KaTeXWorker.Deadlines.milliseconds(duration)
        return milliseconds < 1000 ? "\(milliseconds) ms" : "\(milliseconds / 1000) s"
    }

    static func pageMathTooLarge(_ limit: Int) -> Message {
        Message("render.page-math-too-large",
                Limits.exceeded("the page's math passes \(limit) bytes here; this and the math after it are not typeset", .maxPageMathBytes))
    }

    static func mathTooDeep(_ depth: Int, limit: Int) -> Message {
        Message("render.math-too-deep",
                Limits.exceeded("this math nests \(depth) levels deep, over the limit of \(limit) for typesetting", .maxMathNesting))
    }

    static func pageTooLarge(_ limit: Int) -> Message {
        Message("render.page-too-large",
                Limits.exceeded("the page grows past \(limit) bytes here; the rest of the note is left out of it", .maxPageBytes))
    }

    /// The links the renderer reports as broken, which a site reports itself too (SiteMessages).
    package static let brokenLinkIDs: Set<MessageID> = ["render.missing-note", "render.missing-embed", "render.outside-root", "render.unknown-label"]
}
