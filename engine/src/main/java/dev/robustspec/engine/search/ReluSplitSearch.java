package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Cores;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.List;

/**
 * ReLU-splitting branch and bound: decides one unsafe case, or several over one input set in one
 * tree, by splitting unstable ReLUs, for networks with many inputs (where splitting the input
 * box, {@link BranchAndBound}, does not scale). With several cases a part is closed when every
 * case is proven on it, its margin is its worst case's, and the split and the attacks aim at
 * that case; below a part where a case is proven its constraints are not bounded again.
 *
 * <p>Requires: a network DeepPoly handles. Returns: {@link BranchAndBound.Outcome.Status#PROVEN}
 * with the smallest margin of the closed leaves when every sub-problem is closed,
 * {@link BranchAndBound.Outcome.Status#FALSIFIED} with a counterexample confirmed on the original
 * case, or {@link BranchAndBound.Outcome.Status#UNKNOWN} when the number of open sub-problems
 * reached {@code maxOpen}, the sub-problems bounded reached {@code maxDomains}, or a sub-problem
 * with every ReLU fixed could not be closed (DeepPoly then bounds the linear piece over the whole
 * box, not only where the decisions hold). When the budget ends once the tree has begun, the
 * outcome is unknown with the smallest margin of the parts still open: a lower bound of the
 * case's margin over the whole region (the open and closed parts cover it); the caller checks
 * its budget to stop. When it ends before (while the root is bounded), the
 * {@link BudgetExhaustedException} propagates.
 *
 * <p>Method (BaBSR, Bunel et al., "Branch and Bound for Piecewise Linear Neural Network
 * Verification", JMLR 2020): a sub-problem ({@link ReluSubproblem}) is the box plus split
 * decisions; it is bounded by a full DeepPoly pass over its bound state, with the split
 * neurons' intervals cut by their decisions and every layer re-tightened, and closed when some
 * constraint's rigorous lower bound exceeds its bound or its bounds are empty. Open sub-problems
 * wait in a priority queue, the worst margin first (best-first: the sub-problem that decides the
 * case's bound is refined first, and the smallest open margin is a valid bound of the whole
 * case), until half of {@code maxOpen} wait: then the best first, the nearest to closing, so that
 * the open parts stop piling up ({@link SubproblemQueue}). A worker takes one, chooses the neuron
 * by BaBSR's score
 * ({@link ReluSubproblem#chooseSplit}), bounds both children and queues those still open. In
 * every open child, the box corner minimising the relaxation's linear bound is tried as a
 * counterexample, then a short signed-gradient descent (PGD) from it, every candidate confirmed
 * on the ORIGINAL case by the verifier's {@link CounterexampleCheck} (exact real arithmetic,
 * strict constraints strictly; the same confirmation {@link BranchAndBound} uses; a rejected
 * candidate does not end the search). {@code parallelism} workers share the queue; the
 * run ends when the queue is empty and no worker holds a sub-problem, at the first
 * counterexample, at a cap, or when the budget ends (checked in every loop). With one worker the
 * order is deterministic (ties broken by creation order; the descent is deterministic).
 *
 * <p>Soundness: sound (see {@link ReluSubproblem}): the two children of a split cover their
 * parent, every closed leaf's bound is rigorous over the leaf, so PROVEN means the case is empty;
 * FALSIFIED carries a point confirmed on the original case. With {@code betaIterations} above 0
 * every sub-problem is also bounded by β-CROWN ({@link BetaCrown}, Wang et al., NeurIPS 2021):
 * the split constraints enter the objective through optimised multipliers, warm-started from the
 * parent, so a part with every ReLU fixed approaches its exact minimum (the LP's dual); every
 * such bound is recomputed by the rigorous back-substitution. The neuron to split is BaBSR's or,
 * with {@code fsbCandidates} above 0, filtered smart branching's ({@link SplitChoice}); every
 * {@link #LEAF_ATTACK_EVERY}-th part taken is attacked longer ({@link LeafAttack}), and the
 * case's own search runs {@link #RESTARTS_PER_LEAF_ATTACK} more restarts beside it; past
 * {@link #BACKOFF_START} parts bounded, these attacks and the open children's descents back off
 * (their gaps double as the tree doubles).
 */
public final class ReluSplitSearch {

