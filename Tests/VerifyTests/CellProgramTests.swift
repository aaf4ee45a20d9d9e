import Diagnostics
import Notebook
import Testing
@testable import Verify

/// A note whose only cell is `body`, fenced from line 3 on.
private func program(_ body: String) -> CellProgram {
    let text = "# T\n\n```nb {#net}\n" + body + "```\n"
    let source = SourceFile(path: "c.md", text: text)
    let start = "# T\n\n```nb {#net}\n".utf8.count
    let cell = CodeCell(
        language: "nb", id: "net", flags: [], attributes: [], source: body,
        range: source.range(from: 5, to: text.utf8.count),
        contentRange: source.range(from: start, to: start + body.utf8.count)
    )
    return CellProgram(cell: cell, source: source)
}

@Test func readsANetworkCell() {
    let cell = program("""
        network: 3 -> 5 -> 4 -> 2   # widths
        activation: tanh
        output: softmax
        loss: cross-entropy
        seed: 7
        names: weights W, pre-activations z, loss \\mathcal{L}(\\theta)
        input: [0.5, -1, 2]
        let w_{11}^2 = 0.25
        show: table \\frac{\\partial L}{\\partial h_{ij}}

        """)
    #expect(cell.diagnostics.isEmpty)
    #expect(cell.statements.map(\.kind) == [
        .network(widths: [3, 5, 4, 2]),
        .activation("tanh"),
        .output("softmax"),
        .loss("cross-entropy"),
        .seed(7),
        .names([("weights", "W"), ("pre-activations", "z"), ("loss", "\\mathcal{L}(\\theta)")]),
        .input([0.5, -1, 2]),
        .assignment(tex: "w_{11}^2", values: [0.25], isVector: false),
        .show("table \\frac{\\partial L}{\\partial h_{ij}}"),
    ])
    #expect(cell.statements[0].range.start.description == "c.md:4:1")
    #expect(cell.statements[7].valueRange.start.description == "c.md:11:5")
}

@Test(arguments: [
    ("network: 3 -> x\n", "c.md:4:10: error: expected layer widths such as `3 -> 5 -> 2` (at least two positive widths), found '3 -> x'"),
    ("activation: swish\n", "c.md:4:13: error: 'swish' is not a known activation; use one of: identity, sigmoid, tanh, relu"),
    ("colour: red\n", "c.md:4:1: error: unknown cell key 'colour'; known keys: network, activation, output, loss, init, seed, names, input, target, train, show, and `let`"),
    ("network: 3 -> 1000000\n", "c.md:4:10: error: a layer of 1000000 neurons is over the limit of 100000"),
    ("seed: -1\n", "c.md:4:7: error: expected a whole number from 0 to 18446744073709551615 as the seed, found '-1'"),
    ("just words\n", "c.md:4:1: error: expected `key: value` or `let name = value`, found 'just words'"),
    ("let x = nan\n", "c.md:4:5: error: expected `let SYMBOL = NUMBER` or `let SYMBOL = [NUMBERS]`, found 'let x = nan'"),
])
func badLinesAreReportedAtTheWordThatIsWrong(_ body: String, _ message: String) {
    let cell = program(body)
    #expect(cell.statements.isEmpty)
    #expect(cell.diagnostics.map(\.description) == [message])
}
