import Foundation
import Testing
@testable import Verify

/// Mutations of `notebooks/matrix-calculus.md` (issue 16): every dropped transpose, swapped
/// product, ⊙ written as a product (and back) and missing 1/N in a checked step is a failed
/// step at that step's line. Generated from the note's text, so a new step is mutated too.
@Suite struct MatrixMutationTests {
    struct Mutant: CustomStringConvertible {
        var kind: String
        var line: Int
        var text: String
        var description: String { "\(kind) at line \(line): \(text)" }
    }

    /// A vector or matrix as the note writes one: `\mathbf{W}_2^T`, `\hat{\mathbf{q}}`, `\boldsymbol{\gamma}`,
    /// `\frac{\partial \ell}{\partial \mathbf{z}}`.
    static let atom = #"(?:\\frac\{\\partial [^{}]+\}\{\\partial (?:\\mathbf\{\w\}(?:_\d)?|\\hat\{\\mathbf\{\w\}\}|\\boldsymbol\{\\\w+\})\}|\\hat\{\\mathbf\{\w\}\}|\\mathbf\{\w\}(?:_\d)?|\\boldsymbol\{\\\w+\})(?:\^T)?"#

    static func mutants(of lines: [String], checkedLines: Set<Int>) -> [Mutant] {
        var mutants: [Mutant] = []
        let pair = try! NSRegularExpression(pattern: "(\(atom))( ?)(\(atom))")
        for (offset, line) in lines.enumerated() where checkedLines.contains(offset + 1) {
            let number = offset + 1
            func add(_ kind: String, _ text: String) {
                if text != line { mutants.append(Mutant(kind: kind, line: number, text: text)) }
            }
            // A dropped transpose.
            var search = line.startIndex
            while let range = line.range(of: "^T", range: search..<line.endIndex) {
                add("dropped transpose", line.replacingCharacters(in: range, with: ""))
                search = range.upperBound
            }
            // Two factors side by side: swapped, or multiplied entry by entry.
            let whole = NSRange(line.startIndex..., in: line)
            for match in pair.matches(in: line, range: whole) {
                guard let all = Range(match.range, in: line), let a = Range(match.range(at: 1), in: line),
                      let b = Range(match.range(at: 3), in: line) else { continue }
                add("swapped product", line.replacingCharacters(in: all, with: "\(line[b]) \(line[a])"))
                add("product as ⊙", line.replacingCharacters(in: all, with: "\(line[a]) \\odot \(line[b])"))
            }
            // A factor and the bracket after it, swapped: `\mathbf{X}^T (\mathbf{X}\mathbf{w} - \mathbf{y})`.
            let single = try! NSRegularExpression(pattern: Self.atom)
            for match in single.matches(in: line, range: whole) {
                guard let a = Range(match.range, in: line), let group = Self.bracket(in: line, from: a.upperBound) else { continue }
                add("swapped product", line.replacingCharacters(in: a.lowerBound..<group.upperBound, with: "\(line[group]) \(line[a])"))
            }
            // ⊙ as a product.
            search = line.startIndex
            while let range = line.range(of: " \\odot ", range: search..<line.endIndex) {
                add("⊙ as product", line.replacingCharacters(in: range, with: " "))
                search = range.upperBound
            }
            // A missing 1/N.
            for fraction in [#"\frac{1}{N} "#, #"\frac{1}{n} "#] {
                search = line.startIndex
                while let range = line.range(of: fraction, range: search..<line.endIndex) {
                    add("missing 1/N", line.replacingCharacters(in: range, with: ""))
                    search = range.upperBound
                }
            }
        }
        return mutants
    }

    /// The bracketed group (`( … )` or `\left( … \right)`, with a `^T` after it) that starts after
    /// spaces at `start`, if one does.
    static func bracket(in line: String, from start: String.Index) -> Range<String.Index>? {
        var index = start
        while index < line.endIndex, line[index] == " " { index = line.index(after: index) }
        guard line[index...].hasPrefix("(") || line[index...].hasPrefix("\\left(") else { return nil }
        // `\left(` and `\right)` hold a bracket character each: counting characters is enough.
        var depth = 0
        var position = index
        while position < line.endIndex {
            if line[position] == "(" { depth += 1 }
            if line[position] == ")" {
                depth -= 1
                if depth == 0 {
                    var end = line.index(after: position)
                    if line[end...].hasPrefix("^T") { end = line.index(end, offsetBy: 2) }
                    return index..<end
                }
            }
            position = line.index(after: position)
        }
        return nil
    }

    /// The Jacobians of softmax and of the normalisation are symmetric: without their transpose
    /// the chain rule still holds, so that mutant must verify, not fail.
    static func isSymmetricJacobianTranspose(_ mutant: Mutant, original: String) -> Bool {
        mutant.kind == "dropped transpose" && original.contains(#"\right)^T"#) && !mutant.text.contains(#"\right)^T"#)
    }

    @Test func everyMutationOfACheckedStepFailsAtItsLine() throws {
        let text = try Corpus.text("notebooks/matrix-calculus.md")
        let lines = text.components(separatedBy: "\n")
        let original = Corpus.check(text, path: "matrix-calculus.md")
        let checked = Set(original.steps.filter { $0.status == .verified }.map(\.line))
        #expect(checked.count == 22)   // one verified step per line
        let mutants = Self.mutants(of: lines, checkedLines: checked)
        let kinds = Dictionary(grouping: mutants, by: \.kind).mapValues(\.count)
        #expect(kinds["dropped transpose"] ?? 0 >= 21)
        #expect(kinds["swapped product"] ?? 0 >= 20)
        #expect(kinds["⊙ as product"] ?? 0 >= 6)
        #expect(kinds["product as ⊙"] ?? 0 >= 16)
        #expect(kinds["missing 1/N"] ?? 0 >= 5)
        for mutant in mutants {
            var mutated = lines
            mutated[mutant.line - 1] = mutant.text
            let report = Corpus.check(mutated.joined(separator: "\n"), path: "mutant.md")
            let here = report.steps.filter { $0.line == mutant.line }
            if Self.isSymmetricJacobianTranspose(mutant, original: lines[mutant.line - 1]) {
                #expect(here.contains { $0.status == .verified } && !here.contains { $0.status == .failed }, "\(mutant)")
            } else {
                #expect(here.contains { $0.status == .failed }, "\(mutant)")
                #expect(!report.steps.contains { $0.status == .failed && $0.line != mutant.line }, "\(mutant)")
            }
        }
    }
}
