#!/usr/bin/env bash
# Runs the Backprop engine's benchmarks and their Python peers side by side.
#   scripts/bench-engine.sh            # 2 threads on both sides
#   BENCH_THREADS=1 scripts/bench-engine.sh
# Creates .venv-bench/ (gitignored) with torch, numpy and micrograd from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${BENCH_THREADS:-2}"
venv=.venv-bench

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# PyPI's Linux torch wheel pulls the CUDA runtime libraries (several GB) because
# `import torch` preloads them; it then runs on the CPU as required here.
"$venv/bin/python" -c "import torch, micrograd, numpy" 2>/dev/null \
    || "$venv/bin/pip" install --quiet torch numpy micrograd

# A plain timing loop over the same workloads (no benchmark framework around it), built
# against Sources/Backprop in a scratch package: the figures to compare with the peers'
# plain loops. BENCH_PLAIN=0 skips it.
plain_dir="${TMPDIR:-/tmp}/nbrun-bench-plain"
build_plain() {
    mkdir -p "$plain_dir/Sources/COpenBLAS" "$plain_dir/Sources/CFutex" "$plain_dir/Sources/PlainLoop"
    cp Sources/COpenBLAS/* "$plain_dir/Sources/COpenBLAS/"
    cp Sources/CFutex/* "$plain_dir/Sources/CFutex/"
    ln -sfn "$PWD/Sources/Backprop" "$plain_dir/Sources/Backprop"
    cat > "$plain_dir/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription
let package = Package(name: "PlainLoop", targets: [
    .systemLibrary(name: "COpenBLAS"),
    .systemLibrary(name: "CFutex"),
    .target(name: "Backprop", dependencies: ["COpenBLAS", "CFutex"], exclude: ["README.md"]),
    .executableTarget(name: "PlainLoop", dependencies: ["Backprop"]),
])
SWIFT
    cat > "$plain_dir/Sources/PlainLoop/main.swift" <<'SWIFT'
import Backprop
#if canImport(Glibc)
import Glibc
#endif
// The workloads of Benchmarks/Benchmarks/BackpropBenchmarks: same data, seeds and steps.
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
func report(_ name: String, _ times: [Double]) {
    let s = times.sorted()
    func ms(_ x: Double) -> String { "\(Double(Int(x * 1e6)) / 1e3)" }
    print("plain loop \(name): p0 \(ms(s[0])) ms, p25 \(ms(s[s.count / 4])) ms, median \(ms(s[s.count / 2])) ms (\(s.count) runs)")
}
let threads: Int = getenv("BENCH_THREADS").flatMap { Int(String(cString: $0)) } ?? 2
BLAS.setThreadCount(threads)
func mlp<S: BLASScalar>(_: S.Type, _ name: String) throws {
    var rng = SeededGenerator(seed: 0)
    let net = try MultilayerPerceptron<S>(sizes: [784, 256, 10], activations: [.relu, .identity], initialization: .he, generator: &rng)
    let x = try Matrix<S>(rows: 784, columns: 128, scalars: (0..<784 * 128).map { _ in S(rng.nextUniform()) })
    var t = try Matrix<S>(zeros: 10, 128)
    for c in 0..<128 { t[Int(rng.next() % 10), c] = 1 }
    let trainer = try NetworkTrainer(network: net, batchSize: 128, loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0.01))
    for _ in 0..<30 { _ = try trainer.step(input: x, target: t) }
    var times: [Double] = []
    times.reserveCapacity(300)
    for _ in 0..<300 { let t0 = now(); _ = try trainer.step(input: x, target: t); times.append(now() - t0) }
    report("MLP 784-256-10 batch 128 SGD step \(name) (\(threads) threads)", times)
}
func moons() throws {
    var rng = SeededGenerator(seed: 1)
    var points: [(Double, Double)] = [], labels: [Double] = [], parameters: [Double] = []
    let sizes = [2, 16, 16, 1]
    for i in 0..<100 {
        let angle = Double.pi * Double(i % 50) / 49, upper = i < 50
        let x = upper ? cos(angle) : 1 - cos(angle), y = upper ? sin(angle) : 0.5 - sin(angle)
        points.append((x + 0.1 * rng.nextNormal(), y + 0.1 * rng.nextNormal()))
        labels.append(upper ? 1 : -1)
    }
    for l in 1..<sizes.count { for _ in 0..<(sizes[l] * (sizes[l - 1] + 1)) { parameters.append(rng.nextUniform(in: -1...1)) } }
    let tape = Tape(reservingCapacity: 70_000)
    func run() throws -> Double {
        tape.removeAll()
        let params = try parameters.map { try tape.variable($0) }
        var losses: [Node] = []
        for (point, label) in zip(points, labels) {
            var activations = [try tape.constant(point.0), try tape.constant(point.1)]
            var p = 0
            for l in 1..<sizes.count {
                var next: [Node] = []
                for _ in 0..<sizes[l] {
                    var act = params[p + sizes[l - 1]]
                    for (i, x) in activations.enumerated() { act = try act + params[p + i] * x }
                    p += sizes[l - 1] + 1
                    next.append(l == sizes.count - 1 ? act : try act.relu())
                }
                activations = next
            }
            losses.append(try (1 + (-label) * activations[0]).relu())
        }
        var dataLoss = losses[0]
        for loss in losses.dropFirst() { dataLoss = try dataLoss + loss }
        dataLoss = try dataLoss * (1.0 / Double(losses.count))
        var regularisation = try params[0] * params[0]
        for q in params.dropFirst() { regularisation = try regularisation + q * q }
        let total = try dataLoss + 1e-4 * regularisation
        return try tape.gradient(of: total, withRespectTo: params)[0].scalars[0]
    }
    for _ in 0..<10 { _ = try run() }
    var times: [Double] = []
    for _ in 0..<100 { let t0 = now(); _ = try run(); times.append(now() - t0) }
    report("two-moons scalar tape forward+backward (\(tape.count) nodes)", times)
}
try mlp(Double.self, "f64")
try mlp(Float.self, "f32")
try moons()
SWIFT
    (cd "$plain_dir" && swift build -c release >/dev/null)
}

peers() {
    echo "== peers (Python), $1 =="
    "$venv/bin/python" Benchmarks/peers/mlp_torch.py --threads "$threads"
    "$venv/bin/python" Benchmarks/peers/moons_micrograd.py
}

# Build first (minutes on the shared machine) so that the peers and our benchmarks run
# back to back under the same load; the peers run before and after ours to show drift.
(cd Benchmarks && swift build -c release --product BackpropBenchmarks >/dev/null)
[ "${BENCH_PLAIN:-1}" = 0 ] || build_plain
peers "before"

if [ "${BENCH_PLAIN:-1}" != 0 ]; then
    echo "== nbrun Backprop, plain loop (Swift, OpenBLAS, $threads threads) =="
    BENCH_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "$plain_dir/.build/release/PlainLoop"
fi

echo "== nbrun Backprop (Swift, OpenBLAS, $threads threads) =="
(cd Benchmarks && BENCH_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
    swift package benchmark --target BackpropBenchmarks --no-progress "$@")

peers "after"
