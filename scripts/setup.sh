#!/usr/bin/env bash
# One command from a fresh clone to output/: a browser, the dependencies, the
# compiled CLI, then a build of content/.
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "$PUPPETEER_EXECUTABLE_PATH" ] && return 0
  ls "${PUPPETEER_CACHE_DIR:-$HOME/.cache/puppeteer}"/chrome/*/chrome-*/chrome >/dev/null 2>&1 && return 0
  for b in chromium chromium-browser google-chrome-stable google-chrome; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

if ! have_browser; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: no Chrome/Chromium found; installing Debian's chromium" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    cat >&2 <<'MSG'
setup: no Chrome/Chromium found. Install one, then run this again:
  Debian/Ubuntu:  sudo apt-get install chromium
  any system:     PUPPETEER_SKIP_DOWNLOAD=0 npm ci   (downloads Puppeteer's own Chrome)
  or set PUPPETEER_EXECUTABLE_PATH to an existing Chrome/Chromium binary.
MSG
    exit 1
  fi
fi

npm ci --no-audit --no-fund
npm run build
node bin/presswork.js build content
