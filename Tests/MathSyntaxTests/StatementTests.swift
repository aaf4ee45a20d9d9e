import Testing
import Diagnostics
@testable import MathSyntax

/// How displays split into statements and relations.
struct StatementTests {
    @Test func chainGivesOneRelationPerSign() throws {
        let math = MathParser.parse("a = b = c")
        #expect(math.statements.count == 1)
        let relations = math.relations
        #expect(relations.map { "\($0.left?.plain ?? "") \($0.kind.plain) \($0.right.plain)" } == ["a = b", "b = c"])
        #expect(relations.map(\.signRange.start.column) == [3, 7])
    }

    @Test(arguments: [
        ("a := b", MathRelationKind.definition),
        (#"a \coloneqq b"#, .definition),
        (#"a \approx b"#, .approximate),
        ("a < b", .less),
        (#"a \leq b"#, .lessOrEqual),
        (#"a \neq b"#, .notEqual),
        (#"a \stackrel{\text{def}}{=} b"#, .definition),
        ("a =: b", .definition),
        (#"a \leftarrow b"#, .update),
        (#"a \gets b"#, .update),
    ])
    func readsRelationKinds(_ tex: String, _ kind: MathRelationKind) throws {
        let math = MathParser.parse(tex)
        let relation = try #require(math.relations.first)
        #expect(relation.kind == kind)
        #expect(relation.left?.plain == "a")
        #expect(relation.right.plain == "b")
        #expect(math.diagnostics.isEmpty)
    }

    @Test func alignRowsContinueTheChain() throws {
        let tex = #"""
        \begin{align}
        y &= w_2 x_1 + b \label{eq:y} \\
          &= 2 x_1 \tag{2} % nb: tolerance 1e-6
        \end{align}
        """#
        let math = MathParser.parse(tex)
        #expect(math.environment == "align")
        #expect(math.statements.count == 1)
        let statement = try #require(math.statements.first)
        #expect(PlainPrinter.print(statement) == "y = w_2 * x_1 + b = 2 * x_1")
        #expect(statement.labels.map(\.text) == ["eq:y"])
        #expect(statement.tags.map(\.text) == ["2"])
        #expect(statement.annotations.map(\.text) == ["tolerance 1e-6"])
        #expect(math.annotations.first?.range.start.line == 3)
        #expect(math.diagnostics.isEmpty)
    }

    @Test func alignedInsideEquationAndSeveralColumns() throws {
        let math = MathParser.parse(#"\begin{equation}\begin{aligned} a &= 1 & b &= 2 \\ c &= 3 \end{aligned}\end{equation}"#)
        #expect(math.environment == "equation")
        #expect(math.statements.map { PlainPrinter.print($0) } == ["a = 1", "b = 2", "c = 3"])
    }

    @Test func displayStartingWithARelationContinuesTheNoteBefore() throws {
        let math = MathParser.parse(#"= \sum_{m=1}^{k} \frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} W_{i+1,m,j}"#)
        let statement = try #require(math.statements.first)
        #expect(statement.left == nil)
        #expect(math.relations.first?.left == nil)
        #expect(math.relations.first?.right.plain == "Σ_{m=1..k} ∂ℒ(θ)/∂a_{i+1,m} * W_{i+1,m,j}")
    }

    @Test(arguments: [
        (#"a = b, \quad c = d"#, ["a = b", "c = d"]),
        (#"a = b \qquad c = d."#, ["a = b", "c = d"]),
        (#"a = b; c = d,"#, ["a = b", "c = d"]),
        (#"a = b \text{ where } b = 2"#, ["a = b", "where b = 2"]),
        (#"x = 1 \text{and} y = 2"#, ["x = 1", "y = 2"]),
        (#"(i=L)"#, ["i = L"]),
    ])
    func separatesStatements(_ tex: String, _ expected: [String]) {
        let math = MathParser.parse(tex)
        #expect(math.statements.map { PlainPrinter.print($0) } == expected)
        #expect(math.diagnostics.isEmpty)
    }

    @Test func becauseIntroducesAReason() throws {
        let math = MathParser.parse(#"= \frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} g'(a_{ij}) \;\; [\because h_{ij} = g(a_{ij})]"#)
        #expect(math.statements.count == 2)
        #expect(math.statements[0].role == .claim)
        #expect(math.statements[1].role == .reason)
        #expect(PlainPrinter.print(math.statements[1]) == "because h_ij = g(a_ij)")
        #expect(math.diagnostics.isEmpty)
        let therefore = MathParser.parse(#"\therefore a = b"#)
        #expect(therefore.statements.first?.role == .conclusion)
    }

    @Test func commentsAreNotParsedButNBCommentsAreKept() throws {
        let math = MathParser.parse("a = b % just a remark\n% nb: skip\n")
        #expect(math.statements.count == 1)
        #expect(math.annotations.map(\.text) == ["skip"])
        #expect(math.diagnostics.isEmpty)
    }

    @Test func emptySideIsUninterpretableNotACrash() throws {
        let math = MathParser.parse("a = ")
        #expect(math.statements.count == 1)
        #expect(!math.isFullyInterpreted)
        #expect(!math.diagnostics.isEmpty)
    }

    /// Matt Mazur's "A Step by Step Backpropagation Example" writes multi-letter names.
    @Test func declaredMultiLetterNamesAreOneSymbol() throws {
        let tex = #"\frac{\partial E_{total}}{\partial out_{o1}} = -(target_{o1} - out_{o1})"#
        let undeclared = MathParser.parse(tex)
        #expect(undeclared.relations.first?.left?.plain != "∂E_total/∂out_o1")
        let source = SourceFile(path: "<math>", text: tex)
        let math = MathParser.parse(tex, in: source, at: 0, names: ["total", "out", "target"])
        #expect(math.statements.map { PlainPrinter.print($0) } == ["∂E_{total}/∂out_o1 = -(target_o1 - out_o1)"])
        let commented = MathParser.parse("net_{h1} = w_1 i_1 % nb: names net\n")
        #expect(commented.statements.map { PlainPrinter.print($0) } == ["net_h1 = w_1 * i_1"])
        #expect(MathParser.declaredNames(in: "names out, net") == ["out", "net"])
    }
}
