import ArgumentParser
import Backprop
import Foundation
import nbrun
import Preview
import Site

/// One `nbrun serve`: builds the site into a folder, serves it, rebuilds on
/// change, and prints each build's outcome.
struct PreviewSession {
    let command: ServeCommand

    init(_ command: ServeCommand) {
        self.command = command
    }

    func run() throws {
        // OpenBLAS's idle worker would spin between rebuilds.
        BLAS.releaseIdleThreads()
        let directory = command.directory
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure.environment("\(directory): not a folder of notes")
        }
        let folder: String
        var temporary: TemporarySite?
        if let output = command.output {
            folder = output
        } else {
            do {
                temporary = try TemporarySite()
            } catch {
                Console.standardError("nbrun: error: \(error)\n")
                throw ExitCode(2)
            }
            folder = temporary?.path ?? ""
        }
        defer { temporary?.remove() }
        let builder: SiteBuilder
        do {
            builder = try BuildCommand.builder(notes: directory, output: folder, theme: command.theme)
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        var options = builder.options
        options.baseURL = "/"
        options.includeDrafts = command.drafts
        options.limitSettings = command.limitOptions.settings
        options.seed = command.seed
        let preview = SitePreview(builder: SiteBuilder(options: options, katex: builder.katex), port: UInt16(command.port))
        do {
            try preview.run(stopAfter: command.stopAfter.map { .milliseconds(Int($0 * 1000)) }) { event in
                switch event {
                case .listening(let url):
                    Console.standardOutput("Serving \(directory) at \(url) (Ctrl-C stops)\n")
                case .built(let report, let elapsed):
                    BuildCommand.print(report.diagnostics)
                    Console.standardOutput("rebuilt: \(report.rendered) rendered, \(report.written.count) written, "
                        + "\(Console.plural(report.errorCount, "error")), \(Console.plural(report.warningCount, "warning")) in \(Console.milliseconds(elapsed))\n")
                case .failed(let message):
                    Console.standardError("nbrun: error: \(message)\n")
                }
            }
        } catch {
            throw CommandFailure.environment("\(error)")
        }
    }
}

/// The folder `nbrun serve` builds into when not told one: made by `mkdtemp` (a name no one
/// can guess, readable by its owner only) and removed when serving ends, by Ctrl-C too.
final class TemporarySite: @unchecked Sendable {
    let path: String
    private var interruption: Interruption.Token?

    init() throws {
        var template = Array((NSTemporaryDirectory() + "nbrun-serve-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot make a temporary folder: \(String(cString: strerror(errno)))"])
        }
        path = String(cString: made)
        interruption = Interruption.onSignal { [path] in try? FileManager.default.removeItem(atPath: path) }
    }

    func remove() {
        if let interruption { Interruption.cancel(interruption) }
        try? FileManager.default.removeItem(atPath: path)
    }
}
