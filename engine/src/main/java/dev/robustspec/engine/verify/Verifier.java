package dev.robustspec.engine.verify;

import dev.robustspec.engine.base.Cores;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.search.BranchAndBound;
import dev.robustspec.engine.search.Counterexample;
import dev.robustspec.engine.search.CounterexampleCheck;
import dev.robustspec.engine.search.CounterexampleSearch;
import dev.robustspec.engine.search.ReluSplitSearch;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a plan on one specification. Steps run in order: a relaxation pass bounds, on each input
 * region, the constraints of the cases still open (a case closed by one pass is not bounded
 * again; each region keeps one {@link BoundState} that every pass tightens); a search step looks
 * for a counterexample in the open cases; a branch step ({@link BranchAndBound}) splits each
 * open case's region until every piece is proven empty or a counterexample is found (a ReLU
 * branch step's root starts from the region's {@link BoundState}, so bounds an earlier pass
 * tightened, such as α-CROWN's intermediate ones, reach every sub-problem). The
 * property holds when every unsafe case has a positive proven margin: for some constraint
 * {@code c . y <= d} of the case, a rigorous lower bound of {@code c . y} exceeds {@code d}.
 * The first counterexample found ends the run; every search step confirms its candidates with
 * the verifier's one {@link CounterexampleCheck} (real arithmetic, strict comparisons strict), and
 * a candidate that fails it is no counterexample: the step goes on, and the verdict is unknown
 * (or timeout) when nothing real is found.
 */
public final class Verifier {

  /** An ordered list of steps. */
  public record Plan(List<PlanStep> steps) {
    public Plan {
      steps = List.copyOf(steps);
    }

    /**
     * The default shape of a plan around the given passes: a quick search, the passes in order,
     * then a thorough search.
     */
    public Plan(List<RelaxationPass> passes, long seed) {
      this(defaultSteps(passes, seed));
    }

    private static List<PlanStep> defaultSteps(List<RelaxationPass> passes, long seed) {
      List<PlanStep> steps = new ArrayList<>();
      steps.add(new PlanStep.Search(CounterexampleSearch.Options.quick(seed), null));
      for (RelaxationPass p : passes) {
        steps.add(new PlanStep.Relax(p, null));
      }
      steps.add(new PlanStep.Search(CounterexampleSearch.Options.thorough(seed), null));
      return steps;
    }
  }

  private final Network network;
  private final CounterexampleCheck check;
  private final ProgressListener listener;

  public Verifier(Network network) {
    this(network, ProgressListener.NONE);
  }

  /** A verifier that reports its steps, boxes and margins to {@code listener}. */
  public Verifier(Network network, ProgressListener listener) {
    this.network = network;
    this.check = new CounterexampleCheck(network);
    this.listener = listener;
  }

  public VerificationResult verify(Specification spec, Plan plan, Budget budget) {
    if (spec.inputSize() != network.inputSize() || spec.outputSize() != network.outputSize()) {
      throw new IllegalArgumentException("the property has " + spec.inputSize() + " inputs and "
          + spec.outputSize() + " outputs, the network " + network.inputSize() + " and "
          + network.outputSize());
    }
    Run run = new Run(spec, budget);
    long rejectedBefore = check.rejected();
    Verdict verdict;
    try {
      verdict = run.decide(plan);
    } catch (BudgetExhaustedException e) {
      verdict = new Verdict.Timeout(weakestOpen(run.margins));
    }
    long rejected = check.rejected() - rejectedBefore;
    if (verdict instanceof Verdict.Unknown u && rejected > 0) {
      verdict = new Verdict.Unknown(u.bestMargin(), u.reason() + "; " + rejected + " candidate"
          + (rejected == 1 ? "" : "s") + " violated the property only in double precision, not"
          + " in exact arithmetic");
    }
    List<VerificationResult.RegionBounds> bounds = new ArrayList<>();
    for (int r = 0; r < run.states.length; r++) {
      BoundState s = run.states[r];
      if (s != null) {
        double[][] lo = new double[s.size()][];
        double[][] hi = new double[s.size()][];
        for (int k = 0; k < s.size(); k++) {
          lo[k] = s.lower(k).clone();
          hi[k] = s.upper(k).clone();
        }
        bounds.add(new VerificationResult.RegionBounds(r, lo, hi));
      }
    }
    return new VerificationResult(verdict, seconds(run.start), run.margins, run.runs, bounds);
  }

