package dev.robustspec.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.robustspec.engine.search.CounterexampleCheck;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verdict;
import java.util.Locale;

/** The textual forms of a result: the one-line verdict, the VNN-COMP result file, JSON. */
final class Reports {
  private Reports() {}

  static String decidedBy(Verdict v) {
    if (v instanceof Verdict.Certified c) {
      return c.decidedBy();
    }
    return v instanceof Verdict.Falsified f ? f.decidedBy() : null;
  }

  /** {@code holds by deeppoly in 0.042 s}, and so on. */
  static String oneLine(InstanceRunner.Outcome o) {
    if (o.failed()) {
      return "error: " + o.error().getMessage();
    }
    Verdict v = o.result().verdict();
    String time = String.format(Locale.ROOT, "%.3f s", o.seconds());
    if (v instanceof Verdict.Certified c) {
      return String.format(Locale.ROOT, "holds by %s in %s (margin %.6g)", c.decidedBy(), time,
          c.margin());
    }
    if (v instanceof Verdict.Falsified f) {
      return String.format(Locale.ROOT, "violated by %s in %s (unsafe case %d; %s)",
          f.decidedBy(), time, f.caseIndex(), checkText(f.check()));
    }
    if (v instanceof Verdict.Unknown u) {
      return String.format(Locale.ROOT, "unknown in %s (best margin %.6g: %s)", time,
          u.bestMargin(), u.reason());
    }
    return "timeout after " + time;
  }

  /**
   * The VNN-COMP result file: {@code unsat} (holds), {@code sat} and the counterexample as
   * {@code ((X_0 v) ... (Y_0 v) ...)}, {@code unknown}, {@code timeout} or {@code error}.
   */
  static String resultFile(InstanceRunner.Outcome o) {
    if (o.failed()) {
      return "error\n";
    }
    Verdict v = o.result().verdict();
    if (v instanceof Verdict.Certified) {
      return "unsat\n";
    }
    if (v instanceof Verdict.Unknown) {
      return "unknown\n";
    }
    if (v instanceof Verdict.Falsified f) {
        StringBuilder sb = new StringBuilder("sat\n(");
        for (int i = 0; i < f.input().length; i++) {
          sb.append(i == 0 ? "(" : "\n (").append("X_").append(i).append(' ')
              .append(f.input()[i]).append(')');
        }
        for (int j = 0; j < f.output().length; j++) {
          sb.append("\n (Y_").append(j).append(' ').append(f.output()[j]).append(')');
        }
        return sb.append(")\n").toString();
    }
    return "timeout\n";
  }

  static JsonObject json(InstanceRunner.Outcome o) {
    JsonObject j = new JsonObject();
    if (o.failed()) {
      j.addProperty("verdict", "error");
      j.addProperty("error", o.error().getMessage());
      j.add("seconds", number(o.seconds()));
      return j;
    }
    VerificationResult r = o.result();
    Verdict v = r.verdict();
    j.addProperty("verdict", v.word());
    String by = decidedBy(v);
    j.add("decided_by", by == null ? JsonNull.INSTANCE : new JsonPrimitive(by));
    j.add("seconds", number(o.seconds()));
    if (v instanceof Verdict.Unknown u) {
      j.addProperty("reason", u.reason());
    }
    JsonArray cases = new JsonArray();
    for (int c = 0; c < r.caseMargins().length; c++) {
      JsonObject cj = new JsonObject();
      cj.addProperty("index", c);
      cj.add("best_margin", number(r.caseMargins()[c]));
      cj.addProperty("proven", r.caseMargins()[c] > 0);
      cases.add(cj);
    }
    j.add("cases", cases);
    JsonArray passes = new JsonArray();
    for (VerificationResult.PassRun p : r.passRuns()) {
      JsonObject pj = new JsonObject();
      pj.addProperty("pass", p.pass());
      pj.addProperty("region", p.region());
      pj.add("seconds", number(p.seconds()));
      pj.addProperty("cases_certified", p.casesCertified());
      passes.add(pj);
    }
    j.add("passes", passes);
    if (v instanceof Verdict.Falsified f) {
      JsonObject cex = new JsonObject();
      cex.addProperty("case", f.caseIndex());
      cex.add("input", array(f.input()));
      cex.add("output", array(f.output()));
      cex.add("check", checkJson(f.check()));
      j.add("counterexample", cex);
    } else {
      j.add("counterexample", JsonNull.INSTANCE);
    }
    return j;
  }

  /**
   * What confirmed a counterexample, in words: {@code confirmed by a rigorous enclosure; float32
   * violates too}.
   */
  static String checkText(CounterexampleCheck.Confirmation c) {
    return (c.method() == CounterexampleCheck.Method.EXACT ? "confirmed in exact arithmetic"
        : "confirmed by a rigorous enclosure") + "; float32 "
        + (c.float32Violates() ? "violates too" : "does not violate");
  }

  /**
   * {@code {"real": "exact"|"enclosure", "float32_output": [...], "float32_violates": bool}}:
   * how the violation was confirmed in real arithmetic, and the float32 evaluation beside it.
   */
  static JsonObject checkJson(CounterexampleCheck.Confirmation c) {
    JsonObject j = new JsonObject();
    j.addProperty("real", c.method().word());
    j.add("float32_output", array(c.float32Output()));
    j.addProperty("float32_violates", c.float32Violates());
    return j;
  }

  static String toJson(JsonElement e) {
    // serializeNulls: keys such as decided_by and counterexample are present (null) when unset;
    // plain UTF-8 JSON string escaping (Gson's default HTML escaping writes ' as \u0027)
    return new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls()
        .disableHtmlEscaping().create().toJson(e);
  }

  /** A JSON number, or null for the infinities JSON cannot express. */
  static JsonElement number(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  static JsonArray array(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(number(v));
    }
    return a;
  }
}
