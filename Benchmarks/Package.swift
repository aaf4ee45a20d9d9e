// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that `swift test` never builds them.
// Run: cd Benchmarks && swift package benchmark   (see docs/performance.md)
let package = Package(
    name: "nbrun-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "nbrun", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: ["NotebookBenchmarks", "MathSyntaxBenchmarks", "BackpropBenchmarks", "VerifyBenchmarks", "PipelineBenchmarks"].map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NBRunKit", package: "nbrun"),
            ],
            path: "Benchmarks/\(name)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    }
)
