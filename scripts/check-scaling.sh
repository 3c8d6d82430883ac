#!/usr/bin/env bash
# Times `./robustspec check` on generated .rspec files of about 1, 5 and 20 MB, to show that
# checking is linear in the file size (issue 12). Each file holds a small inline network, many
# `let` lines (constants, 50-term sums, references to earlier lets), unused lets (one warning
# each), regions and properties; the generated files stay in a temporary directory.
# Usage: scripts/check-scaling.sh [sizes in MB, default "1 5 20"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
sizes="${*:-1 5 20}"
"$root/robustspec" supports --vnnlib-versions >/dev/null # build the jar first, outside the timings
for mb in $sizes; do
  file="$dir/scaling_${mb}mb.rspec"
  python3 - "$file" "$mb" <<'PY'
import sys
path, mb = sys.argv[1], float(sys.argv[2])
target = int(mb * 1024 * 1024)
with open(path, "w") as f:
    f.write("network tiny {\n  input x[2]\n  dense [[1, -1], [1, 1]] + [0, 0]\n  relu\n"
            "  dense [[1, 1]] + [-0.5]\n}\n")
    f.write("region square = box { x[0] in [-1, 1], x[1] in [-1, 1] }\n")
    size, i = f.tell(), 0
    while size < target:
        lines = [f"let c{i} = {i % 97}.5\n",
                 f"let s{i} = " + " + ".join(f"c{i}" for _ in range(50)) + "\n",
                 f"let u{i} = -(s{i} * 2) / 3\n",
                 f"property p{i}: forall x in square: tiny(x)[0] <= s{i} + 3\n"]
        for l in lines:
            f.write(l)
            size += len(l)
        i += 1
PY
  bytes=$(wc -c <"$file")
  start=$(date +%s.%N)
  status=0
  "$root/robustspec" check "$file" >/dev/null 2>"$dir/err" || status=$?
  end=$(date +%s.%N)
  printf '%5s MB  %9d bytes  %7d lines  check %6.2f s  (exit %d, %s)\n' "$mb" "$bytes" \
    "$(wc -l <"$file")" "$(echo "$end - $start" | bc)" "$status" "$(tail -1 "$dir/err")"
done
