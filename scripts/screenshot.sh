#!/bin/sh
# Screenshot a rendered page with headless Chromium (installs it with apt if missing).
#   scripts/screenshot.sh PAGE.html OUT.png [WIDTHxHEIGHT] [--dark]
# e.g. scripts/screenshot.sh notebooks/hidden-layers.html /tmp/page.png 1000x1600 --dark
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 PAGE.html OUT.png [WIDTHxHEIGHT] [--dark]" >&2
  exit 2
fi
page=$1
out=$2
size=${3:-1000x1600}
dark=${4:-}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "chromium is missing; installing it with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update && apt-get install -y chromium; else sudo apt-get update && sudo apt-get install -y chromium; fi
  browser=$(command -v chromium)
fi
case $page in /*) url="file://$page" ;; *) url="file://$(pwd)/$page" ;; esac
flags=""
[ "$dark" = "--dark" ] && flags="--force-dark-mode"
# shellcheck disable=SC2086
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars $flags \
  --window-size="$(echo "$size" | tr x ,)" --screenshot="$out" "$url" >/dev/null 2>&1
echo "$out"
