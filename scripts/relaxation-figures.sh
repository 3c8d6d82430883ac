#!/usr/bin/env bash
# The issue-5 figures: how many instances deeppoly, lp and krelu each certify (no search, no
# branching) on MNIST-FC 256x2 + 256x4 at eps 0.03 and on the first 5 ACAS Xu networks of
# properties 1-4, each instance capped at TIMEOUT seconds (default 60). Writes
# bench-results/relax-<suite>-<passes>.csv and prints each run's tally.
# Usage: scripts/relaxation-figures.sh [TIMEOUT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout="${1:-60}"
bench="$(cd "$root/../shared/benchmarks" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/bench-results"
# instances.csv paths are relative to the CSV's folder: make them absolute for the subsets
grep -E "256x2|256x4" "$bench/mnistfc/instances.csv" | grep "_0.03" \
  | sed "s#^#$bench/mnistfc/#; s#,vnnlib#,$bench/mnistfc/vnnlib#" > "$work/mnist.csv"
for p in 1 2 3 4; do grep "prop_$p.vnnlib" "$bench/acasxu/instances.csv" | head -5; done \
  | sed "s#^#$bench/acasxu/#; s#,vnnlib#,$bench/acasxu/vnnlib#" > "$work/acasxu.csv"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
for suite in mnist acasxu; do
  for passes in deeppoly deeppoly,lp deeppoly,krelu "deeppoly,lp(tighten=1)" \
      "deeppoly,krelu(tighten=1)"; do
    echo "== $suite: $passes (timeout $timeout s)" >&2
    "$root/robustspec" batch "$work/$suite.csv" --timeout "$timeout" --passes "$passes" \
      --out "$root/bench-results/relax-$suite-$passes.csv" | tail -n 1
  done
done
