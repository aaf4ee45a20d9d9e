import ArgumentParser
import Backprop
import Diagnostics
import Foundation
import Render
import Site
import Verify

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check notes without writing pages: every problem as file:line:col, for CI.",
        discussion: """
            PATH may be notes or folders (*.md and *.markdown, listed as \
            `nbrun build` lists them: site.yml's exclude is left out). Reads each \
            note, typesets its math, resolves its links, and prints every problem. \
            Exits 1 when any note has an error, 2 when PATH holds no notes. The \
            macros, trust, allowed codes and limits come from site.yml in the \
            first folder given, then from --limit. Each problem carries a code \
            (docs/diagnostics.md); `<!-- nb: allow CODE -->` in a note or `allow:` \
            in site.yml silences a warning's code.

            EXAMPLES
              nbrun check notebooks
              nbrun check docs/ notes/extra.md --format github
              nbrun check notes --shard 2/4 --format github   (one machine of four)
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    @Argument(help: "Notes or folders of notes.")
    var paths: [String]

    @Option(help: "How to print problems: text, json or github (workflow annotations).")
    var format: Format = .text

    @Option(help: "A theme folder (default: the repository's site/).")
    var theme: String?

    @Option(help: "The seed free inputs are drawn with; the same seed gives the same numbers.")
    var seed: UInt64 = Verifier.defaultSeed

    @Flag(help: "Broken links and equation references are errors (exit 1), as in `nbrun build --strict`.")
    var strict = false

    @Option(help: "Check only part I of N of the notes (as `build --shard` splits them), for a CI matrix.")
    var shard: String?

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        let start = ContinuousClock.now
        // OpenBLAS's idle worker would spin through most of a short command.
        BLAS.releaseIdleThreads()
        var notes: [String]
        do {
            notes = try NoteFinder.notes(in: paths)
        } catch {
            throw CommandFailure.unreadable(error.description)
        }
        // A CI job pointed at the wrong folder must not pass by checking nothing.
        guard !notes.isEmpty else {
            throw CommandFailure.environment("no notes (*.md, *.markdown) in \(paths.joined(separator: ", ")); nothing to check")
        }
        if let shard {
            do {
                let part = try Shard(parsing: shard)
                notes = notes.enumerated().filter { part.contains(position: $0.offset) }.map(\.element)
            } catch {
                throw CommandFailure.environment("\(error)")
            }
        }
        let pipeline: NotePipeline
        // site.yml's own problems, reported as `nbrun build` reports them.
        let configurationProblems: [Diagnostic]
        do {
            let folder = paths.first { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            let loaded = try NoteSettings.load(folder: folder, limitSettings: limitOptions.settings)
            var settings = loaded.settings
            configurationProblems = loaded.problems.filter { settings.reports($0) }
            settings.seed = seed
            settings.strict = strict
            pipeline = try NotePipeline.located(theme: theme, settings: settings).pipeline
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        var outcomes: [NoteOutcome] = []
        var unreadable = false
        // Each folder's files are listed once, not once per note, with the notes' `aliases:`
        // (as `build` has them), so a wiki link to another name of a note is not broken here.
        var listings: [String: NoteFiles] = [:]
        for note in notes {
            do {
                var root = paths.first { note.hasPrefix($0) && note != $0 } ?? (note as NSString).deletingLastPathComponent
                if root.isEmpty { root = "." }
                let files = listings[root] ?? NoteFiles.scan(root: root).readingAliases()
                listings[root] = files
                let placement = NotePlacement(root: root, files: files, outputPath: RunCommand.pagePath(for: note))
                let source = try SourceFile.read(path: note, sizeLimit: pipeline.settings.limits.maxNoteBytes)
                outcomes.append(try pipeline.compile(source, placement: placement))
            } catch let error as SourceFileError {
                Console.standardError(error.description + "\n")
                unreadable = true
            } catch {
                throw CommandFailure.environment("\(error)")
            }
        }
        let diagnostics = configurationProblems + outcomes.flatMap(\.diagnostics)
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count { $0.severity == .warning }
        switch format {
        case .text:
            var sources: [String: SourceFile] = [:]
            for outcome in outcomes { sources[outcome.source.path] = outcome.source }
            for problem in configurationProblems { sources[problem.range.file] = try? SourceFile.read(path: problem.range.file) }
            Console.report(diagnostics, sources: sources)
            Console.standardOutput(
                "\(Console.plural(outcomes.count, "note")), \(Console.plural(outcomes.reduce(0) { $0 + $1.page.mathCount }, "equation")), seed \(seed): "
                    + "\(Console.stepCounts(outcomes.map(\.report))); "
                    + "\(Console.plural(errors, "error")), \(Console.plural(warnings, "warning")) in \(Console.milliseconds(since: start))\n"
            )
        case .github:
            for diagnostic in diagnostics {
                let kind = diagnostic.severity == .error ? "error" : (diagnostic.severity == .warning ? "warning" : "notice")
                let location = diagnostic.range.start
                // The code is the annotation's title, so a workflow's summary groups by it.
                let title = diagnostic.id.map { ",title=\(Self.githubEscaped($0.code))" } ?? ""
                Console.standardOutput("::\(kind) file=\(location.file),line=\(location.line),col=\(location.column)\(title)::\(Self.githubEscaped(diagnostic.message))\n")
            }
        case .json:
            Console.standardOutput(CheckReportJSON.encode(outcomes, configurationProblems: configurationProblems) + "\n")
        }
        if errors > 0 { throw CommandFailure.noteErrors }
        if unreadable { throw CommandFailure.unreadableNotes }
    }

    static func githubEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }
}

/// The machine-readable report of `nbrun check --format json`:
/// `{"files": [{"path", "results": [{"line", "column", "status", "code", "message", "lhs", "rhs"}],
///   "diagnostics": [{"line", "column", "severity", "code", "message"}], "readings": […]}],
///   "summary": {"verified", "failed", "unchecked", "errors"}}`. `line` is the line of the step's relation sign.
enum CheckReportJSON {
    struct File: Encodable {
        var path: String
        var results: [Result]
        var diagnostics: [Entry]
        /// How the note's notation was read: "read `net` as one name".
        var readings: [String]
    }

    struct Result: Encodable {
        var line: Int
        var column: Int
        var status: String
        /// The code of the step's warning or error (`verify.unchecked.relation`); none for a fine step.
        var code: String?
        var message: String
        var lhs: String
        var rhs: String
        var lhsValue: String?
        var rhsValue: String?
    }

    struct Entry: Encodable {
        var line: Int
        var column: Int
        var severity: String
        /// The message's stable code (docs/diagnostics.md).
        var code: String?
        var message: String
    }

    struct Summary: Encodable {
        var verified: Int
        var failed: Int
        var unchecked: Int
        var errors: Int
    }

    struct Report: Encodable {
        var files: [File]
        var summary: Summary
    }

    static func entry(_ diagnostic: Diagnostic) -> Entry {
        Entry(line: diagnostic.range.start.line, column: diagnostic.range.start.column, severity: diagnostic.severity.rawValue,
              code: diagnostic.id?.code, message: diagnostic.message)
    }

    static func encode(_ outcomes: [NoteOutcome], configurationProblems: [Diagnostic] = []) -> String {
        var files = outcomes.map { outcome in
            File(
                path: outcome.source.path,
                results: outcome.report.steps.map { step in
                    Result(line: step.location.start.line, column: step.location.start.column, status: step.status.rawValue,
                           code: step.code?.code, message: step.message, lhs: step.left, rhs: step.right, lhsValue: step.leftValue, rhsValue: step.rightValue)
                },
                diagnostics: outcome.diagnostics.map(entry),
                readings: outcome.report.readings
            )
        }
        for (path, problems) in Dictionary(grouping: configurationProblems, by: \.range.file).sorted(by: { $0.key < $1.key }) {
            files.insert(File(path: path, results: [], diagnostics: problems.map(entry), readings: []), at: 0)
        }
        let reports = outcomes.map(\.report)
        let report = Report(
            files: files,
            summary: Summary(
                verified: reports.reduce(0) { $0 + $1.count(.verified) },
                failed: reports.reduce(0) { $0 + $1.count(.failed) },
                unchecked: reports.reduce(0) { $0 + $1.count(.unchecked) },
                errors: outcomes.reduce(0) { $0 + $1.errorCount } + configurationProblems.count { $0.severity == .error }
            )
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
