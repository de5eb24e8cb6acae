#!/usr/bin/env bash
# Prints the size of each release bundle `make dist` made, and of the stripped binary inside.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
printf '%-60s %10s\n' "bundle" "size"
for f in "$target"/release/penneo-desk "$target"/release/bundle/deb/*.deb "$target"/release/bundle/rpm/*.rpm; do
  [[ -e $f ]] || continue
  printf "%-60s %7.1f MB\n" "${f#"$target"/release/}" "$(awk -v b="$(stat -c %s "$f")" "BEGIN { print b / 1000000 }")"
done
