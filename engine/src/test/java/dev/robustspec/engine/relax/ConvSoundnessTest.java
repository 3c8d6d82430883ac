package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.ConvGeometry;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sampled containment on random convolutional nets (conv, ReLU, conv, ReLU, flatten, dense, with
 * random strides, pads, dilations and groups): every concrete value at every layer, for
 * thousands of inputs of the box, lies inside the interval, DeepPoly and forward-symbolic
 * bounds, and every objective bound is below its sampled values.
 */
class ConvSoundnessTest {

  @Property(tries = 200)
  void sampledValuesLieInsideBounds(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = randomConvNet(random);
    Box box = RandomNets.box(random, net.inputSize(), 1.0);
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
    double[] symbolicObj = new SymbolicIntervalPass().run(symbolic, objectives, Budget.unlimited());
    for (int t = 0; t < 1000; t++) {
      double[] x = RandomNets.point(random, box);
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
        assertTrue(intervalObj[r] <= v + 1e-12 && deeppolyObj[r] <= v + 1e-12
            && symbolicObj[r] <= v + 1e-12, "objective bound above a sampled value");
      }
    }
  }

  static Network randomConvNet(SplittableRandom r) {
    List<Layer> layers = new ArrayList<>();
    int c = 1 + r.nextInt(2);
    int h = 3 + r.nextInt(4);
    int w = 3 + r.nextInt(4);
    int[] inputShape = {1, c, h, w};
    int convs = 1 + r.nextInt(2);
    for (int k = 0; k < convs; k++) {
      ConvLayer conv = randomConv(r, "conv" + k, c, h, w);
      layers.add(conv);
      layers.add(new ReluLayer("relu" + k, conv.outputSize()));
      c = conv.geometry().outChannels();
      h = conv.geometry().outHeight();
      w = conv.geometry().outWidth();
    }
    int flat = c * h * w;
    layers.add(new ReshapeLayer("flatten", new int[] {1, c, h, w}, new int[] {1, flat}));
    int out = 1 + r.nextInt(3);
    double[] weights = new double[flat * out];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = RandomNets.gaussian(r) / Math.sqrt(flat);
    }
    layers.add(new DenseLayer("dense", flat, out, weights, new double[out]));
    return new Network("conv", inputShape, layers);
  }

  private static ConvLayer randomConv(SplittableRandom r, String name, int c, int h, int w) {
    while (true) {
      int groups = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
      int co = groups * (1 + r.nextInt(2));
      try {
        ConvGeometry g = new ConvGeometry(c, h, w, co, 1 + r.nextInt(3),
            1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(2), r.nextInt(2),
            r.nextInt(2), r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(2), groups);
        double[] weights = new double[co * g.kernelSize()];
        for (int i = 0; i < weights.length; i++) {
          weights[i] = RandomNets.gaussian(r) / Math.sqrt(g.kernelSize());
        }
        double[] bias = new double[co];
        for (int i = 0; i < co; i++) {
          bias[i] = (r.nextDouble() - 0.5) * 0.5;
        }
        return new ConvLayer(name, g, weights, bias);
      } catch (IllegalArgumentException kernelTooLarge) {
        // draw again
      }
    }
  }
}
