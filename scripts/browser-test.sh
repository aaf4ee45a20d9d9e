#!/usr/bin/env bash
# Checks the site in a real browser: serves a small notes folder with
# `nbrun serve`, opens it in headless Chromium and, over the DevTools protocol
# (scripts/browser-check.mjs, plain node), types into the search box and
# expects a result, checks an Obsidian note's callouts and hidden comments, that
# a draft is not served, and the 420 px layout, then changes a note and expects
# the open page to reload. It also builds the test vault and the test Jekyll site
# of Tests/Dialects and checks them opened from file:// (callouts, comments,
# drafts, Liquid, math blocks, highlighted code, search, the 420 px layout), and
# leaves a screenshot of a vault note at 420 px in $SCREENSHOT (/tmp/nbrun-vault-420.png).
# Not part of `swift test` (it needs Chromium and takes a few seconds).
#
#   scripts/browser-test.sh                 # uses .build/debug/nbrun (built when missing)
#   NBRUN=.build/release/nbrun scripts/browser-test.sh
#
# Chromium comes from apt (`apt-get install -y chromium`) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NBRUN=${NBRUN:-$REPO/.build/debug/nbrun}
if [ ! -x "$NBRUN" ] || [ ! -x "$(dirname "$NBRUN")/nbrun-serve" ]; then swift build --product nbrun && swift build --product nbrun-serve; fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "chromium is missing; installing it with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update && apt-get install -y chromium; else sudo apt-get update && sudo apt-get install -y chromium; fi
  browser=$(command -v chromium)
fi

WORK=$(mktemp -d /tmp/nbrun-browser.XXXXXX)
serve_pid=""; browser_pid=""
cleanup() {
  [ -n "$browser_pid" ] && kill "$browser_pid" 2>/dev/null || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/notes/derivation"
printf 'title: Browser check\n' > "$WORK/notes/site.yml"
printf -- '---\ntitle: Introduction\n---\nWe train networks with gradients. See [[output-layer]].\n' > "$WORK/notes/intro.md"
printf '# Hidden layers\nThe chain rule carries the error backwards.\n\n$$ (a+b)^2 = a^2 + 2ab + b^2 $$\n' > "$WORK/notes/derivation/hidden-layers.md"
printf '# Output layer\nSoftmax meets cross-entropy.\n' > "$WORK/notes/derivation/output-layer.md"
printf '# Callouts\n\nSeen %%%%a private remark%%%% here. <!-- a hidden comment -->\n\n> [!tip] Check the sign\n> Both sides agree.\n\n> [!warning]- Folded away\n> $$ (a-b)^2 = a^2 - 2ab + b^2 $$\n' > "$WORK/notes/callouts.md"
printf -- '---\ntitle: Unfinished\ndraft: true\n---\nNot for readers yet.\n' > "$WORK/notes/unfinished.md"

SCREENSHOT=${SCREENSHOT:-/tmp/nbrun-vault-420.png}
NBRUN_CACHE_DIR="$WORK/cache" "$NBRUN" build "$REPO/Tests/Dialects/vault" -o "$WORK/vault-site" -q
NBRUN_CACHE_DIR="$WORK/cache" "$NBRUN" build "$REPO/Tests/Dialects/jekyll" -o "$WORK/jekyll-site" > "$WORK/jekyll-build.log" 2>&1

NBRUN_CACHE_DIR="$WORK/cache" "$NBRUN" serve "$WORK/notes" -o "$WORK/site" --port 0 --stop-after 120 > "$WORK/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 300); do grep -q '^Serving' "$WORK/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^Serving .* at \(http[^ ]*\) .*/\1/p' "$WORK/serve.log")
[ -n "$url" ] || { echo "nbrun serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }

"$browser" --headless --no-sandbox --disable-gpu --remote-debugging-port=0 --user-data-dir="$WORK/profile" about:blank \
  > "$WORK/browser.log" 2>&1 &
browser_pid=$!
for _ in $(seq 300); do [ -s "$WORK/profile/DevToolsActivePort" ] && break; sleep 0.1; done
port=$(head -1 "$WORK/profile/DevToolsActivePort" 2>/dev/null || true)
[ -n "$port" ] || { echo "chromium did not start:" >&2; cat "$WORK/browser.log" >&2; exit 1; }

echo "nbrun serve at $url, chromium DevTools on port $port"
node --experimental-websocket --no-warnings scripts/browser-check.mjs "$port" "$url" "$WORK/notes" "$WORK/site" \
  "$WORK/vault-site" "$WORK/jekyll-site" "$WORK/jekyll-build.log" "$SCREENSHOT"
