package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.service.PropertyRunner;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The results of {@code verify}'s properties in every form it writes them: the CSV row of
 * {@code --out}, the printed table with its counterexamples, the JSON of {@code --json} and the
 * exit code; properties resumed from {@code --out} come as their CSV rows.
 */
final class PropertyResults {
  static final String HEADER = "property,network,verdict,decided_by,margin,seconds";

  private PropertyResults() {}

  /**
   * The width of the property column: the longest name, at least that of the word
   * {@code property}.
   */
  static int nameWidth(List<String> names) {
    int w = 8;
    for (String n : names) {
      w = Math.max(w, n.length());
    }
    return w;
  }

  /** A property's CSV row: property,network,verdict,decided_by,margin,seconds. */
  static String[] row(PropertyRunner.Outcome o) {
    VerificationResult r = o.result();
    String by = Reports.decidedBy(r.verdict());
    double m = margin(r);
    return new String[] {o.property().name(), o.property().networkName(), word(r.verdict()),
        by == null ? "" : by, Double.isFinite(m) ? String.format(Locale.ROOT, "%.6g", m)
            : Double.isNaN(m) ? "" : (m > 0 ? "inf" : "-inf"),
        String.format(Locale.ROOT, "%.3f", r.seconds())};
  }

  static int exitCode(List<String[]> resumed, List<PropertyRunner.Outcome> outcomes) {
    boolean falsified = false;
    boolean open = false;
    for (String[] r : resumed) {
      falsified |= r[2].equals("falsified");
      open |= r[2].equals("unknown") || r[2].equals("timeout");
    }
    int now = exitCode(outcomes);
    return falsified || now == 1 ? 1 : open || now == 3 ? 3 : ExitCodes.OK;
  }

  static int exitCode(List<PropertyRunner.Outcome> outcomes) {
    boolean falsified = false;
    boolean open = false;
    for (PropertyRunner.Outcome o : outcomes) {
      Verdict v = o.result().verdict();
      falsified |= v instanceof Verdict.Falsified;
      open |= v instanceof Verdict.Unknown || v instanceof Verdict.Timeout;
    }
    return falsified ? 1 : open ? 3 : ExitCodes.OK;
  }

  /** The language's verdict words. */
  static String word(Verdict v) {
    if (v instanceof Verdict.Certified) {
      return "certified";
    }
    if (v instanceof Verdict.Falsified) {
      return "falsified";
    }
    return v instanceof Verdict.Unknown ? "unknown" : "timeout";
  }

  static double margin(VerificationResult r) {
    Verdict v = r.verdict();
    if (v instanceof Verdict.Certified c) {
      return c.margin();
    }
    if (v instanceof Verdict.Unknown u) {
      return u.bestMargin();
    }
    if (v instanceof Verdict.Timeout t) {
      return t.bestMargin();
    }
    return Double.NaN;
  }

  static void table(List<String[]> resumed, List<PropertyRunner.Outcome> outcomes,
      PrintWriter out) {
    int w = nameWidth(Stream.concat(outcomes.stream().map(o -> o.property()
        .name()), resumed.stream().map(r -> r[0])).toList());
    String fmt = "%-" + w + "s  %-9s  %-10s  %12s  %9s%n";
    out.printf(Locale.ROOT, fmt, "property", "verdict", "decided by", "margin", "time");
    for (String[] r : resumed) {
      out.printf(Locale.ROOT, fmt, r[0], r[2], r[3].isEmpty() ? "-" : r[3],
          r[4].isEmpty() ? "-" : r[4], r[5] + " s (resumed)");
    }
    for (PropertyRunner.Outcome o : outcomes) {
      VerificationResult r = o.result();
      String by = Reports.decidedBy(r.verdict());
      double m = margin(r);
      out.printf(Locale.ROOT, fmt, o.property().name(), word(r.verdict()), by == null ? "-" : by,
          Double.isNaN(m) ? "-" : Double.isInfinite(m) ? (m > 0 ? "inf" : "-inf")
              : String.format(Locale.ROOT, "%.5g", m),
          String.format(Locale.ROOT, "%.3f s", r.seconds()));
    }
    for (PropertyRunner.Outcome o : outcomes) {
      if (o.result().verdict() instanceof Verdict.Falsified f) {
        out.printf("%ncounterexample to %s (unsafe case %d: %s):%n", o.property().name(),
            f.caseIndex(), caseText(o.property(), f));
        out.println("  input  " + vector(f.input()));
        out.println("  output " + vector(f.output()));
        out.println("  float32 output " + vector(f.check().float32Output()));
        out.println("  " + Reports.checkText(f.check()));
      }
    }
  }

  /** The unsafe case a counterexample meets, in the file's terms (tiny(x)[0] > 3). */
  static String caseText(CompiledProperty p, Verdict.Falsified f) {
    List<UnsafeCase> cases = p.specification().cases();
    return f.caseIndex() >= 0 && f.caseIndex() < cases.size()
        ? p.caseText(cases.get(f.caseIndex())) : "?";
  }

  /** A vector, shortened to its first 8 entries when long. */
  static String vector(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    int n = Math.min(v.length, 8);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", v[i]));
    }
    if (v.length > n) {
      sb.append(", ... (").append(v.length).append(" values; --json prints all)");
    }
    return sb.append(']').toString();
  }

  static JsonObject json(Compilation c, List<String[]> resumed,
      List<PropertyRunner.Outcome> outcomes) {
    JsonObject root = new JsonObject();
    root.addProperty("file", c.fileName());
    root.add("diagnostics", DiagnosticFormatter.json(c.fileName(), c.diagnostics()));
    JsonArray props = new JsonArray();
    for (String[] r : resumed) {
      JsonObject j = new JsonObject();
      j.addProperty("property", r[0]);
      j.addProperty("network", r[1]);
      j.addProperty("verdict", r[2]);
      j.addProperty("decided_by", r[3].isEmpty() ? null : r[3]);
      j.addProperty("margin_text", r[4]);
      j.add("seconds", Reports.number(Double.parseDouble(r[5])));
      j.addProperty("resumed", true);
      props.add(j);
    }
    for (PropertyRunner.Outcome o : outcomes) {
      VerificationResult r = o.result();
      JsonObject j = new JsonObject();
      j.addProperty("property", o.property().name());
      j.addProperty("network", o.property().networkName());
      j.addProperty("verdict", word(r.verdict()));
      String by = Reports.decidedBy(r.verdict());
      j.addProperty("decided_by", by);
      j.add("margin", Reports.number(margin(r)));
      j.add("seconds", Reports.number(r.seconds()));
      if (r.verdict() instanceof Verdict.Unknown u) {
        j.addProperty("reason", u.reason());
      }
      JsonArray cases = new JsonArray();
      for (double m : r.caseMargins()) {
        cases.add(Reports.number(m));
      }
      j.add("case_margins", cases);
      if (r.verdict() instanceof Verdict.Falsified f) {
        JsonObject cex = new JsonObject();
        cex.addProperty("case", f.caseIndex());
        cex.addProperty("case_text", caseText(o.property(), f));
        cex.add("input", Reports.array(f.input()));
        cex.add("output", Reports.array(f.output()));
        cex.add("check", Reports.checkJson(f.check()));
        j.add("counterexample", cex);
      } else {
        j.add("counterexample", null);
      }
      props.add(j);
    }
    root.add("properties", props);
    return root;
  }
}
