#!/usr/bin/env bash
# Draws a cactus plot (the picture VNN-COMP's reports use) of one suite's stored runs: for each
# run, its decided instances sorted by time, the k-th at (k, its time); the further right a line
# ends, the more it decided, the lower it runs, the faster. Time is on a log scale.
#
# Usage: scripts/cactus-svg.sh SUITE OUT.svg
# Which runs: for each per-instance limit the run with the most decided (then the least total
# time) among the runs over the whole suite (runs of a subset, such as the attack-off checks of
# the violated instances, are left out).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/benchmarks/results"
[ $# -eq 2 ] || { sed -n 2,9p "$0" >&2; exit 2; }
suite="$1"
out="$2"
meta() { sed -n "s/^$2=//p" "$1" | head -1; }
# one line per run: timeout, instances, decided, total, csv
runs=$(for m in "$results/${suite}__"*.meta; do
  csv="${m%.meta}.csv"
  [ -f "$csv" ] || continue
  awk -F, -v t="$(meta "$m" timeout)" -v f="$csv" 'NR > 1 { n++; s += $5
    if ($3 == "holds" || $3 == "violated") d++ }
    END { printf "%s %d %d %.3f %s\n", t, n, d, s, f }' "$csv"
done)
[ -n "$runs" ] || { echo "no runs of $suite in $results" >&2; exit 2; }
full=$(echo "$runs" | awk '$2 > m { m = $2 } END { print m }')
# the best run per limit, limits in ascending order ('csv' last)
chosen=$(echo "$runs" | awk -v full="$full" '$2 == full' \
  | sort -k1,1 -k3,3nr -k4,4n | awk '!seen[$1]++' \
  | awk '{ k = ($1 == "csv") ? 1e9 : $1; print k, $0 }' | sort -g | cut -d' ' -f2-)
{
  echo "$chosen" | while read -r t n d tot csv; do
    echo "RUN $t $d $(basename "$csv" .csv | sed 's/.*__//')"
    awk -F, 'NR > 1 && ($3 == "holds" || $3 == "violated") { print $5 }' "$csv" | sort -g
  done
} | awk -v suite="$suite" -v full="$full" '
  /^RUN / { r++; limit[r] = $2; dec[r] = $3; label[r] = $4; k = 0; next }
  { k++; t[r, k] = ($1 < 0.01 ? 0.01 : $1); cnt[r] = k; if ($1 > tmax) tmax = $1 }
  END {
    W = 640; H = 400; L = 60; R = 20; T = 30; B = 50
    lo = log(0.01) / log(10); hi = 0
    while (hi < log(tmax) / log(10)) hi++
    if (hi < 1) hi = 1
    split("#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b", col, " ")
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
    printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H
    printf "<text x=\"%d\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">%s: instances decided within each time, one line per per-instance limit</text>\n", W / 2, suite
    pw = W - L - R; ph = H - T - B
    for (e = lo; e <= hi; e++) {
      y = T + ph - (e - lo) / (hi - lo) * ph
      printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, y, L + pw, y
      printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g s</text>\n", L - 6, y + 4, 10 ^ e
    }
    step = full > 100 ? 20 : 10
    for (x = 0; x <= full; x += step) {
      px = L + x / full * pw
      printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", px, T, px, T + ph
      printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", px, T + ph + 16, x
    }
    printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">instances decided (of %d)</text>\n", L + pw / 2, H - 10, full
    printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n", L, T, pw, ph
    for (i = 1; i <= r; i++) {
      c = col[(i - 1) % 6 + 1]
      pts = ""
      for (k = 1; k <= cnt[i]; k++) {
        px = L + k / full * pw
        py = T + ph - (log(t[i, k]) / log(10) - lo) / (hi - lo) * ph
        pts = pts sprintf("%.1f,%.1f ", px, py)
      }
      if (cnt[i] > 0) printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", c, pts
      ly = T + 14 + (i - 1) * 16
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>\n", L + 10, ly - 4, L + 30, ly - 4, c
      name = limit[i] == "csv" ? "the CSV limits" : limit[i] " s"
      printf "<text x=\"%d\" y=\"%d\">%s (%s): %d decided</text>\n", L + 36, ly, name, label[i], dec[i]
    }
    print "</svg>"
  }' > "$out"
echo "wrote $out" >&2
