package dev.robustspec.lsp.service;

import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.util.List;

/**
 * How a property was decided, for hovers: the verdict with the step that decided it and how
 * (branch and bound: how many boxes or subproblems, the worst leaf margin), then each step's
 * weakest margin, so a hover's whole-region interval/DeepPoly bounds beside a branch-and-bound
 * certificate make sense. Read from the engine's {@link VerificationResult#passRuns()}.
 */
final class DecisionText {
  private DecisionText() {}

  /** Markdown, starting with a blank line; empty while the property has no result. */
  static String of(PropertyStatus s) {
    if (s == null || s.result() == null) {
      return s == null ? "" : "\n**verdict**: " + Hovers.statusLine(s) + "\n";
    }
    VerificationResult r = s.result();
    StringBuilder sb = new StringBuilder("\n**verdict**: ").append(headline(r)).append("\n\n")
        .append("how each step went (margin: the proven lower bound of an unsafe case's"
            + " constraint minus its threshold; positive rules the case out):\n\n");
    List<VerificationResult.PassRun> runs = r.passRuns();
    for (VerificationResult.PassRun run : runs) {
      sb.append("- ").append(step(run)).append('\n');
    }
    if (r.verdict() instanceof Verdict.Certified c && isBranching(c.decidedBy())) {
      sb.append("\nThe bounds above hold on the whole region at once; ").append(c.decidedBy())
          .append(" splits it and bounds each part, where the bounds are much tighter, so its"
              + " margin is the worst part's.\n");
    }
    return sb.toString();
  }

  private static String headline(VerificationResult r) {
    Verdict v = r.verdict();
    if (v instanceof Verdict.Certified c) {
      VerificationResult.PassRun decider = lastRun(r, c.decidedBy());
      String how = decider != null && isBranching(c.decidedBy())
          ? ": " + count(decider) + ", worst leaf margin " + Verdicts.number(c.margin())
          : ", margin " + Verdicts.number(c.margin());
      return "**certified** by " + words(c.decidedBy()) + how;
    }
    if (v instanceof Verdict.Falsified f) {
      return "**falsified** by " + words(f.decidedBy()) + " (a confirmed counterexample of unsafe"
          + " case " + f.caseIndex() + ")";
    }
    if (v instanceof Verdict.Unknown u) {
      return "**unknown**, best margin " + Verdicts.number(u.bestMargin());
    }
    return "**timeout**, best margin " + Verdicts.number(((Verdict.Timeout) v).bestMargin());
  }

  private static String step(VerificationResult.PassRun run) {
    if (run.pass().equals("attack")) {
      return "attack: searched for a counterexample";
    }
    StringBuilder sb = new StringBuilder(run.pass());
    if (isBranching(run.pass())) {
      sb.append(": ").append(count(run)).append(',');
    } else {
      sb.append(':');
    }
    if (!Double.isNaN(run.weakestMargin())) {
      sb.append(" weakest margin ").append(Verdicts.number(run.weakestMargin())).append(',');
    }
    sb.append(' ').append(run.casesCertified()).append(" case")
        .append(run.casesCertified() == 1 ? "" : "s").append(" closed");
    return sb.toString();
  }

  private static String count(VerificationResult.PassRun run) {
    String unit = run.pass().equals("relubab") ? "subproblem" : "box";
    return String.format(java.util.Locale.ROOT, "%,d %s%s", run.boxes(), unit,
        run.boxes() == 1 ? "" : unit.equals("box") ? "es" : "s");
  }

  private static boolean isBranching(String pass) {
    return pass.equals("bab") || pass.equals("relubab");
  }

  private static String words(String pass) {
    return switch (pass) {
      case "bab" -> "input splitting (bab)";
      case "relubab" -> "ReLU splitting (relubab)";
      default -> pass;
    };
  }

  private static VerificationResult.PassRun lastRun(VerificationResult r, String pass) {
    VerificationResult.PassRun last = null;
    for (VerificationResult.PassRun run : r.passRuns()) {
      if (run.pass().equals(pass)) {
        last = run;
      }
    }
    return last;
  }
}
