package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Compilation.DataItem;
import dev.robustspec.engine.verify.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The per-item table of a property over a data set (issue 16): one row per item, in index order,
 * with the columns of {@code robustspec certify --out} (index, label, verdict, decided by,
 * margin, seconds), as CSV (for a spreadsheet) and as Markdown (to read in the editor).
 */
public record ItemTable(String property, List<Row> rows) {
  /**
   * One item: {@code margin} is the proven margin (certified), the best bound (unknown,
   * timeout) or the label's output minus the largest other at the counterexample (falsified);
   * null and {@code seconds} null while the item is pending or running.
   */
  public record Row(int index, int label, String verdict, String decidedBy, Double margin,
      Double seconds) {}

  public ItemTable {
    rows = List.copyOf(rows);
  }

  /** The rows of the items of {@code property} among {@code statuses}; empty when none. */
  static ItemTable of(Analysis a, String property, Iterable<PropertyStatus> statuses) {
    List<Row> rows = new ArrayList<>();
    for (PropertyStatus s : statuses) {
      var p = a.property(s.name());
      if (p == null || p.item() == null || !p.item().property().equals(property)) {
        continue;
      }
      DataItem item = p.item();
      Double margin = s.margin();
      if (s.state() == PropertyStatus.State.FALSIFIED
          && s.result().verdict() instanceof Verdict.Falsified f) {
        margin = labelMargin(f.output(), item.label());
      }
      rows.add(new Row(item.index(), item.label(), s.state().word(),
          s.pass() == null ? "" : s.pass(), margin,
          s.millis() == null ? null : s.millis() / 1000.0));
    }
    rows.sort(Comparator.comparingInt(Row::index));
    return new ItemTable(property, rows);
  }

  /** The label's output minus the largest other output (negative at a counterexample). */
  static double labelMargin(double[] y, int label) {
    double other = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < y.length; j++) {
      if (j != label) {
        other = Math.max(other, y[j]);
      }
    }
    return y[label] - other;
  }

  /** {@code index,label,verdict,decided_by,margin,seconds}, the header of certify's CSV. */
  public String csv() {
    StringBuilder sb = new StringBuilder("index,label,verdict,decided_by,margin,seconds\n");
    for (Row r : rows) {
      sb.append(r.index()).append(',').append(r.label()).append(',').append(r.verdict())
          .append(',').append(r.decidedBy()).append(',')
          .append(r.margin() == null ? "" : Verdicts.number(r.margin())).append(',')
          .append(r.seconds() == null ? "" : String.format(Locale.ROOT, "%.3f", r.seconds()))
          .append('\n');
    }
    return sb.toString();
  }

  /** A heading with the counts, then the table. */
  public String markdown() {
    long certified = rows.stream().filter(r -> r.verdict().equals("certified")).count();
    StringBuilder sb = new StringBuilder("# ").append(property).append(": certified ")
        .append(certified).append(" of ").append(rows.size()).append("\n\n")
        .append("| index | label | verdict | decided by | margin | time |\n")
        .append("|---:|---:|---|---|---:|---:|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.index()).append(" | ").append(r.label()).append(" | ")
          .append(r.verdict()).append(" | ").append(r.decidedBy()).append(" | ")
          .append(r.margin() == null ? "" : Verdicts.number(r.margin())).append(" | ")
          .append(r.seconds() == null ? "" : Verdicts.millis(Math.round(r.seconds() * 1000)))
          .append(" |\n");
    }
    return sb.toString();
  }
}
