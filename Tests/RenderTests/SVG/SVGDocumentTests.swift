import Testing
@testable import Render

@Test func theRootIsAnAccessibleImageWithEscapedTitle() {
    var document = SVGDocument()
    document.line(x1: 0, y1: 0.04, x2: 10.25, y2: 5, class: "nb-edge")
    document.text("a<b", x: 1, y: 2, fontSize: 12, anchor: .start, class: "nb-muted")
    let svg = document.svg(width: 100, height: 50.5, idPrefix: "cell 3", title: "A \"quoted\" <title>", description: "x & y", className: "nb-test")
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nb-diagram nb-test\" id=\"cell-3\" viewBox=\"0 0 100 50.5\" width=\"100\" height=\"50.5\" role=\"img\" aria-label=\"A &quot;quoted&quot; &lt;title&gt;\" aria-describedby=\"cell-3-desc\""))
    #expect(svg.contains("<title>A &quot;quoted&quot; &lt;title&gt;</title>\n<desc id=\"cell-3-desc\">x &amp; y</desc>\n"))
    #expect(svg.contains("<line class=\"nb-edge\" x1=\"0\" y1=\"0\" x2=\"10.3\" y2=\"5\"/>\n"))
    #expect(svg.contains("<text class=\"nb-muted\" x=\"1\" y=\"2\" font-size=\"12\">a&lt;b</text>"))
    #expect(svg.hasSuffix("</svg>\n"))
}

@Test(arguments: [("cell-3", "cell-3"), ("3 cell<x>", "d3-cell-x-"), ("", "d"), ("é", "d-")])
func idsAreMadeSafe(_ prefix: String, _ id: String) {
    #expect(SVGDocument.identifier(prefix) == id)
}
