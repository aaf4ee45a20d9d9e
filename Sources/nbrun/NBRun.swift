import ArgumentParser
import Foundation
import Render

/// The `nbrun` command: wires the pipeline stages together; no logic of its own.
/// The `nbrun` program (Sources/nbrun-cli) only calls `NBRun.main()`.
package struct NBRun: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "nbrun",
        abstract: "Run Markdown notes as notebooks and check the math of their derivations.",
        discussion: """
            nbrun reads notes written in Markdown with LaTeX math (Obsidian notes, \
            Jekyll posts), typesets their math at build time, and writes HTML pages \
            that need no JavaScript to show it.

            EXAMPLES
              nbrun notebooks/hidden-layers.md          Render one note to notebooks/hidden-layers.html
              nbrun notebooks/hidden-layers.md -o out/  Render it into another folder
              nbrun check notebooks                     Check every note under a folder (for CI)
              nbrun build notebooks -o _site            Render a folder of notes as a site
              nbrun serve notebooks                     Preview a folder of notes

            EXIT CODES
              0  success
              1  a note has problems (errors are printed as file:line:col)
              2  usage or environment problems (missing file, KaTeX or node not installed)
            """,
        version: Version.nbrun,
        subcommands: [RunCommand.self, CheckCommand.self, BuildCommand.self, ServeCommand.self],
        defaultSubcommand: RunCommand.self
    )

    package init() {}

    /// Parses like ArgumentParser does, but exits with 2 (not 64) on usage errors,
    /// as the documented exit codes say.
    package static func main() {
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let word = CommandLine.arguments.dropFirst().first, let meant = CommandSuggestion.command(meantBy: word, commands: commands) {
            Console.standardError("nbrun: error: '\(word)' is neither a command nor a note; did you mean 'nbrun \(meant)'?\n")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            finish(with: error)
        }
    }

    /// Ends the process for an error of any command: a `CommandFailure`'s code,
    /// 0 after `--help` and `--version`, 2 for usage errors, else 1 or 2.
    package static func finish(with error: any Error) -> Never {
        if let failure = error as? CommandFailure {
            if !failure.description.isEmpty { Console.standardError(failure.description + "\n") }
            Foundation.exit(failure.exitCode.rawValue)
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            Foundation.exit(0)
        }
        if let exit = error as? ExitCode {
            Foundation.exit(exit.rawValue)
        }
        if !message.isEmpty { Console.standardError(message + "\n") }
        Foundation.exit(code == .validationFailure ? 2 : (code.rawValue == 1 ? 1 : 2))
    }
}
