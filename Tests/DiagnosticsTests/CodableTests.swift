import Diagnostics
import Foundation
import Testing

/// Locations, ranges and diagnostics as JSON (the site cache keeps them so).
struct CodableTests {
    @Test func aDiagnosticRoundTripsWithItsRangeAndCode() throws {
        let start = SourceLocation(file: "notes/a.md", line: 3, column: 7, offset: 41)
        let end = SourceLocation(file: "notes/a.md", line: 3, column: 9, offset: 43)
        let diagnostic = Diagnostic(.warning, Message("render.missing-note", "link target 'b.md' is not a note"),
                                    at: SourceRange(start: start, end: end), notes: ["a hint"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(diagnostic), as: UTF8.self)
        #expect(json == #"{"id":"render.missing-note","message":"link target 'b.md' is not a note","notes":["a hint"],"#
            + #""range":{"end":{"column":9,"file":"notes\/a.md","line":3,"offset":43},"#
            + #""start":{"column":7,"file":"notes\/a.md","line":3,"offset":41}},"severity":"warning"}"#)
        let decoded = try JSONDecoder().decode(Diagnostic.self, from: Data(json.utf8))
        #expect(decoded == diagnostic)
        #expect(decoded.id == "render.missing-note")
        #expect(decoded.range.end.offset == 43)
    }

    @Test func aDiagnosticWithoutACodeHasNoID() throws {
        let diagnostic = Diagnostic.error("odd", at: SourceRange(at: SourceLocation(file: "a.md", line: 1, column: 1, offset: 0)))
        let decoded = try JSONDecoder().decode(Diagnostic.self, from: try JSONEncoder().encode(diagnostic))
        #expect(decoded.id == nil)
        #expect(decoded == diagnostic)
    }
}
