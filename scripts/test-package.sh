#!/usr/bin/env bash
# The installed-package test: bundles the app binary the test build already made as a .deb (the
# same packaging path as `make dist`, debug build to keep CI fast), installs it with apt-get so it
# pulls its own dependencies, starts the installed /usr/bin/penneo-desk under Xvfb with a fresh
# data dir (e2e/package/installed.test.mjs), and removes the package again, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"

if dpkg-query -W -f='${Status}' penneo-desk 2>/dev/null | grep -q "install ok installed"; then
  echo "xx penneo-desk is already installed on this machine; remove it first (apt-get remove penneo-desk)" >&2
  exit 1
fi

rm -rf "$target/debug/bundle/deb"
ui/node_modules/.bin/tauri bundle --debug --bundles deb --ci >/dev/null
deb=$(ls "$target"/debug/bundle/deb/*.deb)
echo "==> built $(basename "$deb") ($(du -h "$deb" | cut -f1), debug binary)"
dpkg-deb -f "$deb" Package Version Depends

cleanup() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq penneo-desk >/dev/null || true; }
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$(realpath "$deb")" >/dev/null
(cd e2e && PENNEO_DESK_BIN=/usr/bin/penneo-desk node --test package/)
cleanup
trap - EXIT
dpkg-query -W -f='${Status}' penneo-desk 2>/dev/null | grep -q "install ok installed" && { echo "xx the package is still installed after removal" >&2; exit 1; }
echo "==> installed, started, showed the demo forms, removed"
