import Backprop
import Diagnostics

/// Every message of the Verify stage, in one place.
enum VerifyMessages {
    static func tooDeep(_ limit: Int) -> String {
        Limits.exceeded("definitions nest more than \(limit) levels deep", .maxDefinitionDepth)
    }
    static func notANumber(_ text: String) -> String { "'\(text)' is not a number nbrun can read" }
    static let elidedOutsideMatrix = "'…' stands for elided terms outside a matrix or list"
    static let wildcardOutsideIndex = "'*' outside an index"
    static let wildcardOfNoArray = "'*' (all entries) in an index of a family nbrun does not draw as a vector or matrix"
    static func prose(_ text: String) -> String { "prose inside math ('\(text)')" }
    static let subscriptedExpression = "a subscript on something that is not a symbol"
    static let primeWithoutArgument = "a derivative written with a prime must be applied to an argument"
    static let raggedMatrix = "the rows of this matrix have different lengths"
    static let patternShape = "cannot tell how the entries of this pattern (with ⋮ or …) continue"
    static let emptySum = "a sum with nothing to sum"
    static let sumIndex = "a sum over anything but one index variable"
    static func sumTooLong(_ limit: Int) -> String {
        Limits.exceeded("a sum or pattern of more than \(limit) terms", .maxSumTerms)
    }
    static func nestedSumsTooLong(_ limit: Int) -> String {
        Limits.exceeded("nested sums or patterns of more than \(limit) terms in all", .maxSumTerms)
    }
    static func tapeTooLarge(_ bytes: Int) -> String {
        "this step needs more than \(bytes >> 20) MiB of intermediate values; it is not checked"
    }
    static func arrayTooLarge(_ shape: Shape, limit: Int) -> String {
        Limits.exceeded("a \(shape.rows)×\(shape.columns) array has more than \(limit) elements", .maxArrayElements)
    }
    static func tooManyParameters(_ count: Int, limit: Int) -> Message {
        Message("verify.too-many-parameters",
                Limits.exceeded("this network has \(count) weights and biases, more than \(limit)", .maxParameters))
    }
    static func notAnIndex(_ text: String) -> String { "'\(text)' is used as an index but is not a whole number" }
    static func unknownFunction(_ name: String) -> String { "unknown function \(name)" }
    static func arity(_ name: String, _ count: Int) -> String { "\(name) does not take \(count) arguments" }
    static let logBase = "the base of this logarithm is not a positive number other than 1"
    static let primeArity = "a primed function with other than one argument, or a third derivative"
    static let derivativeWithoutOperand = "a derivative with nothing to differentiate"
    static let mixedPartials = "mixed partial derivatives"
    static func derivativeVariable(_ text: String) -> String { "a derivative with respect to '\(text)', which is not a symbol" }
    static func highOrder(_ order: Int) -> String { "a derivative of order \(order)" }
    static func doesNotDepend(_ operand: String, _ variable: String) -> String {
        "\(operand) does not depend on \(variable) through any definition in this note"
    }
    static func statedOnlyAsNumber(_ operand: String, _ variable: String) -> String {
        "the note gives \(operand) no formula (at most a number), so how it depends on \(variable) is not known"
    }
    static let derivativeOfDerivative = "a derivative of an expression that itself holds a derivative"
    static func derivativeOfNonScalar(_ text: String, _ shape: Shape) -> String {
        "the derivative of \(text), which is a \(shape.rows)×\(shape.columns) array, not a number"
    }
    static let nablaWithoutParts = "a gradient ∇ without a subscript or without an operand"
    static func notAQuantity(_ role: String) -> String { "the network's \(role) is not a value" }
    static func cycle(_ name: String) -> String { "\(name) is defined in terms of itself" }
    static func relationNotChecked(_ relation: String) -> String { "the relation \(relation) is not checked" }
    static let updateRule = "an update rule (←), not an identity: not checked"
    static let nothingToContinue = "this display starts with a relation but no earlier math gives its left side"
    static let unreadable = "this math could not be read"
    static let skipped = "skipped (nb: skip)"
    static let noIndexValues = "no index values for which both sides are defined"
    static func couldNotEvaluate(_ reason: String) -> String { "could not evaluate: \(reason)" }
    static func differs(_ left: String, _ right: String) -> String { "left \(left), right \(right)" }
    static func shapesDiffer(_ left: Shape, _ right: Shape) -> String {
        "the sides have different shapes: left \(left.rows)×\(left.columns), right \(right.rows)×\(right.columns)"
    }
    static func holdsAgainstEarlierSide(_ side: String) -> String {
        "holds when compared with \(side), the side before the step that failed"
    }
    static func namedByEquality(_ definition: String) -> String {
        "names a new quantity: \(definition)"
    }
    static func holdsOneHot(_ family: String) -> String {
        "holds with \(family) one-hot, as the note says its targets are"
    }
    static func wouldHoldOneHot(_ family: String) -> String {
        "; it holds if \(family) is one-hot: add <!-- nb: one-hot \(family) -->"
    }
    static func noValueForNumbers(_ name: String) -> String {
        "the note gives \(name) no value, so the numbers written cannot be compared"
    }
    static func unboundedSumOfScalars(_ variable: String) -> String {
        "a sum over \(variable) without bounds, of symbols that are not arrays: where it ends is not known"
    }
    static func undefinedFunctionOnOneSide(_ name: String) -> String {
        "the note never defines \(name), and only one side uses it"
    }
    static func repeatedInput(_ input: String, weights: [String], missing: String) -> String {
        "\(input) is taken \(weights.count == 2 ? "twice" : "\(weights.count) times"), with \(weights.joined(separator: " and with ")), and \(missing), which the note has, not at all: is one of them \(missing)?"
    }
    static func swappedInput(_ name: String, _ old: String, _ new: String) -> String {
        "restates \(name) with \(new) where its definition has \(old)"
    }
    static func sumWithoutTerms(_ variable: String) -> String {
        "a sum over \(variable) without bounds that has no term: none of its symbols is defined at \(variable) = 1"
    }
    static func newNameWithoutValue(_ name: String) -> String {
        "\(name) is first written here and the note gives it no value"
    }
    static func matrixNotation(_ name: String) -> String {
        "\(name) is a vector or matrix written whole; nbrun does not check matrix identities yet"
    }
    static func strayCloser(_ tex: String) -> String {
        "\(tex) closes a bracket it never opened: the formula as written does not read"
    }
    static func anotherConvention(_ cue: String) -> String {
        "the prose before it presents this in another convention (\"\(cue)\"), not the note's: not checked"
    }
    static func equationToSolve(_ cue: String) -> String {
        "the prose before it makes this an equation to solve (\"\(cue)\"), not an identity: not checked"
    }
    static func lostPartial(_ tex: String) -> String {
        "\(tex) has '\\partial' above the bar and none below: not a derivative as written (a '\\partial' is missing)"
    }
    static func shiftedLayer(_ used: String, defined: String) -> String {
        "\(used) is written at a layer where the note defines only \(defined); nbrun does not carry a definition from one layer to the next"
    }
    static func openDerivativeWithOtherInputs(_ input: String) -> String {
        "a derivative of a quantity the note leaves open, beside \(input), which the step does not differentiate by and the note gives no formula"
    }
    static let differentials = "written with differentials (d before a symbol): not a claim about numbers"
    static func comparedWithDerivative(_ head: String, _ derivative: String, _ outcome: String) -> String {
        let reading = "compared with \(derivative), which the chain's first side \(head) stands for"
        return outcome.isEmpty ? reading : "\(outcome); \(reading)"
    }
    static func givesWorkedValues(_ values: [String]) -> String {
        "the worked numbers give " + values.joined(separator: ", ")
    }
    static func holdsToPrintedDigits(_ allowed: Double) -> String {
        "holds to the digits written (the printed numbers allow ±\(ValueFormat.number(allowed)))"
    }
    static func differsBeyondPrintedDigits(_ left: Double, _ right: Double, allowed: Double) -> String {
        "left \(precise(left)), right \(precise(right)): they differ by \(ValueFormat.number(Swift.abs(left - right))), "
            + "more than the ±\(ValueFormat.number(allowed)) the digits written allow"
    }
    /// Enough digits to tell two close values apart.
    static func precise(_ value: Double) -> String { ValueFormat.printed(value, digits: 10, style: "g") }
    static func failsAt(_ tuple: String, _ left: String, _ right: String) -> String { "at \(tuple): left \(left), right \(right)" }
    static let inconclusive = "holds at some draws and not others (near a kink or a singular point?)"
    static func expectedFailureHolds(_ values: String) -> String { "marked as a wrong step (nb: expect-failure), but it holds: \(values)" }
    static func redefines(_ name: String) -> String { "redefines \(name) from here on" }
    static func timeBudget(_ seconds: Int) -> String {
        Limits.exceeded("checking this note took more than its time budget of \(seconds) s", .timePerNote)
    }
    static func valueNotComputed(_ reason: String) -> String { "no value: \(reason)" }
    // The codes of a step's diagnostic (Report), by its status.
    static func stepDoesNotHold(_ detail: String) -> Message { Message("verify.step-does-not-hold", "step does not hold: \(detail)") }
    static func unchecked(_ text: String, _ reason: UncheckedReason?) -> Message {
        Message(reason?.id ?? UncheckedReason.family, "unchecked: \(text)")
    }
    static func stepError(_ message: String) -> Message { Message("verify.step-error", message) }

    static func unknownDirective(_ text: String) -> Message {
        Message("verify.unknown-directive", "unknown nb: directive '\(text)'; known: skip, expect-failure, define, fresh, one-hot NAME, let NAME = VALUE, labels …, powers …")
    }
}
