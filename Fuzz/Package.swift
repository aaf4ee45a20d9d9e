// swift-tools-version: 5.4
import PackageDescription

// libFuzzer targets live in their own package so that `swift build` and
// `swift test` of nbrun never build them. Run one with scripts/fuzz.sh TARGET SECONDS,
// which builds with `-sanitize=fuzzer,address -parse-as-library` (see docs/security.md).
// Tools version 5.4: later ones rename each executable's entry point for testing, and
// libFuzzer must supply `main`.
let package = Package(
    name: "nbrun-fuzz",
    dependencies: [
        .package(name: "nbrun", path: ".."),
    ],
    targets: ["FuzzNotebook", "FuzzMathSyntax", "FuzzCells", "FuzzChecker"].map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "NBRunChecker", package: "nbrun")],
            path: "Sources/\(name)"
        )
    } + ["FuzzYAML", "FuzzKaTeX"].map { name in
        // site.yml and typesetting: these need the Site and Render stages (KaTeX runs in node).
        .executableTarget(
            name: name,
            dependencies: [.product(name: "NBRunChecker", package: "nbrun"), .product(name: "NBRunKit", package: "nbrun")],
            path: "Sources/\(name)"
        )
    }
)