  /** The mutable state of one verification. */
  private final class Run {
    final long start = System.nanoTime();
    final Specification spec;
    final List<UnsafeCase> cases;
    final List<Box> regions;
    final BoundState[] states;
    final double[] margins;
    final List<VerificationResult.PassRun> runs = new ArrayList<>();
    final Budget budget;

    Run(Specification spec, Budget budget) {
      this.spec = spec;
      this.cases = spec.cases();
      this.regions = spec.regions();
      this.states = new BoundState[regions.size()];
      this.margins = new double[cases.size()];
      this.budget = budget;
      Arrays.fill(margins, Double.NEGATIVE_INFINITY);
      for (int c = 0; c < cases.size(); c++) {
        if (cases.get(c).region().isEmpty()) {
          margins[c] = Double.POSITIVE_INFINITY; // no input at all
        }
      }
    }

    Verdict decide(Plan plan) {
      String lastDecider = "empty region";
      for (PlanStep step : plan.steps()) {
        if (weakestOpen(margins) == Double.POSITIVE_INFINITY) {
          break;
        }
        budget.check();
        Budget stepBudget = step.timeout() == null ? budget : budget.capped(step.timeout());
        long stepStart = System.nanoTime();
        listener.passStarted(step.name());
        try {
          if (step instanceof PlanStep.Search s) {
            Counterexample cex = search(s.options(), stepBudget);
            if (cex != null) {
              return falsified(cex, "attack");
            }
          } else if (step instanceof PlanStep.Relax r) {
            if (relax(r.pass(), stepBudget)) {
              lastDecider = r.pass().name();
            }
          } else if (step instanceof PlanStep.Branch || step instanceof PlanStep.ReluBranch) {
            BranchAndBound.Outcome falsified = branch(step, stepBudget);
            if (falsified != null) {
              return falsified(falsified.counterexample(), step.name());
            }
            if (weakestOpen(margins) == Double.POSITIVE_INFINITY) {
              lastDecider = step.name();
            }
          }
        } catch (BudgetExhaustedException e) {
          budget.check(); // the run's own deadline: a timeout; otherwise only the step's cap ran out
        } finally {
          listener.passFinished(step.name(), seconds(stepStart));
          listener.bestMargin(weakestOpen(margins));
        }
      }
      if (weakestOpen(margins) == Double.POSITIVE_INFINITY) {
        return new Verdict.Certified(lastDecider, Arrays.stream(margins).min().orElse(0));
      }
      List<String> names = plan.steps().stream().map(PlanStep::name).toList();
      return new Verdict.Unknown(weakestOpen(margins),
          "not decided by " + String.join(", ", names));
    }

    /** Runs a pass on every region with open cases; true when it closed at least one case. */
    /** The input constraints that every case on {@code region} has (a state serves them all). */
    List<InputConstraint> commonInputConstraints(Box region) {
      List<InputConstraint> common = null;
      for (UnsafeCase c : cases) {
        if (!c.region().equals(region)) {
          continue;
        }
        if (common == null) {
          common = new ArrayList<>(c.inputConstraints());
        } else {
          common.removeIf(ic -> c.inputConstraints().stream().noneMatch(
              other -> other.bound() == ic.bound()
                  && Arrays.equals(other.coefficients(), ic.coefficients())));
        }
      }
      return common == null ? List.of() : common;
    }

    boolean relax(RelaxationPass pass, Budget stepBudget) {
      boolean closedAny = false;
      for (int r = 0; r < regions.size(); r++) {
        Box region = regions.get(r);
        List<Integer> open = openCases(region);
        if (open.isEmpty()) {
          continue;
        }
        if (states[r] == null) {
          states[r] = new BoundState(network, region);
          states[r].constrainInputs(commonInputConstraints(region));
        }
        long t0 = System.nanoTime();
        List<double[]> objectives = new ArrayList<>();
        for (int c : open) {
          for (OutputConstraint oc : cases.get(c).constraints()) {
            objectives.add(oc.coefficients());
          }
        }
        double[] lower = pass.run(states[r], objectives.toArray(new double[0][]), stepBudget);
        int at = 0;
        int closed = 0;
        double weakest = Double.POSITIVE_INFINITY;
        for (int c : open) {
          for (OutputConstraint oc : cases.get(c).constraints()) {
            // lower(c . y) - d, rounded down: positive means the constraint cannot hold
            margins[c] = Math.max(margins[c], Math.nextDown(lower[at++] - oc.bound()));
          }
          if (margins[c] > 0) {
            closed++;
          }
          weakest = Math.min(weakest, margins[c]);
        }
        runs.add(new VerificationResult.PassRun(pass.name(), r, seconds(t0), closed, weakest, 0));
        closedAny |= closed > 0;
      }
      return closedAny;
    }

