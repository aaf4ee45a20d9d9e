import Diagnostics
import Foundation
import Notebook
import Testing
@testable import Verify

/// `show:` and `train:` statements, and the graph drawn without asking.
private func check(_ text: String) -> Report {
    Corpus.check(text, path: "f.md")
}

private let sigmoid = #"""
    # Sigmoid

    $$
    \sigma(z) = \frac{1}{1 + e^{-z}}
    $$

    """#

@Test func aPlotSamplesEachExpressionOverItsRange() throws {
    let report = check(sigmoid + "```nb\nshow: plot \\sigma(z), \\sigma'(z), \\tanh'(z) for z from -6 to 6\n```\n")
    #expect(report.diagnostics.isEmpty)
    let figure = try #require(report.figures.first)
    guard case .plot(let plot) = figure.content else { Issue.record("not a plot"); return }
    #expect(plot.variable == "z")
    #expect(plot.series.map(\.tex) == [#"\sigma(z)"#, #"\sigma'(z)"#, #"\tanh'(z)"#])
    #expect(plot.xs.count == 241)
    #expect(plot.xs.first == -6 && plot.xs.last == 6 && plot.xs[120] == 0)
    // σ(0) = 1/2, σ′(0) = σ(0)(1 − σ(0)) = 1/4, tanh′(0) = 1 − tanh²(0) = 1.
    #expect(plot.series.map { $0.values[120] } == [0.5, 0.25, 1])
    // σ(6) = 1/(1 + e⁻⁶).
    #expect(abs(plot.series[0].values[240] - 1 / (1 + exp(-6))) < 1e-15)
    // The figure goes after the cell: the offset of its content, the line of `show:`.
    #expect(figure.location.start.line == 7)
}

@Test func pointsWithoutAValueAreGapsAndYLimitsCut() throws {
    let report = check("# Log\n\n```nb\nshow: plot \\log(x), x^3 for x from -1 to 1 ylim=-0.5..0.5\n```\n")
    #expect(report.diagnostics.isEmpty)
    guard case .plot(let plot)? = report.figures.first?.content else { Issue.record("no plot"); return }
    // log of a negative number has no value: NaN, a gap; from x > 0 on there is a curve.
    #expect(plot.series[0].values[0].isNaN && plot.series[0].values[119].isNaN)
    #expect(plot.series[0].values[240] == 0)
    // x³ at x = −1 is below ylim and left out; at 0 it is drawn.
    #expect(plot.series[1].values[0].isNaN && plot.series[1].values[120] == 0)
}

@Test(arguments: [
    ("show: plot a z for z from 0 to 1", "f.md:4:12: error: 'a z' uses a, which has no value here: a plot varies z only, so define a above or give it a value with `let`"),
    ("show: plot z^2 for z from 2 to 1", "f.md:4:27: error: the range from 2 to 1 is empty; write the smaller bound first"),
    ("show: plot \\frac{1} for z from 0 to 1", "f.md:4:12: error: cannot read '\\frac{1}' as math: '\\frac' needs an argument"),
    ("show: plot z for 2 z from 0 to 1", "f.md:4:18: error: '2 z' is not a variable to plot against (write one symbol, such as `z` or `w_1`)"),
    ("show: plot z for z from 0 to x", "f.md:4:30: error: 'x' is not a number to plot from or to"),
    ("show: plot z for z from 0 to 1 ylim=1..0", "f.md:4:32: error: expected `ylim=A..B` with A < B, found 'ylim=1..0'"),
    ("show: table z", "f.md:4:7: error: nbrun cannot show 'table'; use `plot F, G for X from A to B`, `paths W -> E`, or `graph E`"),
    ("show: plot z^2", "f.md:4:7: error: expected `plot F, G for X from A to B` (optionally `ylim=A..B`), found 'plot z^2'"),
    ("train: data=xor", "f.md:4:1: error: `train:` needs a network: declare one with `network: 2 -> 4 -> 1` in this cell or a cell above"),
    ("network: 3 -> 2 -> 1\ntrain: data=xor steps=10", "f.md:5:8: error: the data set 'xor' has 2 inputs, but the network takes 3 (its first width); declare `network: 2 -> …`"),
    ("network: 2 -> 2 -> 3\ntrain: steps=10 data=two-moons", "f.md:5:17: error: the data set 'two-moons' has 2 classes, but the network has 3 outputs; use 1 output (a 0/1 target) or 2 (one-hot)"),
    ("network: 2 -> 2 -> 1\ntrain: data=moons", "f.md:5:13: error: 'moons' is not a data set nbrun can make; use one of: xor, two-moons, spirals, circles"),
    ("network: 2 -> 2 -> 1\ntrain: data=xor epochs=3", "f.md:5:17: error: unknown training option 'epochs'; known: data, steps, rate, optimizer, batch, seed, points, noise"),
    ("network: 2 -> 2 -> 1\ntrain: data=xor steps=200000", "f.md:5:23: error: steps must be a whole number from 1 to 100000, found '200000'"),
    ("network: 2 -> 2 -> 1\ntrain: data=spirals points=1000000", "f.md:5:28: error: points must be a whole number from 1 to 100000, found '1000000'"),
    ("network: 2 -> 2 -> 1\ntrain: data=xor optimizer=rmsprop", "f.md:5:27: error: 'rmsprop' is not an optimizer; use one of: sgd, momentum, adam"),
    ("network: 2 -> 2 -> 1\ntrain: data=xor batch=5", "f.md:5:23: error: a batch of 5 is larger than the data set's 4 points"),
    ("network: 2 -> 2 -> 1\ntrain: steps=3", "f.md:5:8: error: `train:` needs a data set: `data=xor`, `data=two-moons`, `data=spirals` or `data=circles`"),
    ("show: graph", "f.md:4:7: error: there are no scalar definitions above this cell to draw a computation graph of (define quantities such as `h = w x` in display math first)"),
])
func badFigureStatementsAreErrorsAtTheWord(_ body: String, _ message: String) {
    let report = check("# Bad\n\n```nb\n" + body + "\n```\n")
    #expect(report.diagnostics.map(\.description) == [message])
    #expect(report.figures.isEmpty)
}

@Test func xorTrainsToFullAccuracyAfterAGradientCheck() throws {
    let text = """
        # XOR

        ```nb
        network: 2 -> 4 -> 1
        activation: tanh
        output: sigmoid
        loss: squared-error
        seed: 3
        train: data=xor steps=2000 rate=0.5 optimizer=adam batch=4 seed=3
        ```

        Accuracy $\\nbvalue{\\mathrm{accuracy}}$.
        """
    let clock = ContinuousClock()
    var report: Report?
    let elapsed = clock.measure { report = check(text) }
    let checked = try #require(report)
    #expect(checked.diagnostics.isEmpty)
    guard case .training(let run)? = checked.figures.first?.content else { Issue.record("no training"); return }
    #expect(run.dataset == "xor" && run.points == 4 && run.steps == 2000 && run.batch == 4 && run.optimizer == "adam")
    #expect(run.accuracy == 1)
    #expect(run.gradientCheckError < 1e-6 && run.gradientCheckHolds)
    #expect(run.finalLoss < 1e-4)
    // Every step is kept up to 500, then an even sample with the first and the last.
    #expect(run.losses.count == 500 && run.lossSteps.first == 1 && run.lossSteps.last == 2000)
    // The gradient check is a step at the `train:` line.
    let step = try #require(checked.steps.first)
    #expect(step.status == .verified && step.line == 9 && step.location.start.column == 1)
    #expect(step.message.hasPrefix("backpropagation agrees with central differences for all 17 weights and biases"))
    // What the run measured is a value the prose can show.
    #expect(checked.values.map(\.value) == ["1"])
    #expect(elapsed < .seconds(5))
}

@Test func trainingIsTheSameForTheSameSeed() throws {
    let text = "# M\n\n```nb\nnetwork: 2 -> 8 -> 2\noutput: softmax\nloss: cross-entropy\ntrain: data=two-moons points=100 steps=300 batch=20 optimizer=momentum\n```\n"
    let first = check(text), second = check(text)
    #expect(first.figures == second.figures)
    guard case .training(let run)? = first.figures.first?.content else { Issue.record("no training"); return }
    #expect(run.points == 100 && run.batch == 20 && run.rate == 0.1 && run.accuracy > 0.8)
    #expect(first.steps.map(\.status) == [.verified])
}

private let twoHidden = #"""
    # Two hidden neurons

    $$
    z_1 = w_1 x \qquad z_2 = w_2 x
    $$

    $$
    h_1 = \sigma(z_1) \qquad h_2 = \sigma(z_2)
    $$

    $$
    y = v_1 h_1 + v_2 h_2
    $$

    $$
    E = \frac{1}{2} (y - t)^2
    $$

    """#

@Test func thePathSumEqualsTheGradient() throws {
    let report = check(twoHidden + "```nb\nshow: paths w_1 -> E\nshow: paths x -> E\n```\n")
    #expect(report.diagnostics.isEmpty)
    #expect(report.figures.count == 2)
    guard case .paths(let one)? = report.figures.first?.content, case .paths(let two)? = report.figures.last?.content else {
        Issue.record("no path sums"); return
    }
    let value = Dictionary(uniqueKeysWithValues: one.graph.nodes.map { ($0.id, $0.value) })
    let (x, t, y, v1, v2, w1, w2) = try (#require(value["x"]), #require(value["t"]), #require(value["y"]), #require(value["v[1]"]),
                                         #require(value["v[2]"]), #require(value["w[1]"]), #require(value["w[2]"]))
    let (h1, h2) = try (#require(value["h[1]"]), #require(value["h[2]"]))
    // By hand: ∂E/∂w₁ = (y − t) v₁ σ′(z₁) x with σ′ = h(1 − h); one path.
    #expect(one.terms.map(\.path) == [["w[1]", "z[1]", "h[1]", "y", "E"]])
    #expect(one.terms[0].factors == [#"\partial z_1/\partial w_1"#, #"\partial h_1/\partial z_1"#, #"\partial y/\partial h_1"#, #"\partial E/\partial y"#])
    let byHand = (y - t) * v1 * h1 * (1 - h1) * x
    #expect(abs(one.total - byHand) <= 1e-12 * abs(byHand))
    #expect(abs(one.gradient - byHand) <= 1e-12 * abs(byHand))
    #expect(one.holds)
    // Two paths from x, one through each hidden neuron.
    #expect(two.terms.map(\.path) == [["x", "z[1]", "h[1]", "y", "E"], ["x", "z[2]", "h[2]", "y", "E"]])
    let viaFirst = (y - t) * v1 * h1 * (1 - h1) * w1, viaSecond = (y - t) * v2 * h2 * (1 - h2) * w2
    #expect(abs(two.terms[0].value - viaFirst) <= 1e-12 * abs(viaFirst))
    #expect(abs(two.terms[1].value - viaSecond) <= 1e-12 * abs(viaSecond))
    #expect(abs(two.gradient - (viaFirst + viaSecond)) <= 1e-12 * abs(viaFirst + viaSecond))
    // Each sum is a verified step at its statement.
    #expect(report.steps.filter { $0.status == .verified }.map(\.line) == [19, 20])
    // No graph without asking: the note asked for its paths.
    #expect(report.figures.allSatisfy { $0.location.start.line >= 19 })
}

@Test func tooManyPathsIsAnError() {
    var text = "# Many\n\n$$\na_0 = x + 1 \\qquad b_0 = x - 1\n$$\n\n"
    for k in 1...7 { text += "$$\na_\(k) = a_\(k - 1) + b_\(k - 1) \\qquad b_\(k) = a_\(k - 1) b_\(k - 1)\n$$\n\n" }
    text += "```nb\nshow: paths x -> a_7\n```\n"
    let report = check(text)
    #expect(report.diagnostics.map(\.description) == [
        "f.md:36:7: error: more than 64 paths lead there (65 found before stopping); a path sum that long is not worth drawing",
    ])
}

@Test func showGraphDrawsTheTargetAndWhatItDependsOn() throws {
    let report = check(twoHidden + "```nb\nshow: graph y\n```\n")
    #expect(report.diagnostics.isEmpty)
    guard case .graph(let graph)? = report.figures.first?.content else { Issue.record("no graph"); return }
    #expect(graph.nodes.map(\.tex) == ["w_1", "x", "z_1", "w_2", "z_2", "h_1", "h_2", "v_1", "v_2", "y"])
    #expect(graph.nodes.map(\.kind.rawValue) == ["input", "input", "intermediate", "input", "intermediate", "output", "output", "input", "input", "loss"])
    #expect(graph.edges.count == 10)
    #expect(report.figures.count == 1)
}

@Test func aScalarNoteGetsItsGraphAfterTheMathThatDefinesItsLastQuantity() throws {
    let text = try Corpus.text("Tests/VerifyTests/Corpus/scalar-chain.md")
    let report = check(text)
    let figure = try #require(report.figures.first)
    #expect(report.figures.count == 1)
    // Right after `E = \frac{1}{2} (t - y)^2`, the definition nothing else uses.
    #expect(figure.location.start.line == 11)
    let notebook = Notebook(parsing: SourceFile(path: "f.md", text: text))
    let math = notebook.cells.compactMap { cell -> MathCell? in if case .math(let m) = cell { return m } else { return nil } }
    #expect(figure.offset == math[2].contentRange.start.offset)
    guard case .graph(let graph) = figure.content else { Issue.record("not a graph"); return }
    #expect(graph.nodes.map(\.id) == ["w[1]", "x", "h", "w[2]", "y", "t", "E"])
    // w₁ is differentiated with respect to, so it is a parameter.
    #expect(graph.nodes.map(\.kind.rawValue) == ["parameter", "input", "intermediate", "input", "output", "input", "loss"])
}

@Test(arguments: [
    "<!-- nb: no-graph -->\n",
    "Some prose.\n\n<!--\nnb: no-graph\n-->\n",
])
func noGraphTurnsTheAutomaticGraphOff(_ comment: String) throws {
    let text = try Corpus.text("Tests/VerifyTests/Corpus/scalar-chain.md")
    let report = check(text + "\n" + comment)
    #expect(report.figures.isEmpty)
    #expect(report.diagnostics.isEmpty)
}

@Test func noGraphWithoutEnoughDefinitionsOrWithANetwork() throws {
    // Two definitions are not a graph worth drawing.
    #expect(check("# Two\n\n$$\nh = w x\n$$\n\n$$\nE = h^2\n$$\n").figures.isEmpty)
    // A note with a network draws the network instead.
    let network = try Corpus.text("Tests/VerifyTests/Corpus/four-equations.md")
    #expect(check(network).figures.isEmpty)
}

@Test func theExampleNoteChecksCleanly() throws {
    let report = check(try Corpus.text("Tests/VerifyTests/Corpus/figures.md"))
    #expect(report.diagnostics.isEmpty)
    #expect(report.failures.isEmpty)
    #expect(report.figures.map { figure -> String in
        switch figure.content {
        case .plot: "plot"
        case .training: "training"
        case .paths: "paths"
        case .graph: "graph"
        }
    } == ["plot", "paths", "training"])
}

@Test func membersOfADrawnFamilyAreOneQuantityInAPathSum() throws {
    // The sum makes v an array the checker draws as one vector: v_1 and v_2 are its elements.
    let report = check(twoHidden + "$$\n\\sum_{k=1}^{2} v_k h_k = y\n$$\n\n```nb\nshow: paths w_1 -> E\nshow: paths v_1 -> E\n```\n")
    #expect(report.diagnostics.isEmpty)
    #expect(report.steps.filter { $0.status == .verified }.count == 3)
    #expect(report.figures.count == 2)
    guard case .paths(let sum)? = report.figures.last?.content else { Issue.record("no path sum"); return }
    #expect(sum.terms.map(\.path) == [["v[1]", "y", "E"]])
    #expect(sum.holds)
}
