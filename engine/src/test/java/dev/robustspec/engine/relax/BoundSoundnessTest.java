package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sampled containment on random nets: every concrete value at every layer, for thousands of
 * inputs of the box, lies inside every pass's bounds; every objective's bound is below its
 * sampled values; DeepPoly's and the forward symbolic pass's bounds lie inside the interval
 * bounds.
 */
class BoundSoundnessTest {

  @Property(tries = 150)
  void sampledValuesLieInsideBounds(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int depth = 1 + random.nextInt(4);
    int[] widths = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      widths[i] = 1 + random.nextInt(8);
    }
    Network net = RandomNets.dense(random, widths, false);
    Box box = RandomNets.box(random, widths[0], 2.0);
    double[][] objectives = new double[3][net.outputSize()];
    for (double[] row : objectives) {
      for (int j = 0; j < row.length; j++) {
        row[j] = RandomNets.gaussian(random);
      }
    }
    BoundState interval = new BoundState(net, box);
    double[] intervalObj = new IntervalPass().run(interval, objectives, Budget.unlimited());
    BoundState deeppoly = new BoundState(net, box);
    double[] deeppolyObj =
        new DeepPolyPass(random.nextBoolean()).run(deeppoly, objectives, Budget.unlimited());
    BoundState symbolic = new BoundState(net, box);
    double[] symbolicObj = new SymbolicIntervalPass().run(symbolic, objectives, Budget.unlimited());
    // BranchAndBound's SYMBOLIC bounding: objectives back-substituted over symbolic's bounds
    BoundState combined = new BoundState(net, box);
    new SymbolicIntervalPass().run(combined, new double[0][], Budget.unlimited());
    double[] combinedObj =
        DeepPolyPass.objectivesOnly().run(combined, objectives, Budget.unlimited());

    for (int k = 0; k < interval.size(); k++) {
      for (int i = 0; i < interval.lower(k).length; i++) {
        assertTrue(deeppoly.lower(k)[i] >= interval.lower(k)[i] - 1e-12
                && deeppoly.upper(k)[i] <= interval.upper(k)[i] + 1e-12,
            "deeppoly looser than interval at " + k + "," + i);
        assertTrue(symbolic.lower(k)[i] >= interval.lower(k)[i] - 1e-12
                && symbolic.upper(k)[i] <= interval.upper(k)[i] + 1e-12,
            "symbolic looser than interval at " + k + "," + i);
      }
    }
    for (int t = 0; t < 2000; t++) {
      double[] x = RandomNets.point(random, box);
      List<double[]> values = net.trace(x);
      for (BoundState s : new BoundState[] {interval, deeppoly, symbolic, combined}) {
        for (int k = 0; k < values.size(); k++) {
          double[] v = values.get(k);
          for (int i = 0; i < v.length; i++) {
            assertTrue(s.lower(k)[i] <= v[i] && v[i] <= s.upper(k)[i],
                "value " + v[i] + " outside [" + s.lower(k)[i] + ", " + s.upper(k)[i] + "] at "
                    + k + "," + i);
          }
        }
      }
      double[] y = values.get(values.size() - 1);
      for (int r = 0; r < objectives.length; r++) {
        double v = 0;
        for (int j = 0; j < y.length; j++) {
          v += objectives[r][j] * y[j];
        }
        assertTrue(intervalObj[r] <= v + 1e-12 && deeppolyObj[r] <= v + 1e-12
                && symbolicObj[r] <= v + 1e-12 && combinedObj[r] <= v + 1e-12,
            "objective bound above a sampled value");
        assertTrue(symbolicObj[r] >= intervalObj[r] - 1e-9 * (1 + Math.abs(intervalObj[r])),
            "symbolic objective looser than interval");
        assertTrue(deeppolyObj[r] >= intervalObj[r] - 1e-9 * (1 + Math.abs(intervalObj[r])),
            "deeppoly objective looser than interval");
      }
    }
  }
}
