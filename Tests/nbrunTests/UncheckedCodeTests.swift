import Foundation
import Testing

/// An unchecked step's code says why, in every output format, and `nb: allow` silences it
/// by that code or by the whole family `verify.unchecked`.
@Suite(.serialized) struct UncheckedCodeTests {
    static let note = "# U\n\n$$ 1 \\leq 2 $$\n\n$$ y = w x $$\n\n$$ \\frac{\\partial y}{\\partial v} = 0 $$\n"

    struct JSONReport: Decodable {
        struct File: Decodable {
            var results: [Result]
            var diagnostics: [Entry]
        }
        struct Result: Decodable, Equatable {
            var line: Int
            var status: String
            var code: String?
        }
        struct Entry: Decodable, Equatable {
            var line: Int
            var code: String?
        }
        var files: [File]
    }

    @Test func jsonAndGithubCarryTheReasonsCode() throws {
        let folder = try DiagnosticCodeTests.folder(["u.md": Self.note])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let json = try NBRunProcess.run(["check", folder, "--format", "json"])
        #expect(json.status == 0, "\(json.standardError)")
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(json.standardOutput.utf8))
        #expect(report.files.flatMap(\.results) == [
            .init(line: 3, status: "unchecked", code: "verify.unchecked.relation"),
            .init(line: 5, status: "defined", code: nil),
            .init(line: 7, status: "unchecked", code: "verify.unchecked.disconnected-derivative"),
        ])
        #expect(report.files.flatMap(\.diagnostics) == [
            .init(line: 3, code: "verify.unchecked.relation"),
            .init(line: 7, code: "verify.unchecked.disconnected-derivative"),
        ])
        let github = try NBRunProcess.run(["check", folder, "--format", "github"])
        #expect(github.standardOutput.contains("::warning file=\(folder)/u.md,line=3,col=6,title=verify.unchecked.relation::unchecked: the relation ≤ is not checked\n"),
                "\(github.standardOutput)")
    }

    @Test(arguments: [
        ("verify.unchecked.relation", 1, "title=verify.unchecked.disconnected-derivative"),
        ("verify.unchecked", 0, ""),
    ])
    func aNoteAllowsOneReasonOrAll(_ allowed: String, _ warnings: Int, _ left: String) throws {
        let folder = try DiagnosticCodeTests.folder(["u.md": "<!-- nb: allow \(allowed) -->\n\n" + Self.note])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = try NBRunProcess.run(["check", folder, "--format", "github"])
        #expect(check.status == 0)
        let annotations = check.standardOutput.split(separator: "\n").filter { $0.hasPrefix("::warning") }
        #expect(annotations.count == warnings, "\(check.standardOutput)")
        #expect(left.isEmpty || annotations.allSatisfy { $0.contains(left) })
    }

    @Test func siteYmlAllowsTheFamilyInCheckAndBuild() throws {
        let folder = try DiagnosticCodeTests.folder(["site.yml": "allow: [verify.unchecked]\n", "u.md": Self.note])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = try NBRunProcess.run(["check", folder])
        let build = try NBRunProcess.run(["build", folder, "-o", folder + "-site"])
        defer { try? FileManager.default.removeItem(atPath: folder + "-site") }
        #expect(check.standardError == "")
        #expect(build.standardError == "")
        #expect(check.standardOutput.contains(": 0 verified, 0 failed, 2 unchecked; 0 errors, 0 warnings in "), "\(check.standardOutput)")
        #expect(build.standardOutput.contains("; 0 errors, 0 warnings in "), "\(build.standardOutput)")
    }
}
