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
            PATH may be notes or folders (searched for *.md and *.markdown). Reads \
            each note, typesets its math, resolves its links, and prints every \
            problem. Exits 1 when any note has an error, 2 when PATH holds no notes. The limits come from site.yml \
            in the first folder given, then from --limit.

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
    var seed: UInt64 = 7

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
            Console.standardError(error.description + "\n")
            throw ExitCode(2)
        }
        // A CI job pointed at the wrong folder must not pass by checking nothing.
        guard !notes.isEmpty else {
            Console.standardError("nbrun: error: no notes (*.md, *.markdown) in \(paths.joined(separator: ", ")); nothing to check\n")
            throw ExitCode(2)
        }
        if let shard {
            do {
                let part = try Shard(parsing: shard)
                notes = notes.enumerated().filter { part.contains(position: $0.offset) }.map(\.element)
            } catch {
                Console.standardError("nbrun: error: \(error)\n")
                throw ExitCode(2)
            }
        }
        var pipeline: Pipeline
        do {
            let folder = paths.first { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            pipeline = try Pipeline(themeDirectory: theme, limits: limitOptions.limits(folder: folder))
            pipeline.verifier.seed = seed
        } catch {
            Console.standardError("nbrun: error: \(error)\n")
            throw ExitCode(2)
        }
        var outcomes: [Pipeline.Outcome] = []
        var unreadable = false
        // Each folder's files are listed once, not once per note.
        var listings: [String: NoteFiles] = [:]
        for note in notes {
            do {
                var root = paths.first { note.hasPrefix($0) && note != $0 } ?? (note as NSString).deletingLastPathComponent
                if root.isEmpty { root = "." }
                let files = listings[root] ?? NoteFiles.scan(root: root)
                listings[root] = files
                outcomes.append(try pipeline.process(notePath: note, root: root, files: files, outputPath: RunCommand.pagePath(for: note), write: false))
            } catch let error as SourceFileError {
                Console.standardError(error.description + "\n")
                unreadable = true
            } catch {
                Console.standardError("nbrun: error: \(error)\n")
                throw ExitCode(2)
            }
        }
        let errors = outcomes.reduce(0) { $0 + $1.errorCount }
        let warnings = outcomes.reduce(0) { $0 + $1.warningCount }
        switch format {
        case .text:
            var sources: [String: SourceFile] = [:]
            for outcome in outcomes { sources[outcome.source.path] = outcome.source }
            Console.report(outcomes.flatMap(\.diagnostics), sources: sources)
            Console.standardOutput(
                "\(Console.plural(outcomes.count, "note")), \(Console.plural(outcomes.reduce(0) { $0 + $1.mathCount }, "equation")), seed \(seed): "
                    + "\(Console.stepCounts(outcomes.map(\.report))); "
                    + "\(Console.plural(errors, "error")), \(Console.plural(warnings, "warning")) in \(Console.milliseconds(since: start))\n"
            )
        case .github:
            for diagnostic in outcomes.flatMap(\.diagnostics) {
                let kind = diagnostic.severity == .error ? "error" : (diagnostic.severity == .warning ? "warning" : "notice")
                let location = diagnostic.range.start
                Console.standardOutput("::\(kind) file=\(location.file),line=\(location.line),col=\(location.column)::\(Self.githubEscaped(diagnostic.message))\n")
            }
        case .json:
            Console.standardOutput(CheckReportJSON.encode(outcomes) + "\n")
        }
        if errors > 0 || unreadable { throw ExitCode(unreadable && errors == 0 ? 2 : 1) }
    }

    static func githubEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }
}

/// The machine-readable report of `nbrun check --format json`:
/// `{"files": [{"path", "results": [{"line", "column", "status", "message", "lhs", "rhs"}], "diagnostics": […], "readings": […]}],
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

    static func encode(_ outcomes: [Pipeline.Outcome]) -> String {
        let files = outcomes.map { outcome in
            File(
                path: outcome.source.path,
                results: outcome.report.steps.map { step in
                    Result(line: step.location.start.line, column: step.location.start.column, status: step.status.rawValue,
                           message: step.message, lhs: step.left, rhs: step.right, lhsValue: step.leftValue, rhsValue: step.rightValue)
                },
                diagnostics: (outcome.diagnostics).map {
                    Entry(line: $0.range.start.line, column: $0.range.start.column, severity: $0.severity.rawValue, message: $0.message)
                },
                readings: outcome.report.readings
            )
        }
        let reports = outcomes.map(\.report)
        let report = Report(
            files: files,
            summary: Summary(
                verified: reports.reduce(0) { $0 + $1.count(.verified) },
                failed: reports.reduce(0) { $0 + $1.count(.failed) },
                unchecked: reports.reduce(0) { $0 + $1.count(.unchecked) },
                errors: outcomes.reduce(0) { $0 + $1.errorCount }
            )
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
