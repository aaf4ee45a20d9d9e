import nbrun

// The `nbrun` program. Everything it does is in the `nbrun` module; this
// target exists so that the program links neither the preview server nor the
// libraries behind it (see Package.swift).
NBRun.main()
