#!/usr/bin/env bash
# Times `nbrun notebooks/hidden-layers.md` end to end, warm and cold math cache,
# side by side with its peer: a bare Python + numpy script doing only the
# arithmetic of the same derivation (Benchmarks/peers/hidden_layers_numpy.py).
#   scripts/bench-cli.sh
# Needs hyperfine and python3-numpy (installed here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
for tool in hyperfine:hyperfine python3:python3-numpy; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || apt-get install -y -qq "${tool##*:}" >&2
done
python3 -c "import numpy" 2>/dev/null || apt-get install -y -qq python3-numpy >&2

nbrun=.build/release/nbrun
note=notebooks/hidden-layers.md
warm=$(mktemp -d)
cold=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$warm" "$cold" "$out"' EXIT
NBRUN_CACHE_DIR="$warm" "$nbrun" "$note" -o "$out/page.html" -q

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 3 --runs 30 \
  -n "nbrun, warm math cache" "env NBRUN_CACHE_DIR=$warm $nbrun $note -o $out/page.html -q" \
  -n "python3 + numpy, arithmetic only" "python3 Benchmarks/peers/hidden_layers_numpy.py"
hyperfine -N --runs 10 --prepare "rm -rf $cold" \
  -n "nbrun, cold math cache" "env NBRUN_CACHE_DIR=$cold $nbrun $note -o $out/page.html -q"
# As after an edit: no equation cached, KaTeX's compiled code (katex-code/) kept.
NBRUN_CACHE_DIR="$cold" "$nbrun" "$note" -o "$out/page.html" -q
hyperfine -N --runs 10 --prepare "rm -rf $cold/math $cold/pages" \
  -n "nbrun, cold math cache, KaTeX's compiled code kept" "env NBRUN_CACHE_DIR=$cold $nbrun $note -o $out/page.html -q"
