import Diagnostics

/// One claim in a display: a chain of operands joined by relations,
/// `A = B \approx C`, read as `A = B` and `B ≈ C`.
///
/// A row starting with `&=` continues the statement of the row before it;
/// a display that starts with `=` has `left == nil` and continues the last
/// statement of the display before it (the binder links them).
///
/// ```swift
/// let math = MathParser.parse("a = b = c")
/// math.statements[0].relations.count   // 2
/// ```
public struct MathStatement: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable {
        /// An ordinary claim or definition.
        case claim
        /// Introduced by `\because`: a justification for the claim before it.
        case reason
        /// Introduced by `\therefore`.
        case conclusion
        /// Introduced by `\text{where}`, `\text{given}` or `\text{with}`: what the statement
        /// before it assumes (`… = \hat y - y \quad \text{where } \ell = -y \log \hat y - …`).
        case premise
    }

    public var role: Role
    /// The first operand; `nil` when the statement starts with a relation.
    public var left: MathExpression?
    public var steps: [MathStep]
    /// `\label{…}` of the rows of this statement.
    public var labels: [MathText]
    /// `\tag{…}` of the rows of this statement.
    public var tags: [MathText]
    /// `% nb: …` comments on the rows of this statement.
    public var annotations: [MathText]
    public var range: SourceRange

    public init(role: Role = .claim, left: MathExpression?, steps: [MathStep], labels: [MathText] = [],
                tags: [MathText] = [], annotations: [MathText] = [], range: SourceRange) {
        self.role = role
        self.left = left
        self.steps = steps
        self.labels = labels
        self.tags = tags
        self.annotations = annotations
        self.range = range
    }

    /// Each relation with its two sides: `a = b = c` gives `(a, b)` and `(b, c)`.
    public var relations: [MathRelation] {
        var out: [MathRelation] = []
        out.reserveCapacity(steps.count)
        var previous = left
        for step in steps {
            out.append(MathRelation(left: previous, right: step.right, kind: step.relation, signRange: step.signRange))
            previous = step.right
        }
        return out
    }

    /// Every operand in order, starting with `left` when present.
    public var operands: [MathExpression] {
        (left.map { [$0] } ?? []) + steps.map(\.right)
    }
}

/// A relation sign and the operand after it, one link of a statement's chain.
///
/// ```swift
/// MathParser.parse("a = b").statements[0].steps[0].signRange.start.column   // 3
/// ```
public struct MathStep: Sendable, Equatable {
    public var relation: MathRelationKind
    /// The bytes of the sign (`=`, `:=`, `\approx`).
    public var signRange: SourceRange
    public var right: MathExpression

    public init(relation: MathRelationKind, signRange: SourceRange, right: MathExpression) {
        self.relation = relation
        self.signRange = signRange
        self.right = right
    }
}

/// One relation between two operands, with the location of its sign.
///
/// ```swift
/// for relation in MathParser.parse("a = b = c").relations { print(relation.right.plain) }
/// ```
public struct MathRelation: Sendable, Equatable {
    /// `nil` for the first relation of a statement that continues an earlier display.
    public var left: MathExpression?
    public var right: MathExpression
    public var kind: MathRelationKind
    public var signRange: SourceRange
}

/// What a relation sign claims.
///
/// ```swift
/// MathParser.parse(#"a \coloneqq b"#).relations[0].kind   // .definition
/// ```
public enum MathRelationKind: String, Sendable, Equatable, CaseIterable {
    case equal = "="
    /// `:=`, `\coloneqq`, `\triangleq`, `\stackrel{def}{=}`: a definition, not a claim.
    case definition = ":="
    case approximate = "\\approx"
    case equivalent = "\\equiv"
    case notEqual = "\\neq"
    case less = "<"
    case lessOrEqual = "\\leq"
    case greater = ">"
    case greaterOrEqual = "\\geq"
    case proportional = "\\propto"
    case similar = "\\sim"
    case implies = "\\implies"
    /// `\leftarrow`, `\gets`: an update rule (`θ ← θ − η∇ℒ`), not an identity.
    case update = "\\leftarrow"

    /// Plain spelling for messages.
    public var plain: String {
        switch self {
        case .equal: "="
        case .definition: ":="
        case .approximate: "≈"
        case .equivalent: "≡"
        case .notEqual: "≠"
        case .less: "<"
        case .lessOrEqual: "≤"
        case .greater: ">"
        case .greaterOrEqual: "≥"
        case .proportional: "∝"
        case .similar: "~"
        case .implies: "⇒"
        case .update: "←"
        }
    }
}

/// A piece of text with its place in the file: a `\label`, a `\tag`, a `% nb:` comment.
///
/// ```swift
/// MathParser.parse("a = b % nb: skip").annotations[0].text   // "skip"
/// ```
public struct MathText: Sendable, Equatable {
    public var text: String
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}
