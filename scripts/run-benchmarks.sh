#!/usr/bin/env bash
# End-to-end benchmark run: ACAS Xu (186 instances) and MNIST-FC (90) from ../shared/benchmarks,
# each instance capped at TIMEOUT seconds (default 10), in one JVM per suite. Writes
# bench-results/<suite>.csv (one row per instance) and bench-results/<suite>.txt (the tally).
# Usage: scripts/run-benchmarks.sh [TIMEOUT] [SUITE...]   (suites: acasxu mnistfc mnistfc_2021)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout="${1:-10}"
shift || true
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(acasxu mnistfc)
mkdir -p "$root/bench-results"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)" >&2
for s in "${suites[@]}"; do
  csv="$root/../shared/benchmarks/$s/instances.csv"
  [ -f "$csv" ] || { echo "no $csv" >&2; exit 2; }
  echo "== $s (timeout $timeout s)" >&2
  "$root/robustspec" batch "$csv" --timeout "$timeout" --out "$root/bench-results/$s.csv" \
    | tee "$root/bench-results/$s.txt"
done
