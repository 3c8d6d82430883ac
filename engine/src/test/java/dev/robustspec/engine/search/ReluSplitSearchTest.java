package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * ReLU-splitting branch and bound against the exact answer on small random nets (dense grid
 * enumeration plus a Lipschitz margin, as {@link BranchAndBoundTest}), split soundness by
 * sampling every leaf of full split trees, determinism, caps and cancellation.
 */
class ReluSplitSearchTest {

  private static final Budget BUDGET = Budget.unlimited();
  private static final BetaCrown.Options BETA = BetaCrown.Options.defaults();

  @Test
  void neverAWrongVerdictAgainstGridEnumeration() {
    SplittableRandom random = new SplittableRandom(20261201L);
    int trials = 300;
    int holds = 0;
    int violated = 0;
    int provenHolds = 0;
    int falsifiedViolated = 0;
    for (int t = 0; t < trials; t++) {
      int inputs = 1 + random.nextInt(2);
      int outputs = 1 + random.nextInt(3);
      int[] widths = random.nextBoolean()
          ? new int[] {inputs, 4 + random.nextInt(8), outputs}
          : new int[] {inputs, 4 + random.nextInt(8), 4 + random.nextInt(8), outputs};
      Network net = RandomNets.dense(random, widths, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      List<double[]> grid = BranchAndBoundTest.grid(box);
      double[] c = RandomNets.gaussianRow(random, outputs);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] x : grid) {
        double v = RandomNets.dot(c, net.evaluate(x));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      double step = 0;
      for (int i = 0; i < inputs; i++) {
        step = Math.max(step, (box.upper()[i] - box.lower()[i]) / 199);
      }
      double slack = BranchAndBoundTest.lipschitz(net, c) * step / 2 * (1 + 1e-9) + 1e-12;
      double spread = Math.max(max - min, 1e-3);
      // half the trials hold (d below every value the net can take), half are violated
      boolean wantHolds = t % 2 == 0;
      double d = wantHolds ? min - slack - random.nextDouble() * 0.3 * spread
          : min + random.nextDouble() * 0.3 * spread;
      UnsafeCase unsafeCase = new UnsafeCase(box, List.of(new OutputConstraint(c, d)));
      BranchAndBound.Outcome outcome = new ReluSplitSearch(net).run(unsafeCase, 0,
          new ReluSplitSearch.Options(5000, 20_000, t % 3 == 0 ? 0 : 10, 1 + t % 2),
          Budget.of(Duration.ofSeconds(20)));
      switch (outcome.status()) {
        case PROVEN -> {
          assertTrue(wantHolds, "proved a case with a violating grid point, trial " + t);
          assertTrue(outcome.margin() > 0);
          provenHolds++;
        }
        case FALSIFIED -> {
          Counterexample cex = outcome.counterexample();
          assertTrue(unsafeCase.isViolatedBy(cex.input(), net.evaluate(cex.input())),
              "counterexample not confirmed, trial " + t);
          assertFalse(wantHolds, "counterexample to a property that holds, trial " + t);
          falsifiedViolated++;
        }
        case UNKNOWN -> { }
      }
      if (wantHolds) {
        holds++;
      } else {
        violated++;
      }
    }
    // measured: every violated trial falsified, most holding ones proven (the split
    // constraints reach the bounds only through fixed ReLUs, so a few stay unknown)
    assertTrue(falsifiedViolated >= violated * 9 / 10, falsifiedViolated + " of " + violated);
    assertTrue(provenHolds >= holds * 3 / 4, provenHolds + " of " + holds);
  }