    /**
     * Runs branch and bound (input or ReLU splitting, as the step says) on every open case,
     * region by region; a proven case gets its smallest leaf margin. Returns the outcome holding
     * a counterexample (confirmed by the one {@code check}), or null.
     */
    BranchAndBound.Outcome branch(PlanStep step, Budget stepBudget) {
      BranchAndBound bab = new BranchAndBound(network, BranchAndBound.Bounding.DEEPPOLY,
          Cores.available(), check, listener);
      ReluSplitSearch reluBab = new ReluSplitSearch(network, check, listener);
      for (int r = 0; r < regions.size(); r++) {
        List<Integer> open = openCases(regions.get(r));
        if (open.isEmpty()) {
          continue;
        }
        if (step instanceof PlanStep.ReluBranch) {
          // the worst bound first: where a violation most likely is, so it ends the run sooner
          open.sort(java.util.Comparator.comparingDouble((Integer c) -> margins[c]));
        }
        long t0 = System.nanoTime();
        int closed = 0;
        long boxes = 0;
        double weakest = Double.POSITIVE_INFINITY;
        try {
          for (List<Integer> group : groups(open, step instanceof PlanStep.ReluBranch)) {
            int c = group.get(0);
            ReluSplitSearch.CasesOutcome tree = step instanceof PlanStep.ReluBranch rb
                ? reluBab.runCases(group.stream().map(cases::get).toList(), group, states[r],
                    rb.options(), stepBudget)
                : ReluSplitSearch.CasesOutcome.uniform(
                    bab.run(cases.get(c), c, ((PlanStep.Branch) step).options(), stepBudget), 1);
            BranchAndBound.Outcome outcome = tree.outcome();
            boxes += outcome.boxes();
            if (outcome.status() == BranchAndBound.Outcome.Status.FALSIFIED) {
              return outcome;
            }
            for (int t = 0; t < group.size(); t++) {
              int g = group.get(t);
              double bound = tree.caseMargins()[t];
              if (bound > 0) {
                // proven: by the whole tree, or on every part of an unfinished one
                margins[g] = Math.max(margins[g], bound);
                closed++;
              } else {
                // a bound over the open parts (at most 0: only a proof closes a case); relubab's
                // when its budget ended too, which the check below then says
                margins[g] = Math.max(margins[g], Math.min(0, bound));
              }
              weakest = Math.min(weakest, margins[g]);
            }
            stepBudget.check();
          }
        } finally {
          runs.add(new VerificationResult.PassRun(step.name(), r, seconds(t0), closed,
              weakest == Double.POSITIVE_INFINITY ? Double.NaN : weakest, boxes));
        }
      }
      return null;
    }

    /**
     * The trees a branch step grows over a region's open cases (in order): input splitting one
     * per case; ReLU splitting one for all the cases with the same input set (their splits and
     * intermediate bounds shared, {@link ReluSplitSearch#runCases}).
     */
    List<List<Integer>> groups(List<Integer> open, boolean shareTrees) {
      List<List<Integer>> groups = new ArrayList<>();
      for (int c : open) {
        List<Integer> home = null;
        if (shareTrees) {
          for (List<Integer> g : groups) {
            if (ReluSplitSearch.sameInputSet(cases.get(g.get(0)), cases.get(c))) {
              home = g;
              break;
            }
          }
        }
        if (home == null) {
          home = new ArrayList<>();
          groups.add(home);
        }
        home.add(c);
      }
      return groups;
    }

    Counterexample search(CounterexampleSearch.Options options, Budget stepBudget) {
      long t0 = System.nanoTime();
      CounterexampleSearch search = new CounterexampleSearch(network, check);
      try {
        List<UnsafeCase> open = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
          if (!(margins[c] > 0)) {
            open.add(cases.get(c));
            indices.add(c);
          }
        }
        return search.searchAll(open, indices, options, stepBudget);
      } finally {
        runs.add(new VerificationResult.PassRun("attack", -1, seconds(t0), 0));
      }
    }

    List<Integer> openCases(Box region) {
      List<Integer> open = new ArrayList<>();
      for (int c = 0; c < cases.size(); c++) {
        if (!(margins[c] > 0) && cases.get(c).region().equals(region)) {
          open.add(c);
        }
      }
      return open;
    }
  }

  private static Verdict falsified(Counterexample cex, String decidedBy) {
    return new Verdict.Falsified(cex.input(), cex.output(), cex.caseIndex(), decidedBy,
        cex.check());
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