  /**
   * @param maxOpen most open sub-problems at once (the memory cap; each holds its bound state);
   *     from half of it on, the nearest to closing are split first
   * @param maxDomains most sub-problems bounded per case
   * @param attackSteps signed-gradient steps from each open child's minimiser (0: the point only)
   * @param parallelism workers bounding sub-problems (1: deterministic order; 0: one per core,
   *     resolved when a run starts, so a plan that says 0 reads the same on every machine)
   */
  public record Options(int maxOpen, long maxDomains, int attackSteps, int parallelism,
      int betaIterations, int fsbCandidates, int cutGroup) {
    public Options {
      if (maxOpen < 1 || maxDomains < 1 || attackSteps < 0 || parallelism < 0
          || betaIterations < 0 || fsbCandidates < 0 || cutGroup < 0 || cutGroup == 1
          || cutGroup > 4) {
        throw new IllegalArgumentException("ReLU branch and bound options out of range");
      }
    }

    /** With the default multi-neuron cuts ({@link #DEFAULT_CUT_GROUP}). */
    public Options(int maxOpen, long maxDomains, int attackSteps, int parallelism,
        int betaIterations, int fsbCandidates) {
      this(maxOpen, maxDomains, attackSteps, parallelism, betaIterations, fsbCandidates,
          DEFAULT_CUT_GROUP);
    }

    /** The given caps with the default bounding and branching ({@link #defaults()}). */
    public Options(int maxOpen, long maxDomains, int attackSteps, int parallelism) {
      this(maxOpen, maxDomains, attackSteps, parallelism, DEFAULT_BETA_ITERATIONS,
          DEFAULT_FSB_CANDIDATES);
    }

    public static Options defaults() {
      return new Options(4000, 10_000_000, 10, 0);
    }

    /** β-CROWN's options of a sub-problem, or null when {@code betaIterations} is 0. */
    BetaCrown.Options beta() {
      if (betaIterations == 0) {
        return null;
      }
      BetaCrown.Options d = BetaCrown.Options.defaults();
      return new BetaCrown.Options(betaIterations, d.alphaRate(), d.betaRate(), d.decay());
    }

    /** The workers a run starts: {@link #parallelism}, or one per core when it is 0. */
    int workers() {
      return parallelism == 0 ? Cores.available() : parallelism;
    }
  }

  /**
   * Every this many sub-problems taken from the queue, the one taken (the worst open) is also
   * attacked by {@link #LEAF_ATTACK_STEPS} descent steps from its minimiser, as is the root.
   */
  static final int LEAF_ATTACK_EVERY = 16;
  static final int LEAF_ATTACK_STEPS = 100;
  /**
   * With each leaf attack, this many more restarts of the case's own search
   * ({@link CounterexampleSearch.Restarts}, {@link #RESTART_STEPS} steps each, seed
   * {@link #RESTART_SEED}: other points than the search before the branch and bound's, seed 0):
   * the attack goes on beside the splitting for the whole budget, at a bounded share of it.
   */
  static final int RESTARTS_PER_LEAF_ATTACK = 4;
  static final int RESTART_STEPS = 30;
  static final long RESTART_SEED = 1;
  /**
   * Once this many sub-problems are bounded, the attacks back off: the gap between leaf attacks
   * and between open children's descents doubles each time the count of bounded sub-problems
   * doubles (every open child's minimiser is still tried). Why: the attacks took 48 % of the
   * samples on MNIST-FC 256x4 prop_11 eps 0.05 (JFR), a property that holds; the violations
   * found inside this search came within its first few seconds (BENCHMARKS.md's attack-off
   * rows), long before this count.
   */
  static final long BACKOFF_START = 1024;

  /**
   * β-CROWN steps per sub-problem by default (0 would bound by DeepPoly alone): 20, as
   * α,β-CROWN's MNIST-FC configuration. On the 8 MNIST-FC instances relubab proves (default plan,
   * 2 cores, twice each): 5 steps 25.1 s in all, 10 steps 15.9 / 15.7 s, 20 steps 14.1 / 14.2 s,
   * 40 steps 18.2 s (issue 15, seventh round).
   */
  public static final int DEFAULT_BETA_ITERATIONS = 20;
  /**
   * How the neuron to split is chosen by default: 0 is BaBSR's score alone
   * ({@link ReluSubproblem#chooseSplit}); k above 0 is filtered smart branching over the best k
   * by that score ({@link ReluSubproblem#chooseSplitFsb}).
   */
  public static final int DEFAULT_FSB_CANDIDATES = 0;
  /**
   * Neurons per multi-neuron cut group (MN-BaB's k-ReLU constraints in every part, where they
   * pay; 0: none). On MNIST-FC at 30 s they decided 64 instances against 63 without, in 858 s
   * against 899 s (BENCHMARKS.md, mnistfc 30 s rows session14 and session13).
   */
  public static final int DEFAULT_CUT_GROUP = 3;

