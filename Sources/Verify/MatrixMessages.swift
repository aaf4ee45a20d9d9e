import Backprop
import Diagnostics
import MathSyntax

/// What the matrix checker says about a step, in one place (`VerifyMessages` holds the rest).
enum MatrixMessages {
    /// `5×3`, `5` for a vector, `a number`.
    static func shape(_ shape: Shape) -> String {
        switch shape.rank {
        case 0: "a number"
        case 1: "\(shape.rows)"
        default: "\(shape.rows)×\(shape.columns)"
        }
    }

    /// `X(Xw − y): X is 5×3 and Xw − y is 5, so the product is undefined (Xᵀ(Xw − y) would be 3)`.
    static func product(_ a: MathExpression, _ sa: Shape, _ b: MathExpression, _ sb: Shape) -> String {
        let left = a.plain, right = b.plain
        var text = "\(left) \(right): \(left) is \(shape(sa)) and \(right) is \(shape(sb)), so the product is undefined"
        let rows = sa.rank == 1 ? sa.rows : sa.rows
        if rows == sb.rows {
            // Transposing the left factor would fit.
            let result: Shape = sb.rank == 1 ? .vector(sa.columns) : .matrix(rows: sa.columns, columns: sb.columns)
            text += " (\(bracketed(left))ᵀ \(right) would be \(shape(result.count == 1 ? .scalar : result)))"
        } else if sa.columns == sb.columns, sb.rank == 2 {
            text += " (\(left) \(bracketed(right))ᵀ would be \(shape(.matrix(rows: sa.rows, columns: sb.rows))))"
        }
        return text
    }

    private static func bracketed(_ text: String) -> String {
        text.count == 1 || !text.contains(" ") ? text : "(\(text))"
    }

    /// `a − b: a is 5 and b is 3, so the difference is undefined`.
    static func elementwise(_ a: String, _ sa: Shape, _ b: String, _ sb: Shape, _ op: String) -> String {
        let what = op == "+" ? "sum" : op == "⊙" ? "element-wise product" : "difference"
        return "\(a) \(op) \(b): \(a) is \(shape(sa)) and \(b) is \(shape(sb)), so the \(what) is undefined"
    }

    /// `blocks 4×3 and 5 side by side are not as tall as each other`.
    static func blocksSideBySide(_ shapes: [Shape]) -> String {
        "blocks " + shapes.map(shape).joined(separator: " and ") + " side by side are not as tall as each other"
    }

    static func sidesDiffer(_ left: Shape, _ right: Shape) -> String {
        "the left side is \(shape(left)) and the right side is \(shape(right))"
    }

    /// The first entry where a matrix identity fails, 1-based as notes write indices.
    static func firstDifference(_ shape: Shape, at index: Int, _ left: Double, _ right: Double) -> String {
        let place = shape.rank == 2 ? "(\(index / shape.columns + 1), \(index % shape.columns + 1))" : "\(index + 1)"
        return "entry \(place) differs: left \(ValueFormat.number(left)), right \(ValueFormat.number(right))"
    }

    static func heldOver(_ entries: Int, draws: Int, layout: String?) -> String {
        let base = entries == 1 ? "held at \(draws) draws" : "held for all \(entries) entries at \(draws) draws"
        return layout.map { base + "; Jacobians in \($0) layout" } ?? base
    }

    /// `i indexes 4 entries in W_ij and 6 in x_i`: a per-entry claim whose indices do not fit.
    static func indexRanges(_ letter: String, _ first: String, _ firstLength: Int, _ second: String, _ secondLength: Int) -> String {
        "\(letter) indexes \(firstLength) entries in \(first) and \(secondLength) in \(second), so the indices do not fit"
    }

    /// `held at all 48 values of (i, j) at 3 draws`.
    static func heldAtIndices(_ count: Int, _ letters: [String], draws: Int, layout: String?) -> String {
        let names = letters.count == 1 ? letters[0] : "(" + letters.joined(separator: ", ") + ")"
        let base = "held at all \(count) values of \(names) at \(draws) draws"
        return layout.map { base + "; Jacobians in \($0) layout" } ?? base
    }

    static func unknownFunction(_ name: String) -> String {
        "\(name) is applied to a vector or matrix and nbrun does not know it"
    }

    static func jacobianTooLarge(_ limit: Int) -> String {
        Limits.exceeded("a Jacobian with more than \(limit) entries, or the note's time ran out while it was computed", .maxArrayElements)
    }

    static let outOfTime = "the note's time budget ran out (limit timePerNote; raise it with --limit timePerNote=N or under limits: in site.yml)"

    static func guessedShape(_ name: String, _ mismatch: String) -> String {
        "\(name) has a shape nothing in the note fixes, and the shapes do not fit (\(mismatch)); declare it, e.g. `\(name) \\in \\mathbb{R}^{n}`, or write it as a number"
    }

    static let disconnected = "a derivative of a quantity that no definition connects to the variable"

    static func notRead(_ name: String, _ reason: String) -> String {
        "\(name) is a vector or matrix written whole; nbrun could not read this step as matrices (\(reason))"
    }
    static func lossAsVector(_ loss: String, _ shape: Shape) -> String {
        "\(MathParser.parse(loss).expression?.plain ?? loss) comes out as \(shape.rows)×\(shape.columns), not a number: no shape nbrun reads gives its output layer one unit (declare one, as W^{[2]} \\in \\mathbb{R}^{1 \\times n} or \"$W^{[2]}$ is $(1, n)$\")"
    }
}