  @Test
  void everySampleLiesInExactlyOneLeafWhoseBoundsContainIt() {
    SplittableRandom random = new SplittableRandom(7L);
    for (int t = 0; t < 40; t++) {
      int inputs = 2 + random.nextInt(4);
      Network net = RandomNets.dense(random, new int[] {inputs, 6, 6, 2}, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      double[][] objectives = {{1, -1}};
      double[] bounds = {1e9}; // never closed by the margin: only infeasibility closes
      List<ReluSubproblem> leaves = new ArrayList<>();
      List<ReluSubproblem> frontier = new ArrayList<>(List.of(
          SubproblemRoot.bound(net, box, null, objectives, bounds, BETA, BUDGET)));
      List<double[]> biases = SplitChoice.biases(net);
      for (int depth = 0; depth < 5; depth++) {
        List<ReluSubproblem> next = new ArrayList<>();
        for (ReluSubproblem p : frontier) {
          Split s = p.infeasible() ? null
              : p.chooseSplit(objectives[0], biases, BUDGET);
          if (s == null) {
            leaves.add(p);
            continue;
          }
          next.add(p.child(new Split(s.index(), s.neuron(), false), objectives,
              bounds, BETA, BUDGET));
          next.add(p.child(s, objectives, bounds, BETA, BUDGET));
        }
        frontier = next;
      }
      leaves.addAll(frontier);
      for (int k = 0; k < 200; k++) {
        double[] x = RandomNets.point(random, box);
        List<double[]> trace = net.trace(x);
        int consistent = 0;
        for (ReluSubproblem leaf : leaves) {
          if (!consistent(leaf, trace)) {
            continue;
          }
          consistent++;
          assertFalse(leaf.infeasible(), "a leaf holding a real point was closed, trial " + t);
          BoundState s = leaf.state();
          for (int i = 0; i < s.size(); i++) {
            double[] v = trace.get(i);
            for (int j = 0; j < v.length; j++) {
              assertTrue(s.lower(i)[j] <= v[j] && v[j] <= s.upper(i)[j],
                  "value " + i + "/" + j + " outside its leaf's bounds, trial " + t);
            }
          }
        }
        assertEquals(1, consistent, "leaves consistent with a sample, trial " + t);
      }
    }
  }

  @Test
  void aChildsMarginNeverFallsBelowItsParentsNorAboveItsSampledMinimum() {
    SplittableRandom random = new SplittableRandom(11L);
    int raised = 0;
    for (int t = 0; t < 40; t++) {
      int inputs = 2 + random.nextInt(4);
      Network net = RandomNets.dense(random, new int[] {inputs, 6, 6, 2}, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      double[][] objectives = {RandomNets.gaussianRow(random, 2)};
      double[] bounds = {-1e9}; // far below every value: no part closes, every margin is finite
      List<double[]> biases = SplitChoice.biases(net);
      List<double[]> samples = new ArrayList<>();
      for (int k = 0; k < 400; k++) {
        samples.add(RandomNets.point(random, box));
      }
      List<ReluSubproblem> frontier = new ArrayList<>(List.of(
          SubproblemRoot.bound(net, box, null, objectives, bounds, BETA, BUDGET)));
      for (int depth = 0; depth < 4; depth++) {
        List<ReluSubproblem> next = new ArrayList<>();
        for (ReluSubproblem p : frontier) {
          Split s = p.infeasible() ? null : p.chooseSplit(objectives[0], biases, BUDGET);
          if (s == null) {
            continue;
          }
          for (Split d : List.of(new Split(s.index(), s.neuron(), false), s)) {
            ReluSubproblem child = p.child(d, objectives, bounds, BETA, BUDGET);
            if (child.infeasible()) {
              continue;
            }
            assertTrue(child.margin() >= p.margin(), "child below its parent, trial " + t);
            raised += child.margin() > p.margin() ? 1 : 0;
            for (double[] x : samples) {
              List<double[]> trace = net.trace(x);
              if (consistent(child, trace)) {
                double value = RandomNets.dot(objectives[0], trace.get(trace.size() - 1));
                assertTrue(child.margin() <= value - bounds[0],
                    "margin above a real value of the part, trial " + t);
              }
            }
            next.add(child);
          }
        }
        frontier = next;
      }
    }
    assertTrue(raised > 0, "no split ever raised a margin: the test would not see a bad bound");
  }

  /** Whether the sample's activation pattern meets every decision of the leaf (strictly). */
  private static boolean consistent(ReluSubproblem leaf, List<double[]> trace) {
    for (Split s : leaf.splits()) {
      double z = trace.get(s.index())[s.neuron()];
      if (s.active() ? !(z > 0) : !(z < 0)) {
        return false;
      }
    }
    return true;
  }

  /** A case on a 12-input net that needs many sub-problems. */
  private static UnsafeCase hardCase(Network net, SplittableRandom random) {
    Box box = RandomNets.box(random, 12, 1.0);
    double min = Double.POSITIVE_INFINITY;
    for (int k = 0; k < 2000; k++) {
      min = Math.min(min, net.evaluate(RandomNets.point(random, box))[0]);
    }
    return new UnsafeCase(box, List.of(new OutputConstraint(new double[] {1}, min - 0.05)));
  }

  @Test
  void oneJobIsDeterministic() {
    for (long seed = 1; seed <= 3; seed++) {
      Network net = RandomNets.dense(new SplittableRandom(seed), new int[] {12, 20, 20, 1},
          false);
      UnsafeCase c = hardCase(net, new SplittableRandom(seed + 100));
      // beta-CROWN with BaBSR (the default), then with FSB
      ReluSplitSearch.Options options = seed == 2
          ? new ReluSplitSearch.Options(5000, 3000, 10, 1, 10, 4)
          : new ReluSplitSearch.Options(5000, 3000, 10, 1);
      BranchAndBound.Outcome a = new ReluSplitSearch(net).run(c, 0, options, BUDGET);
      BranchAndBound.Outcome b = new ReluSplitSearch(net).run(c, 0, options, BUDGET);
      assertEquals(a.status(), b.status());
      assertEquals(a.boxes(), b.boxes());
      assertEquals(a.margin(), b.margin());
      if (a.counterexample() != null) {
        assertArrayEquals(a.counterexample().input(), b.counterexample().input());
      }
      assertTrue(a.boxes() > 1, "the case should need splitting, seed " + seed);
    }
  }

  @Test
  void capsEndTheRunAsUnknownWithinTheirCounts() {
    Network net = RandomNets.dense(new SplittableRandom(11), new int[] {12, 20, 20, 1}, false);
    // d far below anything reachable with a loose relaxation: needs many sub-problems
    UnsafeCase c = hardCase(net, new SplittableRandom(12));
    BranchAndBound.Outcome full = new ReluSplitSearch(net).run(c, 0,
        new ReluSplitSearch.Options(5000, 100_000, 0, 1), BUDGET);
    assertTrue(full.boxes() > 20, "needs more than 20 sub-problems: " + full.boxes());
    BranchAndBound.Outcome capped = new ReluSplitSearch(net).run(c, 0,
        new ReluSplitSearch.Options(5000, 10, 0, 2), BUDGET);
    assertEquals(BranchAndBound.Outcome.Status.UNKNOWN, capped.status());
    assertTrue(capped.boxes() <= 10 + 2 * 2, "bounded " + capped.boxes());
    BranchAndBound.Outcome fewOpen = new ReluSplitSearch(net).run(c, 0,
        new ReluSplitSearch.Options(3, 100_000, 0, 1), BUDGET);
    assertEquals(BranchAndBound.Outcome.Status.UNKNOWN, fewOpen.status());
  }

  @Test
  void aCancelledBudgetStopsTheRun() throws InterruptedException {
    Network net = RandomNets.dense(new SplittableRandom(11), new int[] {12, 20, 20, 1}, false);
    UnsafeCase c = hardCase(net, new SplittableRandom(12));
    Budget cancelled = Budget.unlimited();
    cancelled.cancel();
    assertThrows(BudgetExhaustedException.class, () -> new ReluSplitSearch(net).run(c, 0,
        new ReluSplitSearch.Options(5000, 100_000, 0, 2), cancelled));
    // no worker outlives the run
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("robustspec-relubab")) {
        t.join();
      }
    }
  }

