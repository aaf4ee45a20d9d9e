import Diagnostics

/// Every message the Render stage reports, in one place.
enum RenderMessages {
    static func unknownLabel(_ label: String) -> String {
        "no equation has the label '\(label)'"
    }

    static func katexError(_ message: String) -> String {
        "math does not typeset: \(message)"
    }

    static func missingNote(_ target: String) -> String {
        "link target '\(target)' is not a note or file in this notebook folder"
    }

    static func missingEmbed(_ target: String) -> String {
        "embedded file '\(target)' is not in this notebook folder"
    }

    static func outsideRoot(_ target: String) -> String {
        "link target '\(target)' is outside the notebook folder and is not followed"
    }

    static func missingHeading(_ heading: String, in target: String) -> String {
        "note '\(target)' has no heading '\(heading)'"
    }

    static func mathTooLong(_ bytes: Int, limit: Int) -> String {
        Limits.exceeded("this math is \(bytes) bytes, over the limit of \(limit) for typesetting", .maxMathBytes)
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

    static func mathTooDeep(_ depth: Int, limit: Int) -> String {
        Limits.exceeded("this math nests \(depth) levels deep, over the limit of \(limit) for typesetting", .maxMathNesting)
    }

    static func pageTooLarge(_ limit: Int) -> String {
        Limits.exceeded("the page grows past \(limit) bytes here; the rest of the note is left out of it", .maxPageBytes)
    }
}
