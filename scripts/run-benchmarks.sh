#!/usr/bin/env bash
# End-to-end benchmark runs over ../shared/benchmarks, then BENCHMARKS.md regenerated from every
# stored run (scripts/benchmarks-md.sh).
#
# Usage: scripts/run-benchmarks.sh TIMEOUT SUITE [SUITE...]
#   TIMEOUT  per-instance cap in seconds ('csv' = the instances.csv timeouts uncapped)
#   SUITE    a folder of ../shared/benchmarks (acasxu, mnistfc, dist_shift_2023, ...)
# Environment:
#   LABEL=name        a name for the run's variant (default: default); runs are kept per
#                     suite, timeout and label in benchmarks/results/
#   BATCH_ARGS='...'  extra arguments for `robustspec batch` (e.g. --passes 'deeppoly,bab')
#   ROBUSTSPEC=path   the launcher to run (default: ./robustspec of this checkout)
# Each run writes benchmarks/results/<suite>__<timeout>__<label>.csv (one row per instance, the
# `batch --out` columns) and a .meta beside it (command, machine, date, wall time, memory peak).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { sed -n 2,15p "$0" >&2; exit 2; }
timeout="$1"
shift
label="${LABEL:-default}"
launcher="${ROBUSTSPEC:-$root/robustspec}"
results="$root/benchmarks/results"
mkdir -p "$results"
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
for s in "$@"; do
  csv="$root/../shared/benchmarks/$s/instances.csv"
  [ -f "$csv" ] || { echo "no $csv" >&2; exit 2; }
  stem="$results/${s}__${timeout}__${label}"
  targs=()
  [ "$timeout" = csv ] || targs=(--timeout "$timeout")
  # shellcheck disable=SC2206
  extra=(${BATCH_ARGS:-})
  cmd=$(echo "robustspec batch ../shared/benchmarks/$s/instances.csv ${targs[*]} ${extra[*]} --out $(basename "$stem").csv" | tr -s " ")
  echo "== $s (timeout $timeout, label $label): $cmd" >&2
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(date +%s.%N)
  set +e
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$stem.time" "$launcher" batch "$csv" "${targs[@]}" "${extra[@]}" \
      --out "$stem.csv" > "$stem.tally"
  else
    "$launcher" batch "$csv" "${targs[@]}" "${extra[@]}" --out "$stem.csv" > "$stem.tally"
  fi
  rc=$?
  set -e
  end=$(date +%s.%N)
  peak=$(awk -F': ' '/Maximum resident set size/{print $2}' "$stem.time" 2>/dev/null || true)
  rm -f "$stem.time"
  cat "$stem.tally" >&2
  rm -f "$stem.tally"
  {
    echo "suite=$s"
    echo "timeout=$timeout"
    echo "label=$label"
    echo "command=$cmd"
    echo "machine=$machine; load before run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "date=$(date -u +%Y-%m-%d)"
    echo "commit=$(git -C "$(dirname "$launcher")" rev-parse --short HEAD)"
    echo "wall_seconds=$(echo "$end - $start" | bc)"
    echo "peak_rss_kb=${peak:-}"
    echo "exit=$rc"
  } > "$stem.meta"
done
"$root/scripts/benchmarks-md.sh"
