package dev.robustspec.engine.verify;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.search.Counterexample;
import dev.robustspec.engine.search.CounterexampleSearch;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a plan on one specification: a quick counterexample search, then the relaxation passes in
 * order on each input region (cheap to expensive; a case closed by one pass is not bounded again),
 * then a thorough search on the cases still open. The property holds when every unsafe case has
 * a positive proven margin: for some constraint {@code c . y <= d} of the case, a rigorous lower
 * bound of {@code c . y} exceeds {@code d}.
 */
public final class Verifier {

  /**
   * @param passes relaxation passes in the order they run
   * @param seed seed of the counterexample search
   */
  public record Plan(List<RelaxationPass> passes, long seed) {
    public Plan {
      passes = List.copyOf(passes);
    }
  }

  private final Network network;

  public Verifier(Network network) {
    this.network = network;
  }

  public VerificationResult verify(Specification spec, Plan plan, Budget budget) {
    if (spec.inputSize() != network.inputSize() || spec.outputSize() != network.outputSize()) {
      throw new IllegalArgumentException("the property has " + spec.inputSize() + " inputs and "
          + spec.outputSize() + " outputs, the network " + network.inputSize() + " and "
          + network.outputSize());
    }
    long start = System.nanoTime();
    List<UnsafeCase> cases = spec.cases();
    double[] margins = new double[cases.size()];
    Arrays.fill(margins, Double.NEGATIVE_INFINITY);
    List<VerificationResult.PassRun> runs = new ArrayList<>();
    try {
      Verdict verdict = decide(spec, plan, budget, margins, runs);
      return new VerificationResult(verdict, seconds(start), margins, runs);
    } catch (BudgetExhaustedException e) {
      return new VerificationResult(new Verdict.Timeout(weakestOpen(margins)), seconds(start),
          margins, runs);
    }
  }

  private Verdict decide(Specification spec, Plan plan, Budget budget, double[] margins,
      List<VerificationResult.PassRun> runs) {
    List<UnsafeCase> cases = spec.cases();
    for (int c = 0; c < cases.size(); c++) {
      if (cases.get(c).region().isEmpty()) {
        margins[c] = Double.POSITIVE_INFINITY; // no input at all
      }
    }
    CounterexampleSearch search = new CounterexampleSearch(network);
    Counterexample cex = searchOpen(search, cases, margins,
        CounterexampleSearch.Options.quick(plan.seed()), budget);
    if (cex != null) {
      return falsified(cex);
    }
    String lastDecider = "empty region";
    List<Box> regions = spec.regions();
    for (int r = 0; r < regions.size(); r++) {
      Box region = regions.get(r);
      List<Integer> open = openCases(cases, margins, region);
      if (open.isEmpty()) {
        continue;
      }
      BoundState state = new BoundState(network, region);
      for (RelaxationPass pass : plan.passes()) {
        long t0 = System.nanoTime();
        List<double[]> objectives = new ArrayList<>();
        for (int c : open) {
          for (OutputConstraint oc : cases.get(c).constraints()) {
            objectives.add(oc.coefficients());
          }
        }
        double[] lower = pass.run(state, objectives.toArray(new double[0][]), budget);
        int at = 0;
        int closed = 0;
        for (int c : open) {
          for (OutputConstraint oc : cases.get(c).constraints()) {
            // lower(c . y) - d, rounded down: positive means the constraint cannot hold
            margins[c] = Math.max(margins[c], Math.nextDown(lower[at++] - oc.bound()));
          }
          if (margins[c] > 0) {
            closed++;
          }
        }
        runs.add(new VerificationResult.PassRun(pass.name(), r, seconds(t0), closed));
        if (closed > 0) {
          lastDecider = pass.name();
        }
        open = openCases(cases, margins, region);
        if (open.isEmpty()) {
          break;
        }
      }
    }
    if (weakestOpen(margins) == Double.POSITIVE_INFINITY) {
      return new Verdict.Certified(lastDecider, Arrays.stream(margins).min().orElse(0));
    }
    cex = searchOpen(search, cases, margins, CounterexampleSearch.Options.thorough(plan.seed()),
        budget);
    if (cex != null) {
      return falsified(cex);
    }
    List<String> names = plan.passes().stream().map(RelaxationPass::name).toList();
    return new Verdict.Unknown(weakestOpen(margins),
        "not proven by " + String.join(", ", names) + "; no counterexample found by search");
  }

  private static Verdict falsified(Counterexample cex) {
    return new Verdict.Falsified(cex.input(), cex.output(), cex.caseIndex(), "search");
  }

  private static Counterexample searchOpen(CounterexampleSearch search, List<UnsafeCase> cases,
      double[] margins, CounterexampleSearch.Options options, Budget budget) {
    for (int c = 0; c < cases.size(); c++) {
      if (margins[c] > 0) {
        continue;
      }
      Counterexample cex = search.search(cases.get(c), c, options, budget);
      if (cex != null) {
        return cex;
      }
    }
    return null;
  }

  private static List<Integer> openCases(List<UnsafeCase> cases, double[] margins, Box region) {
    List<Integer> open = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      if (!(margins[c] > 0) && cases.get(c).region().equals(region)) {
        open.add(c);
      }
    }
    return open;
  }

  /** The smallest margin among cases not yet proven empty; +infinity when all are. */
  private static double weakestOpen(double[] margins) {
    double w = Double.POSITIVE_INFINITY;
    for (double m : margins) {
      if (!(m > 0)) {
        w = Math.min(w, m);
      }
    }
    return w;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
