import Diagnostics
import Foundation
import Notebook
import Testing
import Verify

/// A site keeps each note's report in its cache: read back, it says what the checker said.
struct ReportCodingTests {
    @Test func everyShowcaseReportReadsBackAsItWasWritten() throws {
        let folder = Corpus.repository + "/notebooks"
        let notes = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()
        #expect(notes.count >= 8)
        var figures = 0
        for name in notes {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let report = Corpus.check(text, path: "notebooks/" + name)
            // The site cache's encoder; a value that is not finite would not be kept (the note is then checked again).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(report)
            let decoded = try JSONDecoder().decode(Report.self, from: data)
            #expect(decoded == report, "\(name)")
            figures += report.figures.count
        }
        // Plots, training runs, path sums and graphs are among them.
        #expect(figures >= 5)
    }
}
