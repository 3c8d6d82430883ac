package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.Severity;
import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.plan.PassRegistry;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.util.List;
import java.util.Locale;

/** Turns verification results into statuses, editor diagnostics and counterexamples. */
public final class Verdicts {
  /** Vector entries shown in a message; the full vectors go to related information. */
  static final int SHOWN_VALUES = 6;

  private Verdicts() {}

  /** A falsified property's input and output, in full. */
  public record Counterexample(double[] input, double[] output) {}

  static PropertyStatus status(CompiledProperty p, SourceRange range,
      Documents.Finished f) {
    if (f.result() == null) {
      return new PropertyStatus(p.name(), PropertyStatus.State.ERROR, null, null, f.millis(),
          range, null, f.error());
    }
    Verdict v = f.result().verdict();
    PropertyStatus.State state;
    String pass;
    Double margin;
    if (v instanceof Verdict.Certified c) {
      state = PropertyStatus.State.CERTIFIED;
      pass = c.decidedBy();
      margin = c.margin();
    } else if (v instanceof Verdict.Falsified x) {
      state = PropertyStatus.State.FALSIFIED;
      pass = x.decidedBy();
      margin = null;
    } else if (v instanceof Verdict.Unknown u) {
      state = PropertyStatus.State.UNKNOWN;
      pass = lastBoundingPass(f.result());
      margin = u.bestMargin();
    } else {
      state = PropertyStatus.State.TIMEOUT;
      pass = lastBoundingPass(f.result());
      margin = ((Verdict.Timeout) v).bestMargin();
    }
    return new PropertyStatus(p.name(), state, pass, margin, f.millis(), range, f.result(), null);
  }

  /** The last pass that bounded (margins only grow, so it holds the best margin), or null. */
  static String lastBoundingPass(VerificationResult r) {
    String last = null;
    for (VerificationResult.PassRun run : r.passRuns()) {
      if (!run.pass().equals("attack")) {
        last = run.pass();
      }
    }
    return last;
  }

  /** The verdict as a diagnostic on the property's name; null while pending or running. */
  static EditorDiagnostic diagnostic(Analysis a, PropertyStatus s) {
    String time = s.millis() == null ? "" : ", " + millis(s.millis());
    switch (s.state()) {
      case CERTIFIED:
        return new EditorDiagnostic(s.nameRange(), Severity.INFORMATION, "certified",
            "certified by " + s.pass() + ", margin " + number(s.margin()) + time, List.of());
      case FALSIFIED: {
        Verdict.Falsified f = (Verdict.Falsified) s.result().verdict();
        return new EditorDiagnostic(s.nameRange(), Severity.ERROR, "falsified",
            "falsified by " + s.pass() + time + ": input " + vector(f.input(), SHOWN_VALUES)
                + " gives output " + vector(f.output(), SHOWN_VALUES),
            List.of(new EditorDiagnostic.Related(s.nameRange(),
                    "counterexample input (" + values(f.input().length) + "): "
                        + vector(f.input(), Integer.MAX_VALUE)),
                new EditorDiagnostic.Related(s.nameRange(),
                    "its output (" + values(f.output().length) + "): "
                        + vector(f.output(), Integer.MAX_VALUE))));
      }
      case UNKNOWN:
        return new EditorDiagnostic(s.nameRange(), Severity.WARNING, "unknown",
            "unknown" + time + ": best margin " + number(s.margin())
                + (s.pass() == null ? "" : " (" + s.pass() + ")") + "; try "
                + nextStep(a.property(s.name())), List.of());
      case TIMEOUT:
        return new EditorDiagnostic(s.nameRange(), Severity.WARNING, "timeout",
            "timeout" + time + ": best margin " + number(s.margin())
                + (s.pass() == null ? "" : " (" + s.pass() + ")")
                + "; try a longer limit (robustspec lsp --timeout) or " 
                + nextStep(a.property(s.name())), List.of());
      case ERROR:
        return new EditorDiagnostic(s.nameRange(), Severity.ERROR, "error",
            s.error() + " (please report it with the file)", List.of());
      default:
        return null;
    }
  }

  /** What to try when a plan did not decide: the next stronger method that fits the network. */
  static String nextStep(CompiledProperty p) {
    if (p == null) {
      return "a smaller region";
    }
    List<String> passes = p.plan().passes().stream().map(PassInvocation::pass)
        .map(PassRegistry.PassSpec::name).toList();
    boolean fewInputs = p.network().inputSize() <= PassRegistry.BAB_DEFAULT_MAX_INPUTS;
    if (!passes.contains("deeppoly")) {
      return "adding deeppoly to the plan (tighter than interval)";
    }
    if (fewInputs && !passes.contains("bab")) {
      return "adding bab to the plan (input splitting, complete on few inputs)";
    }
    if (passes.contains("bab")) {
      return "a longer bab timeout, or splitting the region";
    }
    if (passes.contains("relubab")) {
      return "a longer relubab timeout or a larger open cap, or a smaller region";
    }
    return "a smaller region, or more attack restarts if you suspect a counterexample ("
        + p.network().inputSize() + " inputs: too many for bab)";
  }

  static Counterexample counterexample(PropertyStatus s) {
    if (s.result() != null && s.result().verdict() instanceof Verdict.Falsified f) {
      return new Counterexample(f.input().clone(), f.output().clone());
    }
    return null;
  }

  static String values(int n) {
    return n + (n == 1 ? " value" : " values");
  }

  static String millis(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
  }

  /** A number in 5 significant digits ({@code inf} for an infinite margin). */
  static String number(Double v) {
    if (v == null || v.isNaN()) {
      return "-";
    }
    if (v.isInfinite()) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%.5g", v);
  }

  /** {@code [a, b, … (784 values)]}, the first {@code shown} entries. */
  static String vector(double[] v, int shown) {
    StringBuilder sb = new StringBuilder("[");
    int n = Math.min(v.length, shown);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", v[i]));
    }
    if (v.length > n) {
      sb.append(", … (").append(values(v.length)).append(")");
    }
    return sb.append(']').toString();
  }
}
