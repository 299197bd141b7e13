#!/usr/bin/env bash
# Makes sure Debian's Chromium and ChromeDriver are installed for the browser tests, and prints
# export lines on stdout for the caller to evaluate:
#
#   eval "$(bash scripts/ensure-chromium.sh)"
#
# which sets NEARMISS_CHROMIUM and NEARMISS_CHROMEDRIVER. When /usr/bin/chromium or
# /usr/bin/chromedriver is missing, the script installs the packages chromium and chromium-driver
# with apt-get (root only). Running it again with both present installs nothing. Diagnostics go to
# stderr.

set -euo pipefail

chromium=/usr/bin/chromium
chromedriver=/usr/bin/chromedriver

log() {
    printf 'ensure-chromium: %s\n' "$*" >&2
}

fail() {
    log "$*"
    exit 1
}

if [[ ! -x "$chromium" || ! -x "$chromedriver" ]]; then
    if [[ "$(id -u)" -ne 0 ]]; then
        fail "$chromium or $chromedriver is missing and only root can install them: run 'apt-get install -y chromium chromium-driver' as root"
    fi
    log "installing chromium and chromium-driver from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends chromium chromium-driver >&2
fi

[[ -x "$chromium" ]] || fail "$chromium is still missing after installing the package chromium"
[[ -x "$chromedriver" ]] || fail "$chromedriver is still missing after installing the package chromium-driver"

log "using $("$chromedriver" --version 2>/dev/null || echo "$chromedriver")"
echo "export NEARMISS_CHROMIUM=$chromium"
echo "export NEARMISS_CHROMEDRIVER=$chromedriver"
