#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (nothing downloads a browser here).
# Installs it when missing and this is root with apt; otherwise says what to do.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