  private final Network network;
  private final List<double[]> biases;
  private final CounterexampleCheck check;
  private final ProgressListener listener;
  private final LeafAttack leafAttack;

  /** Candidates confirmed by a check of its own; no progress reported. */
  public ReluSplitSearch(Network network) {
    this(network, new CounterexampleCheck(network), ProgressListener.NONE);
  }

  /**
   * Candidates confirmed by {@code check} (the verifier's one instance); {@code listener} hears
   * of the sub-problems open and closed, as {@link BranchAndBound} reports its boxes.
   */
  public ReluSplitSearch(Network network, CounterexampleCheck check, ProgressListener listener) {
    this.network = network;
    this.biases = SplitChoice.biases(network);
    this.check = check;
    this.listener = listener;
    this.leafAttack = new LeafAttack(network, check);
  }

  /** The root's multi-neuron cuts, shared by the cases of one region. */
  private final RootCuts rootCuts = new RootCuts();

  /** Decides case {@code caseIndex} ({@code unsafeCase}) by splitting ReLUs. */
  public BranchAndBound.Outcome run(UnsafeCase unsafeCase, int caseIndex, Options options,
      Budget budget) {
    return run(unsafeCase, caseIndex, null, options, budget);
  }

  /**
   * Decides case {@code caseIndex} by splitting ReLUs, the root starting from {@code prior}'s
   * bounds (null: none), which must hold on a box containing the case's region (the earlier
   * passes' state of that region, e.g. with α-CROWN's optimised intermediate bounds): every
   * sub-problem inherits them.
   */
  public BranchAndBound.Outcome run(UnsafeCase unsafeCase, int caseIndex, BoundState prior,
      Options options, Budget budget) {
    return runCases(List.of(unsafeCase), List.of(caseIndex), prior, options, budget).outcome();
  }

  /**
   * What one tree over several cases decided: the outcome, and per case (in the order given) a
   * lower bound of its margin over the region; above 0 the case is empty, also when the outcome
   * is unknown (proven on every part still open and on every closed one).
   */
  public record CasesOutcome(BranchAndBound.Outcome outcome, double[] caseMargins) {
    /**
     * Every case bounded by the outcome's margin: a proof's, an unknown outcome's at most 0 (only
     * a proof closes a case), -infinity for a counterexample.
     */
    public static CasesOutcome uniform(BranchAndBound.Outcome outcome, int cases) {
      double[] m = new double[cases];
      java.util.Arrays.fill(m, switch (outcome.status()) {
        case PROVEN -> outcome.margin();
        case UNKNOWN -> Math.min(0, outcome.margin());
        case FALSIFIED -> Double.NEGATIVE_INFINITY;
      });
      return new CasesOutcome(outcome, m);
    }
  }

