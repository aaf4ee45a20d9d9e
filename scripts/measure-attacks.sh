#!/usr/bin/env bash
# Writes the attack notes of docs/security.md ("Acceptance") and runs each
# through `nbrun check` with the default limits under /usr/bin/time -v: exit
# status, peak memory (nbrun's or its largest node worker's) and wall time.
#
#   scripts/measure-attacks.sh                  # uses .build/release/nbrun
#   NBRUN=path/to/nbrun scripts/measure-attacks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NBRUN=${NBRUN:-$REPO/.build/release/nbrun}
WORK=${WORK:-$(mktemp -d /tmp/nbrun-attacks.XXXXXX)}
export NBRUN_THEME=$REPO/site OPENBLAS_NUM_THREADS=1

python3 - "$WORK" <<'PYTHON'
import sys, os
out = sys.argv[1]
def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as handle:
        handle.write(text)
levels = "abcdefghi"
front = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    "%s: &%s [%s]\n" % (name, name, ",".join(["*" + previous] * 9)) for previous, name in zip(levels, levels[1:]))
write("alias-bomb.md", "---\n" + front + "---\n# A\n")
write("deep-yaml.md", "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n# A\n")
write("edef.md", "# E\n\n$$ \\def\\a{x}" + "\\edef\\a{\\a\\a}" * 12 + "\\a $$\n")
write("nested-sums.md", "# N\n\n$$ \\sum_{i=1}^{2000} \\sum_{j=1}^{2000} i j = 4004001000000 $$\n")
superscripts = "\u00b2" * 20000
write("superscripts.md", "# S\n\n$$ \\gdef\\a{x" + superscripts + "} \\a $$\n\n$$ \\a" + superscripts + " $$\n")
body, number = "# Big\n\n", 0
while len(body) < 1_950_000:
    body += "$$ \\alpha_{%d} + \\beta_{%d} + \\gamma $$\n\n" % (number, number)
    number += 1
write("page-math.md", body)
write("slow-step.md", "# Slow\n\n$$ \\sum_{i=1}^{99999} \\sum_{j=1}^{99999} \\sin(i j) = 0 $$\n")
PYTHON

echo "$(uptime | sed 's/.*load/load/')"
printf '%-16s %5s %12s %10s\n' note exit "peak KB" wall
for note in alias-bomb deep-yaml edef nested-sums superscripts page-math slow-step; do
  extra=()
  [ "$note" = slow-step ] && extra=(--limit timePerNote=3s --limit maxSumTerms=10000000000)
  rm -rf "$WORK/cache"
  status=0
  NBRUN_CACHE_DIR=$WORK/cache /usr/bin/time -v "$NBRUN" check "$WORK/$note.md" "${extra[@]}" >/dev/null 2>"$WORK/$note.err" || status=$?
  printf '%-16s %5s %12s %10s\n' "$note" "$status" \
    "$(awk '/Maximum resident/ {print $6}' "$WORK/$note.err")" "$(awk '/Elapsed/ {print $8}' "$WORK/$note.err")"
done
echo "$(uptime | sed 's/.*load/load/')"
echo "work folder: $WORK"
