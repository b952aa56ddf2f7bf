#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's test command: installs what is missing, builds, runs every suite
# (unit, golden, e2e, and fuzz: bounded corpus replays with any compiler). Needs root
# (namespaces, hugepages).
# BUILD_DIR overrides the build folder (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

if [[ $EUID -ne 0 ]]; then
    echo "test.sh: run as root (network namespaces, hugepages): sudo $0" >&2
    exit 1
fi
./deploy/install-deps.sh
if [[ -d $BUILD_DIR ]]; then
    meson setup --reconfigure "$BUILD_DIR" -Dwerror=true >/dev/null
else
    meson setup "$BUILD_DIR" -Dwerror=true >/dev/null
fi
ninja -C "$BUILD_DIR"
meson test -C "$BUILD_DIR" --print-errorlogs "$@"
