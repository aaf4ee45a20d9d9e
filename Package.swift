// swift-tools-version: 6.0
import PackageDescription

// One module per pipeline stage; data flows one way:
// Markdown → Notebook → MathSyntax → Backprop → Verify → Render → Site (→ Preview) → nbrun.
let package = Package(
    name: "nbrun",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nbrun", targets: ["nbrun-cli"]),
        // `nbrun serve` hands over to this program: only it links the HTTP server
        // (Preview, on FlyingSocks), so every other command starts in a few milliseconds.
        .executable(name: "nbrun-serve", targets: ["nbrun-serve"]),
        .library(name: "NBRunKit", targets: ["Notebook", "MathSyntax", "Backprop", "Verify", "Render", "Site"]),
        // The stages the fuzz targets (Fuzz/) drive: no KaTeX, no server.
        .library(name: "NBRunChecker", targets: ["Diagnostics", "Notebook", "MathSyntax", "Backprop", "Verify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C libraries from Debian, each behind one Swift file.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Our own inline C, not a library: atomics, the pause hint and the futex calls
        // of the trainer's thread handoff (Backprop/PairWorker.swift), which Swift lacks.
        .systemLibrary(name: "CFutex"),

        .target(name: "Diagnostics"),
        .target(name: "Notebook", dependencies: ["Diagnostics", "CCmarkGFM", "Yams"]),
        .target(name: "MathSyntax", dependencies: ["Diagnostics"]),
        .target(name: "Backprop", dependencies: ["COpenBLAS", "CFutex"], exclude: ["README.md"]),
        .target(name: "Verify", dependencies: ["Diagnostics", "Notebook", "MathSyntax", "Backprop"]),
        .target(
            name: "Render",
            dependencies: ["Diagnostics", "Notebook", "MathSyntax", "Verify", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .target(
            name: "Site",
            dependencies: [
                "Diagnostics", "Notebook", "Verify", "Render", "Yams",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "Preview",
            dependencies: [
                "Diagnostics", "Site",
                // Only FlyingSocks' non-blocking sockets: the HTTP on them is PreviewServer's own,
                // which bounds the request head (FlyingFox's HTTP layer reads a request line unbounded).
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        // The commands; the two programs below only start them.
        .target(
            name: "nbrun",
            dependencies: [
                "Diagnostics", "Notebook", "Backprop", "Verify", "Render", "Site",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "nbrun-cli",
            dependencies: ["nbrun"]
        ),
        .executableTarget(
            name: "nbrun-serve",
            dependencies: [
                "nbrun", "Preview", "Site", "Backprop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Every test target names each module it imports.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "NotebookTests", dependencies: ["Diagnostics", "Notebook"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MathSyntaxTests", dependencies: ["Diagnostics", "MathSyntax"]),
        .testTarget(name: "BackpropTests", dependencies: ["Backprop"]),
        .testTarget(name: "VerifyTests", dependencies: ["Diagnostics", "Notebook", "MathSyntax", "Verify"], exclude: ["Corpus"]),
        .testTarget(name: "RenderTests", dependencies: ["Diagnostics", "Notebook", "Verify", "Render", "TestSupport"]),
        .testTarget(
            name: "nbrunTests",
            dependencies: ["nbrun", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["Notes"]
        ),
        .testTarget(name: "SiteTests", dependencies: ["Diagnostics", "Notebook", "Render", "Site", "Preview", "TestSupport", "Verify"]),
    ]
)
