#!/usr/bin/env bash
# Install the official commercetools Connect CLI, pinned by package-lock.json, for the conformance test.
# Cached outside the repository, one folder per lock-file hash, so a second run does nothing.
# Prints the folder that holds node_modules/.bin/commercetools. Needs node and npm (and the npm registry
# on the first run). GITSYNC_CONFORMANCE_CHECK=1: only look, install nothing (exit 1 if it is missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "install.sh: node and npm are needed to install the official Connect CLI for the conformance test" >&2
    exit 1
fi
lock_hash="$(sha256sum "$here/package-lock.json" | cut -c1-16)"
root="${GITSYNC_CONFORMANCE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gitsync-conformance}"
target="$root/$lock_hash"
if [ ! -x "$target/node_modules/.bin/commercetools" ]; then
    if [ -n "${GITSYNC_CONFORMANCE_CHECK:-}" ]; then
        echo "install.sh: the pinned Connect CLI is not installed in $root" >&2
        exit 1
    fi
    mkdir -p "$root"
    work="$(mktemp -d "$root/.install.XXXXXX")"
    cp "$here/package.json" "$here/package-lock.json" "$work/"
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    rm -rf "$target"
    mv "$work" "$target"
fi
echo "$target"
