import Testing
import Diagnostics
@testable import MathSyntax

/// Every formula of the seed note is read completely, and reads as intended.
struct SeedNoteTests {
    @Test(arguments: SeedNote.displays + SeedNote.inline)
    func readsEveryFormulaCompletely(_ tex: String) {
        let math = MathParser.parse(tex)
        #expect(math.diagnostics.isEmpty, "\(tex): \(math.diagnostics)")
        #expect(math.isFullyInterpreted)
        #expect(!math.statements.isEmpty)
    }

    @Test func readsTheChainRuleForHiddenUnits() throws {
        let math = MathParser.parse(SeedNote.displays[2])
        #expect(math.statements.map { PlainPrinter.print($0) } == [
            "∂ℒ(θ)/∂h_ij = Σ_{m=1..k} ∂ℒ(θ)/∂a_{i+1,m} * ∂a_{i+1,m}/∂h_ij",
        ])
    }

    @Test func readsTheGradientVectorsAndTheHadamardStep() throws {
        let vector = MathParser.parse(SeedNote.displays[4])
        #expect(vector.statements.map { PlainPrinter.print($0) } == [
            "∇_{a_i + 1} ℒ(θ) = [[∂ℒ(θ)/∂a_{i+1,1}], […], [∂ℒ(θ)/∂a_{i+1,k}]]",
        ])
        let hadamard = try #require(SeedNote.displays.last)
        #expect(MathParser.parse(hadamard).statements.map { PlainPrinter.print($0) } == [
            "∇_a_i ℒ(θ) = ∇_h_i ℒ(θ) ⊙ […, g'(a_ik), …]",
        ])
    }

    @Test func readsTheTransposedColumnTimesTheGradient() throws {
        let math = MathParser.parse(SeedNote.displays[6])
        #expect(math.statements.map { PlainPrinter.print($0) } == [
            "(W_{i+1,*,j})^T * ∇_a_{i+1} ℒ(θ) = Σ_{m=1..k} ∂ℒ(θ)/∂a_{i+1,m} * W_{i+1,m,j}",
        ])
    }

    @Test func readsAMultiLineDisplayWithTwoRelations() throws {
        let math = MathParser.parse(SeedNote.displays[8])
        #expect(math.relations.count == 2)
        #expect(math.statements.count == 1)
    }
}
