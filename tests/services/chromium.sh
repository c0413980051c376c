#!/usr/bin/env bash
# Debian's chromium for the dashboard's browser test (tests/dashboard/), which Playwright
# drives at /usr/bin/chromium; no browser is ever downloaded. Installs it from the Debian
# packages when it is missing (needs root); exits non-zero, saying why, when it cannot.
set -euo pipefail

log() { echo "chromium.sh: $*" >&2; }

if [[ -x /usr/bin/chromium ]]; then
    exit 0
fi
if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "chromium is not installed and installing it needs root and apt-get"
    exit 1
fi
log "installing chromium from the Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
