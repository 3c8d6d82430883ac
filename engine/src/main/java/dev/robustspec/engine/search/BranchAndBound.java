package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Cores;
import dev.robustspec.engine.search.BoxStack.Node;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.SymbolicIntervalPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.base.ProgressListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Input-splitting branch and bound: decides one unsafe case by bounding sub-boxes of its region.
 *
 * <p>Requires: any network DeepPoly handles; works best with few inputs (ACAS Xu's 5), since
 * the number of boxes grows exponentially with the number of dimensions that need splitting.
 * Returns: {@link Outcome.Status#PROVEN} with the smallest leaf margin when every leaf box is
 * proven empty, {@link Outcome.Status#FALSIFIED} with a confirmed counterexample, or
 * {@link Outcome.Status#UNKNOWN} when a box reached {@code maxDepth}, could not be split further,
 * or the box count reached {@code maxBoxes}. When the budget ends first, its
 * {@link dev.robustspec.engine.base.BudgetExhaustedException} propagates.
 *
 * <p>Method: a depth-first work list of sub-boxes, starting with the region. For each box, a
 * fresh {@link BoundState} is first intersected with the bounds its parent box ended with (sound:
 * the box lies inside its parent; on ACAS Xu this alone halves the time or better, since fewer
 * neurons are unstable and DeepPoly's rows terminate earlier), then {@link DeepPolyPass} (or the
 * {@link Bounding} chosen) bounds the case's constraint rows (refining the intermediate bounds
 * only at every {@code refineEvery}-th depth: the boxes between keep their parent's, which
 * still hold); the box is closed when some
 * constraint's rigorous lower bound minus its bound, rounded down, is positive. Otherwise, on a
 * box with at most {@code alphaUnstable} unstable ReLUs, {@link BetaCrown} without splits
 * (α-CROWN) optimises the lower slopes for {@code alphaSteps} steps from the parent's and closes
 * the box by the same test. Otherwise the box's centre (and, with {@code attackSteps > 0}, a
 * short PGD started there) is tried as a counterexample, confirmed on the original case.
 * Otherwise the box is split at the midpoint of the input dimension with the largest smear
 * {@code s_i * width_i} ({@link BoxSplit}), where {@code s_i} sums, over the case's
 * constraints, {@code |a_i|} for the input coefficients {@code a} of the constraint's
 * back-substituted linear lower bound: the dimension whose width costs the bounds the most.
 * (Using only the constraint closest to proven instead loops on one dimension on ACAS Xu 1_1
 * prop 4 when the closest constraint alternates; the sum proves it in about 800 boxes.) A guard
 * keeps completeness: when the chosen dimension is already 64 times narrower, relative to the
 * region, than the relatively widest one, the widest is split.
 * Depth-first rather than best-first: proving a case must close every leaf whatever the order,
 * so order only matters for finding counterexamples, and a depth-first stack holds at most about
 * {@code 2 * maxDepth} boxes where a priority queue can grow to millions; it also reaches small
 * boxes, where the centre check is informative, quickly. One stack is shared by as many threads
 * as the machine has cores (boxes are independent); the run ends when the stack is empty and no
 * thread holds a box, at the first counterexample, or when the budget ends.
 *
 * <p>Soundness: sound; complete in the limit for input splitting on a Lipschitz net, within the
 * budget. Halves are {@code [lo, mid]} and {@code [mid, hi]} with {@code mid} computed in double,
 * so their union is exactly the parent and no input is lost; every leaf's bound is DeepPoly's
 * rigorous bound (or α-CROWN's, recomputed rigorously from the slopes kept), computed from
 * bounds that hold on the box (its own or its parent's); a
 * counterexample is returned only after {@link CounterexampleCheck} confirmed it on the original
 * case in real arithmetic; a candidate that fails leaves its box to be split like any other.
 *
 * <p>References: Wang et al., "Formal Security Analysis of Neural Networks using Symbolic
 * Intervals" (ReluVal), USENIX Security 2018, for input splitting guided by symbolic intervals
 * and the smear heuristic; Bunel et al., "Branch and Bound for Piecewise Linear Neural Network
 * Verification", JMLR 2020, for the framework.
 */
public final class BranchAndBound {

  /**
   * @param maxDepth splits along one path before giving up on a box (unknown)
   * @param maxBoxes boxes bounded per case before giving up (unknown)
   * @param attackSteps PGD steps from the centre of each unproven box; 0 tries the centre only
   * @param seed random seed for the attack (same seed, same run)
   * @param refineEvery DeepPoly refines the intermediate bounds of a box at every
   *     {@code refineEvery}-th depth (and at the root); the boxes between bound only the
   *     objectives, over their parent's bounds tightened by the interval rule (1: every box)
   * @param alphaSteps α-CROWN steps on a box DeepPoly leaves open (0: none), see
   *     {@link #DEFAULT_ALPHA_STEPS}
   * @param alphaUnstable α-CROWN runs only on boxes with at most this many unstable ReLUs
   */
  public record Options(int maxDepth, long maxBoxes, int attackSteps, long seed,
      int refineEvery, int alphaSteps, int alphaUnstable) {
    public Options {
      if (maxDepth < 0 || maxBoxes < 1 || attackSteps < 0 || refineEvery < 1 || alphaSteps < 0
          || alphaUnstable < 0) {
        throw new IllegalArgumentException("branch and bound options out of range");
      }
    }

    /** The given caps, with the default refinement and α-CROWN on boxes left open. */
    public Options(int maxDepth, long maxBoxes, int attackSteps, long seed) {
      this(maxDepth, maxBoxes, attackSteps, seed, DEFAULT_REFINE_EVERY);
    }

    /** The given caps and refinement, with the default α-CROWN on boxes left open. */
    public Options(int maxDepth, long maxBoxes, int attackSteps, long seed, int refineEvery) {
      this(maxDepth, maxBoxes, attackSteps, seed, refineEvery, DEFAULT_ALPHA_STEPS,
          DEFAULT_ALPHA_UNSTABLE);
    }

    /**
     * Depth 100 and 10^7 boxes. The box stack is depth-first (at most {@code 2 * maxDepth}
     * boxes held), so the box count bounds time, not memory: set high enough that a timed run
     * ends by its budget. At 10^6 the bab gave up on ACAS Xu 4_2 prop_2 after 82 s of a 116 s
     * budget (2026-12-03, ~16,000 boxes/s on 2 cores); with more boxes it proves it in 95 s.
     */
    public static Options defaults(long seed) {
      return new Options(100, 10_000_000, 0, seed);
    }
  }

  /**
   * A child's intermediate bounds differ little from its parent's (one input dimension halved),
   * and refining them is most of a box's cost, so by default only every second depth refines.
   * Measured on ACAS Xu (2026-12-04, 2 cores, times to prove): 4_2 prop_2 93 s with every box
   * refined, 64 s every 2nd, 66 s every 3rd; 4_9 prop_1 11.0 / 7.8 / 8.3 s; 1_1 prop_6 8.2 /
   * 7.7 / 9.7 s; 2_8 prop_1 6.5 / 6.0 / 5.3 s. Trying the cheap bound first on every box and
   * refining only when it fails was slower (13.0 s on 4_9 prop_1): leaves need the refinement.
   */
  public static final int DEFAULT_REFINE_EVERY = 2;

  /**
   * Where DeepPoly leaves a box open, α-CROWN (the same bound with the lower slopes of the
   * unstable ReLUs optimised per objective, Xu et al. ICLR 2021) often closes it: on a box with
   * few unstable ReLUs the slopes DeepPoly picks by its area rule are far from the best, while
   * splitting the input further stabilises them only slowly. On ACAS Xu 3_3 prop_2 (2026-12-04,
   * one thread, every box refined), α with 10 steps on open boxes with at most 3 unstable ReLUs
   * proved 99.9% of them, matching the triangle LP (which costs 2.8 ms a box against α's
   * 0.5 ms); at most 20 unstable ReLUs proved the property in 45 s (5 steps: 40 s; at most 12:
   * not in 60 s; on every open box with 20 steps: not in 60 s, each box's α too dear); without
   * α it is not proved in 116 s on 2 threads. Children start from their parent's slopes. A cap
   * of 30 made the whole suite slower (142.8 s against 126.8 s): 1_5 prop_2, a counterexample
   * found by the centre check, took 29 s instead of 3 s.
   */
  public static final int DEFAULT_ALPHA_STEPS = 5;

  /** See {@link #DEFAULT_ALPHA_STEPS}. */
  public static final int DEFAULT_ALPHA_UNSTABLE = 20;

  /** How one case ended, the smallest leaf margin when proven, and the boxes bounded. */
  public record Outcome(Status status, double margin, Counterexample counterexample, long boxes) {
    public enum Status { PROVEN, FALSIFIED, UNKNOWN }
  }

  /**
   * How each box is bounded. Measured on ACAS Xu with parent bounds (BabThroughput, 2 shared
   * cores): {@link #DEEPPOLY} is the fastest. {@link #SYMBOLIC} bounds 2 300 to 2 500 boxes per
   * second against DeepPoly's 600 to 2 800 (the cheaper, the smaller the boxes), but its bounds
   * of deep neurons are looser on all but the smallest boxes, so 1_1 prop 4 needs 24 545 boxes
   * (10.1 s) instead of 767 (0.4 s), and 1_1 prop 3 and 2_4 prop 1 time out at 10 s.
   * {@link #SYMBOLIC_THEN_DEEPPOLY} needs as many boxes as DeepPoly, each about 1.6 times
   * slower.
   */
  public enum Bounding {
    /** DeepPoly: intermediate bounds and objectives by back-substitution (the default). */
    DEEPPOLY,
    /**
     * {@link SymbolicIntervalPass} for the intermediate bounds, then the objectives alone
     * back-substituted over them ({@link DeepPolyPass#objectivesOnly()}).
     */
    SYMBOLIC,
    /** {@link SymbolicIntervalPass}, then full DeepPoly over its bounds (the tightest, slower). */
    SYMBOLIC_THEN_DEEPPOLY
  }

  private final Network network;
  private final CounterexampleCheck check;
  private final Bounding bounding;
  /** Threads working on one case's boxes (at most the machine's cores). */
  private final int parallelism;
  private final SymbolicIntervalPass symbolic = new SymbolicIntervalPass();
  private final DeepPolyPass deepPoly;
  /** The objectives alone over the bounds already in the state (boxes that do not refine). */
  private final DeepPolyPass objectivesOnly = DeepPolyPass.objectivesOnly();
  private final ProgressListener listener;

  public BranchAndBound(Network network) {
    this(network, Bounding.DEEPPOLY);
  }

  /** Reports the boxes open and closed to {@code listener} as it goes. */
  public BranchAndBound(Network network, ProgressListener listener) {
    this(network, Bounding.DEEPPOLY, Cores.available(),
        new CounterexampleCheck(network), listener);
  }

  public BranchAndBound(Network network, Bounding bounding) {
    this(network, bounding, Cores.available());
  }

  /** With {@code parallelism} threads per case (1 gives a deterministic order). */
  public BranchAndBound(Network network, Bounding bounding, int parallelism) {
    this(network, bounding, parallelism, new CounterexampleCheck(network));
  }

  /** Like the above, with candidates confirmed by {@code check} (the verifier's one instance). */
  public BranchAndBound(Network network, Bounding bounding, int parallelism,
      CounterexampleCheck check) {
    this(network, bounding, parallelism, check, ProgressListener.NONE);
  }

  /** The full form: {@code check} confirms candidates, {@code listener} hears of the boxes. */
  public BranchAndBound(Network network, Bounding bounding, int parallelism,
      CounterexampleCheck check, ProgressListener listener) {
    this.listener = listener;
    this.network = network;
    this.check = check;
    this.bounding = bounding;
    this.parallelism = parallelism;
    this.deepPoly = bounding == Bounding.SYMBOLIC ? DeepPolyPass.objectivesOnly()
        : new DeepPolyPass();
  }

  /**
   * Bounds the objectives on the state's box as {@link #bounding} says; with DeepPoly, a box
   * with a parent at a depth that is not a multiple of {@code refineEvery} keeps the parent's
   * intermediate bounds (sound: they hold on the parent's box, which contains this one).
   */
  private double[] bound(BoundState state, double[][] objectives, double[][] coefficients,
      Node node, Options options, Budget budget) {
    if (bounding == Bounding.DEEPPOLY && node.parent() != null
        && node.depth() % options.refineEvery() != 0) {
      return objectivesOnly.run(state, objectives, coefficients, budget);
    }
    if (bounding != Bounding.DEEPPOLY) {
      symbolic.run(state, new double[0][], budget);
    }
    return deepPoly.run(state, objectives, coefficients, budget);
  }

  /** Decides case {@code caseIndex} ({@code unsafeCase}) by splitting its region. */
  public Outcome run(UnsafeCase unsafeCase, int caseIndex, Options options, Budget budget) {
    Box region = unsafeCase.region();
    if (region.isEmpty()) {
      return new Outcome(Outcome.Status.PROVEN, Double.POSITIVE_INFINITY, null, 0);
    }
    List<OutputConstraint> constraints = unsafeCase.constraints();
    if (constraints.isEmpty()) {
      // every input of the region is in the case: any point is a counterexample
      Counterexample cex = confirm(unsafeCase, caseIndex,
          BoxSplit.centre(region.lower(), region.upper()));
      return new Outcome(cex == null ? Outcome.Status.UNKNOWN : Outcome.Status.FALSIFIED,
          Double.NEGATIVE_INFINITY, cex, 0);
    }
    int m = constraints.size();
    int n = region.dimension();
    double[][] objectives = new double[m][];
    for (int j = 0; j < m; j++) {
      objectives[j] = constraints.get(j).coefficients();
    }
    double[] originalWidth = new double[n];
    for (int i = 0; i < n; i++) {
      originalWidth[i] = region.upper()[i] - region.lower()[i];
    }
    BoxStack shared = new BoxStack(options, listener);
    shared.push(new Node(region.lower().clone(), region.upper().clone(), 0, null));
    int workers = Math.max(1, Math.min(parallelism, Cores.available()));
    List<Thread> threads = new ArrayList<>();
    for (int w = 1; w < workers; w++) {
      Thread t = new Thread(() -> work(shared, unsafeCase, caseIndex, objectives, originalWidth,
          options, budget), "robustspec-bab-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    work(shared, unsafeCase, caseIndex, objectives, originalWidth, options, budget);
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shared.stop = true;
        budget.cancel();
      }
    }
    if (shared.failure != null) {
      throw shared.failure; // the budget ran out (or a bug): the caller decides
    }
    long boxes = shared.boxes.get();
    if (shared.counterexample != null) {
      return new Outcome(Outcome.Status.FALSIFIED, Double.NEGATIVE_INFINITY,
          shared.counterexample, boxes);
    }
    if (shared.gaveUp) {
      return new Outcome(Outcome.Status.UNKNOWN, Double.NEGATIVE_INFINITY, null, boxes);
    }
    return new Outcome(Outcome.Status.PROVEN, shared.smallestMargin(), null, boxes);
  }

  /** One thread's loop: take a box, bound it, prove it, attack it or split it. */
  private void work(BoxStack shared, UnsafeCase unsafeCase, int caseIndex, double[][] objectives,
      double[] originalWidth, Options options, Budget budget) {
    List<OutputConstraint> constraints = unsafeCase.constraints();
    CounterexampleSearch search = new CounterexampleSearch(network, check);
    double[][] coefficients = new double[objectives.length][originalWidth.length];
    try {
      while (true) {
        Node node = shared.take();
        if (node == null) {
          return;
        }
        double proven = Double.NEGATIVE_INFINITY;
        try {
          budget.check();
          if (!unsafeCase.inputConstraints().isEmpty()) {
            // a general input polytope: shrink the box to it (soundly); a box that misses it
            // holds no point of the case
            double[] lo = node.lower().clone();
            double[] hi = node.upper().clone();
            for (InputConstraint c : unsafeCase.inputConstraints()) {
              c.tighten(lo, hi);
            }
            if (new Box(lo, hi).isEmpty()) {
              proven = Double.POSITIVE_INFINITY;
              continue;
            }
            node = new Node(lo, hi, node.depth(), node.parent(), node.slopes());
          }
          Box box = new Box(node.lower(), node.upper());
          BoundState state = new BoundState(network, box);
          if (node.parent() != null) {
            state.tighten(node.parent()); // the box lies inside its parent's
          }
          double[] lower = bound(state, objectives, coefficients, node, options, budget);
          double bestMargin = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < objectives.length; j++) {
            bestMargin = Math.max(bestMargin,
                Math.nextDown(lower[j] - constraints.get(j).bound()));
          }
          if (bestMargin > 0) {
            proven = bestMargin;
            continue;
          }
          double[][] slopes = null;
          if (options.alphaSteps() > 0 && state.unstableCount() <= options.alphaUnstable()) {
            // the bound over the same intermediate bounds with optimised slopes, warm-started
            // from the parent's (DeepPoly's at the root): rigorous like DeepPoly's
            BetaCrown.Result r = BetaCrown.optimise(state, objectives, List.of(), node.slopes(),
                null, new BetaCrown.Options(options.alphaSteps(), ALPHA_RATE, ALPHA_RATE,
                    ALPHA_DECAY), budget);
            for (int j = 0; j < objectives.length; j++) {
              bestMargin = Math.max(bestMargin,
                  Math.nextDown(r.lower()[j] - constraints.get(j).bound()));
            }
            if (bestMargin > 0) {
              proven = bestMargin;
              continue;
            }
            slopes = r.slopes();
          }
          Counterexample cex = attack(search, unsafeCase, caseIndex, box, options, budget);
          if (cex != null) {
            shared.finish(cex, null);
            return;
          }
          int dim = node.depth() < options.maxDepth()
              ? BoxSplit.dimension(node, BoxSplit.sensitivity(coefficients), originalWidth) : -1;
          if (dim < 0) {
            shared.gaveUp = true; // this box stays open; keep closing the others for the margin
            continue;
          }
          double mid = BoxSplit.midpoint(node.lower()[dim], node.upper()[dim]);
          double[] leftUpper = node.upper().clone();
          leftUpper[dim] = mid;
          double[] rightLower = node.lower().clone();
          rightLower[dim] = mid;
          shared.push(new Node(rightLower, node.upper(), node.depth() + 1, state, slopes));
          shared.push(new Node(node.lower(), leftUpper, node.depth() + 1, state, slopes));
        } finally {
          shared.done(proven);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shared.finish(null, new BudgetExhaustedException("interrupted"));
    } catch (RuntimeException e) {
      shared.finish(null, e);
    }
  }

  /** Adam's first step on the slopes and its decay per step (few steps: large, fast-decaying). */
  private static final double ALPHA_RATE = 0.3;
  private static final double ALPHA_DECAY = 0.9;

  private Counterexample attack(CounterexampleSearch search, UnsafeCase unsafeCase,
      int caseIndex, Box box, Options options, Budget budget) {
    Counterexample cex = confirm(unsafeCase, caseIndex, BoxSplit.centre(box.lower(), box.upper()));
    if (cex != null || options.attackSteps() == 0) {
      return cex;
    }
    UnsafeCase sub = new UnsafeCase(box, unsafeCase.constraints());
    Counterexample found = search.search(sub, caseIndex,
        new CounterexampleSearch.Options(options.seed(), 0, 1, options.attackSteps()), budget);
    return found == null ? null : confirm(unsafeCase, caseIndex, found.input());
  }

  /** A counterexample when {@code x} is in the original case's region and violates it. */
  private Counterexample confirm(UnsafeCase unsafeCase, int caseIndex, double[] x) {
    return check.confirm(unsafeCase, caseIndex, x);
  }

}
