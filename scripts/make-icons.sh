#!/usr/bin/env bash
# Renders scripts/icons/*.svg to the PNG sizes the manifest names, with headless Chromium.
# Run by hand when an icon changes; the PNGs are committed (the build does not need Chromium).
set -euo pipefail
src="$(cd "$(dirname "$0")/icons" && pwd)"
cd "$(dirname "$0")/../public/icons"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
render() { # svg size out
  printf '<html><body style="margin:0;background:transparent"><img src="file://%s" width="%s" height="%s"></body></html>' \
    "$src/$1" "$2" "$2" > "$tmp/page.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
    --user-data-dir="$tmp/profile" --window-size="$2,$2" --screenshot="$PWD/$3" "file://$tmp/page.html" 2>/dev/null
}
render icon.svg 192 icon-192.png
render icon.svg 512 icon-512.png
render maskable.svg 192 maskable-192.png
render maskable.svg 512 maskable-512.png
