#!/usr/bin/env bash
# ACAS Xu through both doors: each instance of ../shared/benchmarks/acasxu/instances.csv once as
# a VNN-COMP 1 instance (robustspec instance NET prop_K.vnnlib) and once as the VNN-LIB 2 query
# examples/acasxu/vnnlib2/prop_K.vnnlib through the standard solver interface
# (robustspec verify QUERY --network acasxu=NET --timeout T). Writes
# bench-results/acasxu-vnnlib2.csv (network, property, v1 verdict, v2 verdict) and prints the
# tally. A contradiction (holds vs sat, violated vs unsat) is an error; timeouts may differ
# (the VNN-LIB 2 timeout also counts JVM start-up).
# Usage: scripts/acasxu-vnnlib2-equivalence.sh [TIMEOUT] [INSTANCES.csv]
#   (default: every instance of ../shared/benchmarks/acasxu/instances.csv; a CSV of a subset
#   in the same format, with paths relative to that folder, runs only those)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout="${1:-10}"
bench="$root/../shared/benchmarks/acasxu"
list="${2:-$bench/instances.csv}"
"$root/robustspec" --version >/dev/null # builds the jar when sources changed
# a private copy, so a rebuild during the run cannot swap the jar under the running JVMs
jar="$(mktemp --suffix=.jar)"
cp "$root/compiler/target/robustspec.jar" "$jar"
trap 'rm -f "$jar"' EXIT
mkdir -p "$root/bench-results"
out="$root/bench-results/acasxu-vnnlib2.csv"
echo "network,property,vnnlib1,vnnlib2" > "$out"
agree=0; differ=0; contradict=0
while IFS=, read -r net prop _; do
  k="$(basename "$prop" .vnnlib)"
  v1="$(java -jar "$jar" instance "$bench/$net" "$bench/$prop" --timeout "$timeout" 2>/dev/null \
    | awk '{print $1}')"
  v2="$(java -jar "$jar" verify "$root/examples/acasxu/vnnlib2/$k.vnnlib" \
    --network "acasxu=$bench/$net" --timeout "$timeout" 2>/dev/null | head -1)"
  echo "$(basename "$net"),$k,$v1,$v2" >> "$out"
  case "$v1:$v2" in
    holds:unsat|violated:sat|unknown:unknown|timeout:timed-out) agree=$((agree+1)) ;;
    holds:sat|violated:unsat) contradict=$((contradict+1)); echo "CONTRADICTION $net $k: $v1 vs $v2" >&2 ;;
    *) differ=$((differ+1)) ;;
  esac
done < "$list"
echo "agree $agree, differ (timeout/unknown on one side) $differ, contradictions $contradict"
[ "$contradict" -eq 0 ]
