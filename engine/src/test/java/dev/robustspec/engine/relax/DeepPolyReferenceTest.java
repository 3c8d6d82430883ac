package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReferenceRules;
import dev.robustspec.engine.spec.Box;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link DeepPolyPass}'s fast path (cached dense preparations, branch-free ReLU rule and
 * concretisation over the columns that can be nonzero, interleaved rows) against the same
 * algorithm written here over {@link ReferenceRules}' straightforward loops: on random dense
 * nets, wide enough that rows are interleaved and columns die, every bound in the state and every
 * objective bound is the same number. The neurons the pass skips (stable after the interval rule)
 * are checked against a full back-substitution over the same state: both contain every sampled
 * value, and the full one never shows a skipped neuron unstable the other way round.
 */
class DeepPolyReferenceTest {

  @Property(tries = 60)
  void fastPathEqualsTheStraightforwardAlgorithm(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int depth = 2 + random.nextInt(4);
    int[] widths = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      widths[i] = 1 + random.nextInt(i == 0 ? 40 : 24);
    }
    Network net = RandomNets.dense(random, widths, seed % 5 == 0);
    Box box = RandomNets.box(random, widths[0], random.nextBoolean() ? 0.2 : 2.0);
    double[][] objectives = new double[1 + random.nextInt(9)][net.outputSize()];
    for (double[] row : objectives) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextInt(4) == 0 ? 0 : RandomNets.gaussian(random);
      }
    }
    BoundState fast = new BoundState(net, box);
    double[] fastBounds = new DeepPolyPass().run(fast, objectives, Budget.unlimited());
    BoundState reference = new BoundState(net, box);
    double[] referenceBounds = referenceRun(reference, objectives);
    assertEquals(Arrays.toString(referenceBounds), Arrays.toString(fastBounds), "objectives");
    for (int k = 0; k < fast.size(); k++) {
      assertEquals(Arrays.toString(reference.lower(k)), Arrays.toString(fast.lower(k)),
          "lower bounds at " + k);
      assertEquals(Arrays.toString(reference.upper(k)), Arrays.toString(fast.upper(k)),
          "upper bounds at " + k);
    }
    // a second run on the same layers reuses their cached preparations: the same numbers
    double[] again = new DeepPolyPass().run(new BoundState(net, box), objectives,
        Budget.unlimited());
    assertEquals(Arrays.toString(fastBounds), Arrays.toString(again), "second run");
  }

  @Property(tries = 60)
  void skippedStableNeuronsAreSoundAndAFullBoundAgrees(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int depth = 2 + random.nextInt(3);
    int[] widths = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      widths[i] = 1 + random.nextInt(12);
    }
    Network net = RandomNets.dense(random, widths, false);
    Box box = RandomNets.box(random, widths[0], 1.0);
    BoundState state = new BoundState(net, box);
    new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
    List<Layer> layers = net.layers();
    for (int k = 1; k < layers.size(); k++) {
      if (!layers.get(k).isActivation()) {
        continue;
      }
      double[] lo = state.lower(k);
      double[] hi = state.upper(k);
      int n = lo.length;
      // z_i and -z_i back-substituted to the input over the state's bounds, no early stop
      SymbolicRows rows = new SymbolicRows();
      rows.reset(2 * n, n);
      for (int i = 0; i < n; i++) {
        rows.coef()[i * n + i] = 1;
        rows.coef()[(n + i) * n + i] = -1;
      }
      for (int j = k - 1; j >= 0; j--) {
        SymbolicRows next = new SymbolicRows();
        ReferenceRules.backSubstitute(layers.get(j), rows, state.lower(j), state.upper(j), next);
        rows = next;
      }
      double[] full = ReferenceRules.concretise(rows, state.lower(0), state.upper(0));
      for (int i = 0; i < n; i++) {
        boolean stable = lo[i] >= 0 || hi[i] <= 0;
        if (!stable) {
          continue;
        }
        // a stable neuron's relaxation is exact: a full bound may be tighter, never of the
        // other sign (both are sound, so their intersection is not empty)
        assertTrue(full[i] <= hi[i] + 1e-9 && -full[n + i] >= lo[i] - 1e-9,
            "full bound [" + full[i] + ", " + -full[n + i] + "] disjoint from the state's ["
                + lo[i] + ", " + hi[i] + "] at " + k + "," + i);
      }
      for (int t = 0; t < 500; t++) {
        double[] x = RandomNets.point(random, box);
        double[] z = net.trace(x).get(k);
        for (int i = 0; i < n; i++) {
          assertTrue(lo[i] <= z[i] && z[i] <= hi[i], "state bound misses a sample at " + k);
          assertTrue(full[i] <= z[i] && z[i] <= -full[n + i], "full bound misses a sample");
        }
      }
    }
  }

  /** {@link DeepPolyPass#run} with {@code allNeurons} false, over the reference rules. */
  private static double[] referenceRun(BoundState state, double[][] objectives) {
    Network net = state.network();
    int layers = net.layers().size();
    boolean nonlinearSeen = false;
    for (int k = 0; k < layers; k++) {
      Layer layer = net.layers().get(k);
      double[] lo = new double[layer.outputSize()];
      double[] hi = new double[layer.outputSize()];
      ReferenceRules.intervalForward(layer, state.lower(k), state.upper(k), lo, hi);
      state.tighten(k + 1, lo, hi);
      nonlinearSeen |= layer.isActivation();
      if (k + 1 < layers && net.layers().get(k + 1).isActivation() && nonlinearSeen) {
        refine(state, k + 1);
      }
    }
    if (nonlinearSeen) {
      refine(state, layers);
    }
    int n = net.outputSize();
    SymbolicRows rows = new SymbolicRows();
    rows.reset(objectives.length, n);
    for (int r = 0; r < objectives.length; r++) {
      System.arraycopy(objectives[r], 0, rows.coef(), r * n, n);
    }
    SymbolicRows box = new SymbolicRows();
    box.reset(objectives.length, n);
    System.arraycopy(rows.coef(), 0, box.coef(), 0, objectives.length * n);
    double[] boxed = ReferenceRules.concretise(box, state.lower(layers), state.upper(layers));
    for (int j = layers - 1; j >= 0; j--) {
      SymbolicRows next = new SymbolicRows();
      ReferenceRules.backSubstitute(net.layers().get(j), rows, state.lower(j), state.upper(j),
          next);
      rows = next;
    }
    double[] symbolic = ReferenceRules.concretise(rows, state.lower(0), state.upper(0));
    for (int r = 0; r < symbolic.length; r++) {
      symbolic[r] = Math.max(symbolic[r], boxed[r]);
    }
    return symbolic;
  }

  /** Unstable neurons, upper bounds first, each row stopping at a ReLU that shows it stable. */
  private static void refine(BoundState state, int index) {
    Network net = state.network();
    int n = state.lower(index).length;
    for (int sign : new int[] {-1, 1}) {
      for (int i = 0; i < n; i++) {
        if (!(state.lower(index)[i] < 0 && state.upper(index)[i] > 0)) {
          continue;
        }
        SymbolicRows rows = new SymbolicRows();
        rows.reset(1, n);
        rows.coef()[i] = sign;
        double best = Double.NEGATIVE_INFINITY;
        for (int j = index - 1; j >= 0; j--) {
          SymbolicRows next = new SymbolicRows();
          ReferenceRules.backSubstitute(net.layers().get(j), rows, state.lower(j),
              state.upper(j), next);
          rows = next;
          if (j > 0 && !net.layers().get(j).isActivation()) {
            continue;
          }
          double v = ReferenceRules.concretise(rows, state.lower(j), state.upper(j))[0];
          best = Math.max(best, v);
          if (v >= 0) {
            break;
          }
        }
        if (sign > 0) {
          state.tighten(index, i, best, Double.POSITIVE_INFINITY);
        } else {
          state.tighten(index, i, Double.NEGATIVE_INFINITY, -best);
        }
      }
    }
  }
}
