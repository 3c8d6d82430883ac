package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.base.Cores;
import dev.robustspec.engine.network.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * What the LP passes share: rigorous objective bounds from one program, and the optional
 * layer-by-layer tightening of intermediate bounds with LPs.
 */
final class LpBounds {
  private LpBounds() {}

  /** Rounds of cutting planes per objective, and most rows added per round. */
  static final int MAX_ROUNDS = 10;
  static final int MAX_CUTS = 400;

  /** A pass's extra rows (multi-neuron constraints) for an encoding, as a pool of cuts. */
  interface ExtraRows {
    CutPool poolFor(NetworkLp lp, BoundState state, Budget budget);
  }

  /**
   * For each objective c over the values at the encoding's depth, a rigorous lower bound of
   * {@code c . z}: the solver's multipliers through {@link DualBound}, never its value; no looser
   * than the box bound at that depth.
   */
  static double[] objectives(NetworkLp lp, BoundState state, double[][] objectives,
      LpSolver solver, CutPool pool, Budget budget) {
    int k = lp.depth();
    double[] out = IntervalPass.bound(objectives, state.lower(k), state.upper(k));
    LinearProgram program = lp.program();
    for (int r = 0; r < objectives.length; r++) {
      budget.check();
      double[] c = lp.objective(k, objectives[r]);
      if (c == null) {
        continue;
      }
      for (int round = 0; ; round++) {
        LpSolver.Solution s = solver.minimise(program, c, budget);
        // each round's bound is rigorous on its own: cuts only ever add valid rows
        out[r] = Math.max(out[r], DualBound.lowerBound(program, c, s.rowMultipliers()));
        if (pool == null || round >= MAX_ROUNDS || s.status() != LpSolver.Status.OPTIMAL
            || pool.separate(program, s.primal(), MAX_CUTS) == 0) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * Tightens the pre-activation bounds of every unstable ReLU input, layer by layer (each LP
   * over the layers before it, with the extra rows of those layers), two LPs per neuron, the
   * neurons of a layer shared among one worker per core: the calling thread with
   * {@code solver}, each other with its own solver from {@code moreSolvers} (null: the calling
   * thread alone) and its own copy of the program (a solver keeps its program's model). The
   * neurons of one layer are independent: each LP is over the layers before it, which stay
   * fixed while the layer is tightened. A bound index whose LP is a single non-activation layer
   * over the input box, with no input constraint, is skipped: the box's interval image through
   * one affine or max-pool layer is already its exact range, so the LPs there only re-derive
   * the interval bounds (a third of the LPs of MNIST-FC 256x4). When the budget ends, the
   * bounds found so far are kept.
   */
  static void tighten(BoundState state, LpSolver solver, Supplier<LpSolver> moreSolvers,
      ExtraRows extra, Budget budget) {
    tighten(state, solver, moreSolvers, moreSolvers == null ? 1 : Cores.available(), extra,
        budget);
  }

  /** As above with {@code workers} workers in all (the calling thread one of them). */
  static void tighten(BoundState state, LpSolver solver, Supplier<LpSolver> moreSolvers,
      int workers, ExtraRows extra, Budget budget) {
    var layers = state.network().layers();
    workers = moreSolvers == null ? 1 : Math.max(1, workers);
    LpSolver[] solvers = new LpSolver[workers];
    solvers[0] = solver;
    for (int k = 1; k < layers.size(); k++) {
      if (!layers.get(k).isRelu() || intervalIsExact(state, k)) {
        continue;
      }
      int relaxed = layers.get(k).relaxedInputCount(); // the rest are carried values
      IntervalPass.propagate(state, 0, budget);
      double[] lo = state.lower(k);
      double[] hi = state.upper(k);
      int[] unstable = IntStream.range(0, relaxed)
          .filter(i -> lo[i] < 0 && hi[i] > 0).toArray();
      if (unstable.length == 0) {
        continue;
      }
      double[] newLo = new double[unstable.length];
      double[] newHi = new double[unstable.length];
      Arrays.fill(newLo, Double.NaN); // NaN: not found (never enters a bound)
      Arrays.fill(newHi, Double.NaN);
      AtomicInteger next = new AtomicInteger();
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      int layer = k;
      // the calling thread builds its program first, so the extra rows' shared cache is filled
      // before any helper reads it
      NetworkLp first = new NetworkLp(state, k);
      CutPool firstPool = extra == null ? null : extra.poolFor(first, state, budget);
      List<Thread> helpers = new ArrayList<>();
      for (int w = 1; w < Math.min(workers, unstable.length); w++) {
        if (solvers[w] == null) {
          solvers[w] = moreSolvers.get();
        }
        LpSolver own = solvers[w];
        Thread t = new Thread(() -> {
          try {
            NetworkLp lp = new NetworkLp(state, layer);
            CutPool pool = extra == null ? null : extra.poolFor(lp, state, budget);
            tightenShare(lp, pool, state, own, unstable, next, failure, newLo, newHi, budget);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          }
        }, "robustspec-lp-" + w);
        t.setDaemon(true);
        helpers.add(t);
        t.start();
      }
      try {
        tightenShare(first, firstPool, state, solver, unstable, next, failure, newLo, newHi,
            budget);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
      for (Thread t : helpers) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure.compareAndSet(null, new BudgetExhaustedException("interrupted"));
          budget.cancel();
        }
      }
      for (int j = 0; j < unstable.length; j++) {
        state.tighten(k, unstable[j], newLo[j], newHi[j]); // kept even when a worker failed
      }
      if (failure.get() != null) {
        throw failure.get();
      }
    }
    IntervalPass.propagate(state, 0, budget);
  }

  /** One worker's share: the next untightened neuron's two LPs, until none is left. */
  private static void tightenShare(NetworkLp lp, CutPool pool, BoundState state, LpSolver solver,
      int[] unstable, AtomicInteger next, AtomicReference<RuntimeException> failure,
      double[] newLo, double[] newHi, Budget budget) {
    int n = state.lower(lp.depth()).length;
    for (int j = next.getAndIncrement(); j < unstable.length && failure.get() == null;
        j = next.getAndIncrement()) {
      double[] e = new double[n];
      e[unstable[j]] = 1;
      newLo[j] = objectives(lp, state, new double[][] {e}, solver, pool, budget)[0];
      e[unstable[j]] = -1;
      newHi[j] = -objectives(lp, state, new double[][] {e}, solver, pool, budget)[0];
    }
  }

  /**
   * True when the LP of bound index {@code k} is one non-activation layer over the input box
   * (coordinatewise layers aside: shape-only ones, normalisations) and the state has no input
   * constraint: the interval bounds there are the layer's exact range already.
   */
  private static boolean intervalIsExact(BoundState state, int k) {
    if (!state.inputConstraints().isEmpty()) {
      return false;
    }
    int maps = 0;
    for (int j = 0; j < k; j++) {
      Layer l = state.network().layers().get(j);
      if (l.isActivation()) {
        return false;
      }
      if (!l.isCoordinatewiseAffine()) {
        maps++;
      }
    }
    return maps <= 1;
  }
}
