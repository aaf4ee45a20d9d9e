import Testing
@testable import Render

@Test func subscriptsAndSuperscriptsBecomeRuns() {
    let label = MathLabel("w_{11}^2")
    #expect(label.runs == [.init(text: "w", position: .baseline), .init(text: "11", position: .subscript), .init(text: "2", position: .superscript)])
    #expect(label.plainText == "w₁₁²")
    #expect(label.html == "w<sub>11</sub><sup>2</sup>")
}

@Test func svgScriptsShiftWithDyAndASuperscriptStacksOverTheSubscript() {
    // Subscript 0.3 em down at 75 %; the superscript moves back by the
    // subscript's estimated width (2 × 0.6 × 12 × 0.75 = 10.8) and up to −0.4 em.
    #expect(MathLabel("w_{11}^2").svgText(fontSize: 12)
        == "w<tspan dy=\"3.6\" font-size=\"9\">11</tspan><tspan dx=\"-10.8\" dy=\"-8.4\" font-size=\"9\">2</tspan>")
    // Back on the baseline after a script.
    #expect(MathLabel("h_1 + b").svgText(fontSize: 10) == "h<tspan dy=\"3\" font-size=\"7.5\">1</tspan><tspan dy=\"-3\"> + b</tspan>")
}

@Test(arguments: [
    ("\\hat{y}", "y\u{0302}"), ("\\sigma'(z_1)", "σ′(z₁)"), ("\\partial E/\\partial w_1", "∂E/∂w₁"),
    ("\\tanh x", "tanh x"), ("\\tanh(x)", "tanh(x)"), ("h_{ij}", "hᵢⱼ"), ("x_{q}", "x_q"), ("W^{[l]}", "W^{[l]}"),
    ("\\hat{y} - t", "y\u{0302} − t"), ("\\mathrm{loss}", "loss"), ("a^{b^c}", "aᵇᶜ"),
])
func plainTextReadsTheNotation(_ source: String, _ text: String) {
    #expect(MathLabel(source).plainText == text)
}

@Test(arguments: ["x_{1", "^", "_", "\\", "}}{", "\\hat", "\\hat{}", "{{{", ""])
func malformedLabelsDoNotTrap(_ source: String) {
    _ = MathLabel(source).svgText(fontSize: 12)
    _ = MathLabel(source).plainText
}

@Test func everyFormEscapesText() {
    let label = MathLabel("<b>&\"_{<i>}")
    #expect(label.html == "&lt;b&gt;&amp;&quot;<sub>&lt;i&gt;</sub>")
    #expect(!label.svgText(fontSize: 12).contains("<b>"))
    #expect(label.svgText(fontSize: 12).hasPrefix("&lt;b&gt;&amp;&quot;<tspan"))
}

@Test func widthEstimateCountsScriptsSmallerAndAccentsNotAtAll() {
    #expect(MathLabel("ab").estimatedWidth(fontSize: 10) == 12)
    #expect(MathLabel("\\hat{y}").estimatedWidth(fontSize: 10) == 6)
    #expect(MathLabel("w_{11}^2").estimatedWidth(fontSize: 10) == 6 + 9) // superscript stacked over the subscript
}
