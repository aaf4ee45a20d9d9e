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
            Console.standardError("nbrun: error: \(directory): not a folder of notes\n")
            throw ExitCode(2)
        }
        let folder = command.output ?? NSTemporaryDirectory() + "nbrun-serve-\(ProcessInfo.processInfo.processIdentifier)"
        // A folder of our own making goes when the server does, by Ctrl-C, a stop signal or --stop-after.
        let temporary = command.output == nil ? folder : nil
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        let signals = temporary.map(Self.removeOnSignal) ?? []
        let builder: SiteBuilder
        do {
            builder = try BuildCommand.builder(notes: directory, output: folder, theme: command.theme)
        } catch {
            Console.standardError("nbrun: error: \(error)\n")
            throw ExitCode(2)
        }
        var options = builder.options
        options.baseURL = "/"
        options.includeDrafts = command.drafts
        options.limitSettings = command.limitOptions.settings
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
            Console.standardError("nbrun: error: \(error)\n")
            throw ExitCode(2)
        }
        signals.forEach { $0.cancel() }
    }

    /// On SIGINT or SIGTERM: removes `folder`, then exits as the signal would have (128 + its number).
    private static func removeOnSignal(_ folder: String) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: folder)
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
