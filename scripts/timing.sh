#!/usr/bin/env bash
# Wall-clock time of each part of `make test`, printed at its end (CI shows where its minutes go).
#   scripts/timing.sh begin NAME | end NAME | report
# `build` (the Rust test build, clippy included) is part of `lint`. One file per make run:
# TIMING_FILE is set by the Makefile from the run's start time.
set -euo pipefail
[[ -n ${TIMING_FILE:-} ]] || exit 0 # not a `make test` run: nothing to time
file=$TIMING_FILE
mkdir -p "$(dirname "$file")"
case $1 in
  begin) printf '%s\tbegin\t%s\n' "$2" "$(date +%s.%N)" >>"$file" ;;
  end) printf '%s\tend\t%s\n' "$2" "$(date +%s.%N)" >>"$file" ;;
  report)
    awk -F'\t' '
      $2 == "begin" { b[$1] = $3; order[++n] = $1; if (!first) first = $3 }
      $2 == "end" { e[$1] = $3; last = $3 }
      END {
        print "time per part of make test:"
        for (i = 1; i <= n; i++) { k = order[i]; if (k in e) printf "  %-14s %6.0f s\n", k, e[k] - b[k] }
        printf "  %-14s %6.0f s (from the first part begun to the last ended)\n", "all", last - first
      }' "$file"
    rm -f "$file" ;;
esac
