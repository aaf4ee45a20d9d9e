#!/bin/sh
# Runs one libFuzzer target for a while: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]
#   TARGET: notebook | math | cells | checker | yaml | katex
# Builds Fuzz/ (its own package, never built by `swift build`/`swift test` of nbrun)
# with -sanitize=fuzzer,address, starts from the seed corpus in Fuzz/Corpus/TARGET/,
# keeps new inputs in Fuzz/.work/TARGET/ (not committed) and writes any crasher to
# Fuzz/Crashes/TARGET/. Turn each crasher into a regression test (Tests/*/FuzzRegressionTests.swift).
set -eu
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh notebook|math|cells|checker|yaml|katex SECONDS}
seconds=${2:-120}
shift 2 || shift $#
case "$target" in
  notebook) product=FuzzNotebook ;;
  math) product=FuzzMathSyntax ;;
  cells) product=FuzzCells ;;
  checker) product=FuzzChecker ;;
  yaml) product=FuzzYAML ;;
  katex) product=FuzzKaTeX ;;
  *) echo "unknown target $target (notebook, math, cells, checker, yaml, katex)" >&2; exit 2 ;;
esac
swift build --package-path Fuzz -c debug --product "$product" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
binary=$(swift build --package-path Fuzz -c debug --show-bin-path)/$product
mkdir -p "Fuzz/.work/$target" "Fuzz/Crashes/$target"
# ASan's leak check is off: the Swift runtime keeps metadata caches that it reports as leaks.
ASAN_OPTIONS=detect_leaks=0 "$binary" "Fuzz/.work/$target" "Fuzz/Corpus/$target" \
  -max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
  -artifact_prefix="Fuzz/Crashes/$target/" -print_final_stats=1 "$@"
