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

peers() {
    echo "== peers (Python), $1 =="
    "$venv/bin/python" Benchmarks/peers/mlp_torch.py --threads "$threads"
    "$venv/bin/python" Benchmarks/peers/moons_micrograd.py
}

# Build first (minutes on the shared machine) so that the peers and our benchmarks run
# back to back under the same load; the peers run before and after ours to show drift.
(cd Benchmarks && swift build -c release --product BackpropBenchmarks >/dev/null)
peers "before"

echo "== nbrun Backprop (Swift, OpenBLAS, $threads threads) =="
(cd Benchmarks && BENCH_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
    swift package benchmark --target BackpropBenchmarks --no-progress "$@")

peers "after"
