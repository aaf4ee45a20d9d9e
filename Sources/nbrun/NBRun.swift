import ArgumentParser

@main
struct NBRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nbrun", abstract: "Run Markdown notes as notebooks and check their math.")
}
