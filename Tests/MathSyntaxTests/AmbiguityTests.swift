import Testing
@testable import MathSyntax

/// Ambiguities stay explicit until the binder settles them.
struct AmbiguityTests {
    @Test func applicationOrProductStaysExplicit() throws {
        let expression = try #require(MathParser.parse("g(a_{ij}) + x(y+z)").expression)
        #expect(expression.ambiguities.count == 2)
        guard case .binary(.add, let lhs, let rhs) = expression.kind,
              case .applicationOrProduct = lhs.kind, case .applicationOrProduct = rhs.kind else {
            Issue.record("expected two applicationOrProduct nodes in \(expression.plain)")
            return
        }
    }

    @Test func defaultsFollowTheDocumentedRule() throws {
        let expression = try #require(MathParser.parse(#"g(a) + x(y+z) + \mathcal{L}(\theta) + h(a, b)"#).expression)
        #expect(expression.resolved().plain == "g(a) + x * (y + z) + ℒ(θ) + h(a, b)")
        #expect(expression.resolved().ambiguities.isEmpty)
    }

    @Test func bindingsDecideApplications() throws {
        let expression = try #require(MathParser.parse("g(a) + x(y+z)").expression)
        let bindings = ClosureBindings(isFunction: { symbol in symbol.name == "x" ? true : symbol.name == "g" ? false : nil })
        #expect(expression.resolved(by: bindings).plain == "g * (a) + x(y + z)")
    }

    @Test func primedSymbolIsAlwaysAFunction() throws {
        let expression = try #require(MathParser.parse("g'(a)").expression)
        guard case .application = expression.kind else {
            Issue.record("g'(a) should be an application")
            return
        }
        #expect(expression.ambiguities.isEmpty)
    }

    @Test func superscriptIsPowerOrLabelUntilResolved() throws {
        let expression = try #require(MathParser.parse("h_1^2").expression)
        guard case .powerOrLabel = expression.kind else {
            Issue.record("h_1^2 should be ambiguous")
            return
        }
        #expect(expression.resolved().plain == "pow(h_1, 2)")
        let labels = ClosureBindings(isLabel: { _, symbol in symbol.name == "h" })
        #expect(expression.resolved(by: labels).plain == "h_1^(2)")
    }

    @Test(arguments: [
        ("W^{(l)}", "W^(l)"),
        ("e^{x}", "exp(x)"),
        ("x^{-1}", "pow(x, -1)"),
        ("(a+b)^2", "pow((a + b), 2)"),
    ])
    func unambiguousSuperscripts(_ tex: String, _ plain: String) throws {
        let expression = try #require(MathParser.parse(tex).expression)
        #expect(expression.ambiguities.isEmpty)
        #expect(expression.plain == plain)
    }

    @Test func labelsAreInferredFromDifferentiationVariables() throws {
        let maths = [
            MathParser.parse(#"\frac{\partial E}{\partial w_{11}^2} = \delta^2 x_1"#),
            MathParser.parse(#"y = w_{11}^2 x_1 + x_1^2"#),
        ]
        let labels = SuperscriptLabels(inferringFrom: maths)
        #expect(labels.labeledKeys == ["w_{1,1}^{(2)}"])
        let resolved = maths[1].resolved(by: labels)
        #expect(resolved.statements.map { PlainPrinter.print($0) } == ["y = w_11^(2) * x_1 + pow(x_1, 2)"])
    }

    @Test func labelsCanBeDeclaredPerNote() throws {
        let math = MathParser.parse("a = w^L x^2 % nb: labels w\n")
        let labels = SuperscriptLabels(inferringFrom: [math])
        #expect(math.resolved(by: labels).statements.map { PlainPrinter.print($0) } == ["a = w^(L) * pow(x, 2)"])
        let all = SuperscriptLabels(inferringFrom: [math], annotations: ["superscripts are labels"])
        #expect(math.resolved(by: all).statements.map { PlainPrinter.print($0) } == ["a = w^(L) * x^(2)"])
        let powers = SuperscriptLabels(inferringFrom: [MathParser.parse(#"\frac{\partial E}{\partial w^L}"#)], annotations: ["powers w"])
        #expect(powers.isLabel(MathParser.parse("L").expression!, on: MathSymbol(name: "w")) == false)
    }
}