  @Test
  void aRunCutShortByItsBudgetKeepsTheOpenPartsBound() {
    Network net = RandomNets.dense(new SplittableRandom(11), new int[] {12, 20, 20, 1}, false);
    UnsafeCase c = hardCase(net, new SplittableRandom(12));
    double[][] objectives = {c.constraints().get(0).coefficients()};
    double[] bounds = {c.constraints().get(0).bound()};
    double rootMargin = SubproblemRoot.bound(net, c.region(), null, objectives, bounds,
        new ReluSplitSearch.Options(5000, 100_000, 0, 1).beta(), BUDGET).margin();
    for (int workers = 1; workers <= 2; workers++) {
      int parallelism = workers;
      Budget budget = Budget.unlimited();
      ProgressListener stopAfter = new ProgressListener() {
        @Override
        public void boxes(long open, long closed) {
          if (closed >= 15) {
            budget.cancel(); // as a deadline would, in the middle of the tree
          }
        }
      };
      ReluSplitSearch search = new ReluSplitSearch(net, new CounterexampleCheck(net), stopAfter);
      BranchAndBound.Outcome out = search.run(c, 0,
          new ReluSplitSearch.Options(5000, 100_000, 0, parallelism), budget);
      assertEquals(BranchAndBound.Outcome.Status.UNKNOWN, out.status());
      assertThrows(BudgetExhaustedException.class, budget::check); // the caller's stop
      double bound = out.margin();
      assertTrue(bound > Double.NEGATIVE_INFINITY && bound <= 0, "open bound " + bound);
      assertTrue(bound >= rootMargin, bound + " below the root's " + rootMargin);
    }
  }

  @Test
  void reportsSubproblemsOpenAndClosedAndConfirmsThroughTheGivenCheck() {
    Network net = RandomNets.dense(new SplittableRandom(11), new int[] {12, 20, 20, 1}, false);
    UnsafeCase c = hardCase(net, new SplittableRandom(12));
    AtomicLong events = new AtomicLong();
    AtomicLong lastClosed = new AtomicLong();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void boxes(long open, long closed) {
        assertTrue(open >= 0, "open " + open);
        events.incrementAndGet();
        lastClosed.set(closed);
      }
    };
    CounterexampleCheck check = new CounterexampleCheck(net);
    BranchAndBound.Outcome outcome = new ReluSplitSearch(net, check, listener).run(c, 0,
        new ReluSplitSearch.Options(5000, 100_000, 0, 1), BUDGET);
    assertTrue(outcome.boxes() > 20, "needs splitting: " + outcome.boxes());
    // one event per sub-problem split (the root is bounded before the queue), counted in order
    assertTrue(events.get() > 0);
    assertEquals(events.get(), lastClosed.get());
    if (outcome.counterexample() != null) {
      assertTrue(outcome.counterexample().check() != null, "confirmed by the exact check");
    }
  }
}
