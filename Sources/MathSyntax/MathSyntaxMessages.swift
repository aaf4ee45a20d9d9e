import Diagnostics

/// Every message the MathSyntax module reports, in one place.
///
/// Reasons (`String`) are stored in `.uninterpretable` nodes and shown as the
/// "unchecked" reason; each also becomes a warning diagnostic at the node.
enum MathSyntaxMessages {
    static func tooDeep(limit: Int) -> String {
        "math nested more than \(limit) levels deep; the rest of this formula is not read"
    }
    static func unknownCommand(_ name: String) -> String { "unknown command '\\\(name)'" }
    static func unsupportedCommand(_ name: String, _ why: String) -> String { "'\\\(name)' is not supported: \(why)" }
    static func unknownEnvironment(_ name: String) -> String { "environment '\(name)' is not supported here" }
    static func unclosedEnvironment(_ name: String) -> String { "'\\begin{\(name)}' has no matching '\\end{\(name)}'" }
    static func unexpected(_ token: String) -> String { "unexpected '\(token)'" }
    static func unexpected(_ token: String, in context: String) -> String { "unexpected '\(token)' in \(context)" }
    static func expectedExpression(after what: String) -> String { "expected an expression after '\(what)'" }
    static let expectedExpression = "expected an expression"
    static func missingClosing(_ closing: String) -> String { "missing '\(closing)'" }
    static func missingArgument(_ command: String) -> String { "'\\\(command)' needs an argument" }
    static func primeWithoutArgument(_ name: String) -> String { "the derivative '\\\(name)′' must be applied to an argument in parentheses" }
    static let emptyGroup = "empty braces"
    static let emptyEntry = "empty matrix entry"
    static let unreadableCase = "a case whose condition is not one comparison (`x > 0`, `i = k`, `\\text{otherwise}`)"
    static let doubleSuperscript = "two superscripts on one base"
    static let doubleSubscript = "two subscripts on one base"
    static let decorationOverExpression = "an accent over more than one symbol"
    static let fontOverExpression = "a font command over more than one symbol"
    static let loneDifferential = "'\\partial' outside a fraction or subscript form"
    /// A mistake in the note, not a limit of nbrun (`MathExpression.lostPartial`).
    static let partialOnlyAbove = "a derivative with '\\partial' above the bar and none below it: the denominator lost its '\\partial'"
    static let summationRange = "summation range not understood (expected 'i', 'i,j' or 'i=1')"
    static func orderMismatch(numerator: Int, denominator: Int) -> String {
        "derivative of order \(numerator) has \(denominator) differentiation variables"
    }
    static let emptyRelationSide = "nothing on one side of a relation"
    static let relationInBrackets = "a relation inside brackets"
    static let integral = "integrals"
    static let limit = "limits"

    /// The warning at a node the reader could not interpret; the checker shows `reason`
    /// as the step's (`verify.unchecked.unreadable`).
    static func diagnostic(_ reason: String, at range: SourceRange) -> Diagnostic {
        .warning(Message("math.cannot-interpret", "cannot interpret math: \(reason)"), at: range)
    }
    /// The error when a formula nests past the parser's depth limit.
    static func tooDeepDiagnostic(limit: Int, at range: SourceRange) -> Diagnostic {
        .error(Message("math.too-deep", tooDeep(limit: limit)), at: range)
    }
}

extension MathExpression {
    /// The first `\frac{\partial C}{w}` in this expression, whose denominator lost its `\partial`:
    /// a mistake of the note's, which the checker reports as a failed step.
    public var lostPartial: MathExpression? {
        var found: MathExpression?
        forEachNode { node in
            if found == nil, case .uninterpretable(let reason, _) = node.kind, reason == MathSyntaxMessages.partialOnlyAbove { found = node }
        }
        return found
    }
}
