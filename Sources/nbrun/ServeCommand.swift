import ArgumentParser
import Foundation
import Verify

package struct ServeCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
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
    package var directory: String

    @Option(help: "The port to listen on, on 127.0.0.1 (0 picks a free one).")
    package var port: Int = 8000

    @Option(name: .shortAndLong, help: "The folder to build into (default: a temporary folder).")
    package var output: String?

    @Option(help: "A theme folder (default: the repository's site/).")
    package var theme: String?

    @Option(help: "The seed free inputs are drawn with; the same seed gives the same numbers.")
    package var seed: UInt64 = Verifier.defaultSeed

    @Flag(help: "Show drafts too: notes with `draft: true` or `published: false`, and those under _drafts/.")
    package var drafts = false

    @Option(help: "Stop after this many seconds (for scripts and tests).")
    package var stopAfter: Double?

    @OptionGroup package var limitOptions: LimitOptions

    package init() {}

    package func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be from 0 to 65535 (0 picks a free one), not \(port)")
        }
    }

    /// Hands over to the `nbrun-serve` program next to this one, with the same
    /// arguments: only that program links the HTTP server.
    package func run() throws {
        let arguments = Array(CommandLine.arguments.drop { $0 != "serve" }.dropFirst())
        guard let folder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() else {
            throw CommandFailure.environment("cannot tell where the nbrun program is, to find nbrun-serve beside it")
        }
        let program = folder.appendingPathComponent("nbrun-serve").path
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw CommandFailure.environment("`nbrun serve` needs the nbrun-serve program beside nbrun (\(program)); "
                + "build it with `swift build -c release --product nbrun-serve` (scripts/setup.sh does)")
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(program, &argv)
        throw CommandFailure.environment("cannot start \(program): \(String(cString: strerror(errno)))")
    }
}
