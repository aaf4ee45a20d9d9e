#!/usr/bin/env bash
# Installs what nbrun needs from Debian's packages (only what is missing),
# then builds nbrun. Safe to run again: it does nothing that is already done.
#
#   scripts/setup.sh            install packages, build nbrun (release)
#   scripts/setup.sh --packages install packages only
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package → why nbrun needs it.
packages=(
  "libcmark-gfm-dev:Markdown parsing (cmark-gfm)"
  "libcmark-gfm-extensions-dev:GFM tables, strikethrough, autolinks, task lists, footnotes"
  "libjs-katex:math typesetting (KaTeX, its stylesheet and fonts)"
  "libjs-highlight.js:highlighting code blocks at build time (highlight.js)"
  "libopenblas-dev:matrix products in the backprop engine (CBLAS)"
  "pkg-config:finding cmark-gfm when building"
  "libcurl4-openssl-dev:linking nbrun-serve (the preview server) with the Swift runtime built in"
)

missing=()
for entry in "${packages[@]}"; do
  name=${entry%%:*}
  if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$name")
  fi
done
# node runs KaTeX; any node on PATH will do (Debian's nodejs otherwise).
if ! command -v node >/dev/null 2>&1 && ! command -v nodejs >/dev/null 2>&1; then
  missing+=("nodejs")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "setup: error: need root to install: apt-get install ${missing[*]}" >&2
      exit 2
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: error: the Swift toolchain (swift) is not on PATH" >&2
  exit 2
fi

if [ "${1:-}" != "--packages" ]; then
  # The Swift runtime and Foundation linked into the programs: nbrun starts in
  # ~10 ms instead of ~27 ms (docs/performance.md). `nbrun serve` runs
  # nbrun-serve, the only program that links the HTTP server.
  swift build -c release --static-swift-stdlib --product nbrun >&2
  swift build -c release --static-swift-stdlib --product nbrun-serve >&2
fi
