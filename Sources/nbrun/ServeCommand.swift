import ArgumentParser
import Backprop
import Foundation
import Site

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview a folder of notes in the browser (127.0.0.1), rebuilding on change.",
        discussion: """
            Builds the site into a folder (default: a temporary one), serves it on \
            127.0.0.1, rebuilds when a note, asset, site.yml or the theme changes, \
            and reloads the open page. Problems show as an overlay on the page, \
            with file:line. Only files of the built site are ever served.

            EXAMPLES
              nbrun serve notebooks
              nbrun serve notebooks --port 8080 -o _preview
            """
    )

    @Argument(help: "The folder of notes.")
    var directory: String

    @Option(help: "The port to listen on, on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8000

    @Option(name: .shortAndLong, help: "The folder to build into (default: a temporary folder).")
    var output: String?

    @Option(help: "A theme folder (default: the repository's site/).")
    var theme: String?

    @Option(help: "Stop after this many seconds (for scripts and tests).")
    var stopAfter: Double?

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        // OpenBLAS's idle worker would spin through most of a short command.
        BLAS.releaseIdleThreads()
        let folder = output ?? NSTemporaryDirectory() + "nbrun-serve-\(ProcessInfo.processInfo.processIdentifier)"
        let builder: SiteBuilder
        do {
            builder = try BuildCommand.builder(notes: directory, output: folder, theme: theme)
        } catch {
            Console.standardError("nbrun: error: \(error)\n")
            throw ExitCode(2)
        }
        var options = builder.options
        options.baseURL = "/"
        options.limitSettings = limitOptions.settings
        let preview = SitePreview(builder: SiteBuilder(options: options, katex: builder.katex), port: UInt16(clamping: max(0, port)))
        do {
            try preview.run(stopAfter: stopAfter.map { .milliseconds(Int($0 * 1000)) }) { event in
                switch event {
                case .listening(let url):
                    Console.standardOutput("Serving \(directory) at \(url) (Ctrl-C stops)\n")
                case .built(let report, let elapsed):
                    BuildCommand.print(report.diagnostics)
                    Console.standardOutput("rebuilt: \(report.rendered) rendered, \(report.written.count) written, "
                        + "\(Console.plural(report.errorCount, "error")), \(Console.plural(report.warningCount, "warning")) in \(elapsed)\n")
                case .failed(let message):
                    Console.standardError("nbrun: error: \(message)\n")
                }
            }
        } catch {
            Console.standardError("nbrun: error: \(error)\n")
            throw ExitCode(2)
        }
    }
}