  /**
   * Decides the cases {@code cases} ({@code indices} their indices) in one tree: every part
   * bounds the constraints of every case, and is closed when each case is proven empty there
   * (α,β-CROWN bounds all the specifications of a property together the same way). The splits,
   * the intermediate bounds and β-CROWN's sweep over the layers are then shared by the cases,
   * where one tree per case would bound the same early splits once per case. PROVEN means every
   * case is empty; the margin of an outcome bounds every case's margin from below. The cases
   * must share one region and one input polytope (as a property's disjuncts over one input set
   * do). Returns the outcome with each case's own bound ({@link CasesOutcome}).
   */
  public CasesOutcome runCases(List<UnsafeCase> cases, List<Integer> indices,
      BoundState prior, Options options, Budget budget) {
    int k = cases.size();
    if (cases.isEmpty() || cases.size() != indices.size()) {
      throw new IllegalArgumentException("one index per case, at least one case");
    }
    UnsafeCase first = cases.get(0);
    for (UnsafeCase c : cases) {
      if (!sameInputSet(first, c)) {
        throw new IllegalArgumentException("the cases of one tree must share their input set");
      }
    }
    double[] lo = first.region().lower().clone();
    double[] hi = first.region().upper().clone();
    for (InputConstraint c : first.inputConstraints()) {
      c.tighten(lo, hi); // a general polytope: its sound bounding box
    }
    Box box = new Box(lo, hi);
    if (box.isEmpty()) {
      return CasesOutcome.uniform(new BranchAndBound.Outcome(
          BranchAndBound.Outcome.Status.PROVEN, Double.POSITIVE_INFINITY, null, 0), k);
    }
    List<double[]> rows = new ArrayList<>();
    List<Double> rowBounds = new ArrayList<>();
    int[] rowCase = new int[cases.stream().mapToInt(c -> c.constraints().size()).sum()];
    for (int c = 0; c < cases.size(); c++) {
      if (cases.get(c).constraints().isEmpty()) {
        // every input of the set is in this case: only a point can decide it
        Counterexample cex = confirm(cases.get(c), indices.get(c), centre(lo, hi));
        return CasesOutcome.uniform(new BranchAndBound.Outcome(cex == null
            ? BranchAndBound.Outcome.Status.UNKNOWN : BranchAndBound.Outcome.Status.FALSIFIED,
            Double.NEGATIVE_INFINITY, cex, 0), k);
      }
      for (OutputConstraint oc : cases.get(c).constraints()) {
        rowCase[rows.size()] = c;
        rows.add(oc.coefficients());
        rowBounds.add(oc.bound());
      }
    }
    double[][] objectives = rows.toArray(new double[0][]);
    double[] bounds = rowBounds.stream().mapToDouble(Double::doubleValue).toArray();
    SubproblemQueue shared = new SubproblemQueue(options, listener);
    ReluSubproblem root = SubproblemRoot.bound(network, box, prior, objectives, bounds,
        options.beta(), options.cutGroup() == 0 ? null
            : state -> rootCuts.over(state, box, prior, options.cutGroup(), budget), rowCase,
        budget);
    shared.domains++;
    if (root.margin() > 0) {
      return CasesOutcome.uniform(new BranchAndBound.Outcome(
          BranchAndBound.Outcome.Status.PROVEN, root.margin(), null, 1), k);
    }
    Counterexample found = leafAttack.attack(root, cases, indices, LEAF_ATTACK_STEPS, budget);
    if (found != null) {
      return CasesOutcome.uniform(new BranchAndBound.Outcome(
          BranchAndBound.Outcome.Status.FALSIFIED, Double.NEGATIVE_INFINITY, found, 1), k);
    }
    shared.offer(root);
    List<CounterexampleSearch.Restarts> restarts = new ArrayList<>();
    CounterexampleSearch search = new CounterexampleSearch(network, check);
    for (int c = 0; c < cases.size(); c++) {
      restarts.add(search.restarts(cases.get(c), indices.get(c), RESTART_SEED, RESTART_STEPS));
    }
    SplitWorker worker = new SplitWorker(shared, cases, indices, objectives, bounds, options,
        restarts, leafAttack, biases, budget);
    List<Thread> threads = new ArrayList<>();
    for (int w = 1; w < options.workers(); w++) {
      Thread t = new Thread(worker, "robustspec-relubab-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    worker.run();
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shared.finish(null, new BudgetExhaustedException("interrupted"));
      }
    }
    BranchAndBound.Outcome outcome;
    try {
      outcome = shared.outcome();
    } catch (BudgetExhaustedException e) {
      outcome = new BranchAndBound.Outcome(BranchAndBound.Outcome.Status.UNKNOWN,
          shared.openBound(), null, shared.domains);
    }
    return outcome.status() == BranchAndBound.Outcome.Status.UNKNOWN
        ? new CasesOutcome(outcome, shared.caseBounds(k)) : CasesOutcome.uniform(outcome, k);
  }

  /** Whether two cases have the same region and the same input polytope (row by row). */
  public static boolean sameInputSet(UnsafeCase a, UnsafeCase b) {
    if (!a.region().equals(b.region())
        || a.inputConstraints().size() != b.inputConstraints().size()) {
      return false;
    }
    for (int i = 0; i < a.inputConstraints().size(); i++) {
      InputConstraint x = a.inputConstraints().get(i);
      InputConstraint y = b.inputConstraints().get(i);
      if (!java.util.Arrays.equals(x.coefficients(), y.coefficients())
          || Double.compare(x.bound(), y.bound()) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A counterexample when {@link CounterexampleCheck} confirms {@code x} on the original case
   * (exactly, strict constraints strictly); a rejected candidate only means the search goes on.
   */
  private Counterexample confirm(UnsafeCase unsafeCase, int caseIndex, double[] x) {
    return check.confirm(unsafeCase, caseIndex, x);
  }

  private static double[] centre(double[] lower, double[] upper) {
    double[] c = new double[lower.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.min(upper[i], Math.max(lower[i], BoxSplit.midpoint(lower[i], upper[i])));
    }
    return c;
  }
}
