#!/usr/bin/env bash
# Runs a second command beside the one in the foreground, so `make test` does not leave a core
# idle while one part waits on the other (the UI's checks need only Node, the Rust build only
# cargo). The foreground command's output streams; the one beside it is kept and printed, under
# its name, once both have ended. Fails when either failed.
#   scripts/beside.sh NAME 'COMMAND BESIDE' FOREGROUND COMMAND...
set -uo pipefail
name=$1
beside=$2
shift 2
log=$(mktemp)
bash -eu -o pipefail -c "$beside" >"$log" 2>&1 &
pid=$!
"$@"
fg_status=$?
wait "$pid"
beside_status=$?
printf '\033[1;34m==>\033[0m %s (ran beside the above):\n' "$name"
cat "$log"
rm -f "$log"
if ((beside_status != 0)); then
  printf '\033[1;31m==>\033[0m %s failed (exit %d)\n' "$name" "$beside_status"
fi
((fg_status == 0 && beside_status == 0))
