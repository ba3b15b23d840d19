#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium (package chromium) with Playwright.
# Install it when it is missing and this machine can (root with apt-get); otherwise say so:
# the browser tests then skip, except under CI=true, where they fail.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the console's browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
    echo "chromium is missing (apt-get install chromium): the browser tests will skip" >&2
fi
