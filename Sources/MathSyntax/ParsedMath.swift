import Diagnostics

/// The result of parsing one piece of math (a display or an inline formula):
/// its statements, its `% nb:` annotations, and what could not be read.
///
/// ```swift
/// let math = MathParser.parse(#"\begin{align} y &= w x \\ &= 2 x \end{align}"#)
/// math.statements[0].relations.count   // 2
/// math.diagnostics.isEmpty             // true
/// ```
public struct ParsedMath: Sendable, Equatable {
    public var statements: [MathStatement]
    /// The outermost environment when the math is one (`align*`, `equation`), else `nil`.
    public var environment: String?
    /// Every `% nb: …` comment, in order (each is also on its statement).
    public var annotations: [MathText]
    /// Problems found; every uninterpretable node has one.
    public var diagnostics: [Diagnostic]
    /// All of the tex.
    public var range: SourceRange

    public init(statements: [MathStatement], environment: String?, annotations: [MathText],
                diagnostics: [Diagnostic], range: SourceRange) {
        self.statements = statements
        self.environment = environment
        self.annotations = annotations
        self.diagnostics = diagnostics
        self.range = range
    }

    /// The expression when the math is exactly one expression with no relation, else `nil`.
    public var expression: MathExpression? {
        guard statements.count == 1, statements[0].steps.isEmpty else { return nil }
        return statements[0].left
    }

    /// Every relation of every statement, in order.
    public var relations: [MathRelation] { statements.flatMap(\.relations) }

    /// Whether every part of the math was understood.
    public var isFullyInterpreted: Bool {
        statements.allSatisfy { statement in statement.operands.allSatisfy { !$0.containsUninterpretable } }
    }
}
