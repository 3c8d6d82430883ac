package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.lp.LpPass;
import dev.robustspec.engine.network.ImageLayersTestNets;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sampled containment on random nets of the image layers (transposed convolution or nearest
 * upsampling, ReLU, max pooling, dense): every concrete value at every layer, for 1000 inputs
 * of the box (the first two its corners), lies inside the interval, DeepPoly and
 * forward-symbolic bounds, and every objective bound (those three and the LP's) is below its
 * sampled values.
 */
class ImageLayerSoundnessTest {

  @Property(tries = 250)
  void sampledValuesLieInsideBounds(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = ImageLayersTestNets.randomImageNet(random);
    Box box = RandomNets.box(random, net.inputSize(), random.nextBoolean() ? 0.2 : 2.0);
    double[][] objectives = new double[2][net.outputSize()];
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
    double[] symbolicObj = new SymbolicIntervalPass().run(symbolic, objectives,
        Budget.unlimited());
    boolean withLp = random.nextInt(4) == 0; // LPs are slower: a quarter of the nets
    double[] lpObj = withLp ? new LpPass().run(deeppoly, objectives, Budget.unlimited()) : null;
    for (int t = 0; t < 1000; t++) {
      double[] x = t < 2 ? (t == 0 ? box.lower() : box.upper()) : RandomNets.point(random, box);
      List<double[]> values = net.trace(x);
      for (BoundState s : new BoundState[] {interval, deeppoly, symbolic}) {
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
        double tol = 1e-12 * (1 + Math.abs(v));
        assertTrue(intervalObj[r] <= v + tol && deeppolyObj[r] <= v + tol
            && symbolicObj[r] <= v + tol, "objective bound above a sampled value " + v);
        if (lpObj != null) {
          assertTrue(lpObj[r] <= v + tol, "lp bound " + lpObj[r] + " above " + v);
        }
      }
    }
  }
}
