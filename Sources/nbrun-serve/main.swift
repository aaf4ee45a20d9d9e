import nbrun

// The `nbrun-serve` program: `nbrun serve ARGS…` runs `nbrun-serve ARGS…`.
// It alone links the HTTP server (Preview, on FlyingSocks), so that the other
// commands start without loading it.
do {
    let command = try ServeCommand.parse(Array(CommandLine.arguments.dropFirst()))
    try PreviewSession(command).run()
} catch {
    NBRun.finish(with: error)
}
