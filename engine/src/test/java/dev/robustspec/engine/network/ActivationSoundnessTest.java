package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.SymbolicIntervalPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sampled containment on random nets mixing dense layers with sigmoid, tanh, leaky ReLU, clip
 * and ReLU: every concrete value at every layer, for 2000 inputs of the box (a quarter of them
 * vertices), lies inside the interval, DeepPoly, forward-symbolic and combined bounds, and every
 * objective bound is below its sampled values. Boxes range from 1e-9 to 60 wide, so the
 * activations see narrow, wide, saturated and inflection-straddling intervals.
 */
class ActivationSoundnessTest {
  private static final double[] BOX_WIDTHS = {1e-9, 1e-3, 0.5, 4, 60};

  static Network randomNet(SplittableRandom random, int[] widths) {
    List<Layer> layers = new ArrayList<>();
    for (int k = 1; k < widths.length; k++) {
      int in = widths[k - 1];
      int out = widths[k];
      double[] w = new double[in * out];
      double[] b = new double[out];
      double gain = 1 + random.nextDouble() * 3;
      for (int i = 0; i < w.length; i++) {
        w[i] = gain * RandomNets.gaussian(random) / Math.sqrt(in);
      }
      for (int i = 0; i < out; i++) {
        b[i] = RandomNets.gaussian(random);
      }
      layers.add(new DenseLayer("dense" + k, in, out, w, b));
      if (k < widths.length - 1 || random.nextInt(4) == 0) {
        layers.add(activation(random, "act" + k, out));
      }
    }
    return new Network("random", new int[] {widths[0]}, layers);
  }

  static Layer activation(SplittableRandom random, String name, int size) {
    return switch (random.nextInt(5)) {
      case 0 -> ElementwiseActivationLayer.sigmoid(name, size);
      case 1 -> ElementwiseActivationLayer.tanh(name, size);
      case 2 -> ElementwiseActivationLayer.leakyRelu(name, size,
          random.nextInt(5) == 0 ? 1 + random.nextDouble() : random.nextDouble() * 0.3);
      case 3 -> {
        double lo = random.nextDouble() * 2 - 1.5;
        yield ElementwiseActivationLayer.clip(name, size, lo, lo + random.nextDouble() * 2);
      }
      default -> new ReluLayer(name, size);
    };
  }

  @Property(tries = 300)
  void sampledValuesLieInsideBounds(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int depth = 1 + random.nextInt(4);
    int[] widths = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      widths[i] = 1 + random.nextInt(6);
    }
    Network net = randomNet(random, widths);
    Box box = RandomNets.box(random, widths[0], BOX_WIDTHS[random.nextInt(BOX_WIDTHS.length)]);
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
    BoundState combined = new BoundState(net, box);
    new SymbolicIntervalPass().run(combined, new double[0][], Budget.unlimited());
    double[] combinedObj =
        DeepPolyPass.objectivesOnly().run(combined, objectives, Budget.unlimited());
    BoundState[] states = {interval, deeppoly, symbolic, combined};
    String[] names = {"interval", "deeppoly", "symbolic", "combined"};
    for (int t = 0; t < 2000; t++) {
      double[] x = RandomNets.point(random, box);
      List<double[]> values = net.trace(x);
      for (int s = 0; s < states.length; s++) {
        for (int k = 0; k < values.size(); k++) {
          double[] v = values.get(k);
          for (int i = 0; i < v.length; i++) {
            assertTrue(states[s].lower(k)[i] <= v[i] && v[i] <= states[s].upper(k)[i],
                names[s] + ": value " + v[i] + " outside [" + states[s].lower(k)[i] + ", "
                    + states[s].upper(k)[i] + "] at layer " + k + ", neuron " + i + " of "
                    + net.layers());
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
                && symbolicObj[r] <= v + tol && combinedObj[r] <= v + tol,
            "objective bound above a sampled value " + v);
      }
    }
    for (int r = 0; r < objectives.length; r++) {
      assertTrue(deeppolyObj[r] >= intervalObj[r] - 1e-9 * (1 + Math.abs(intervalObj[r])),
          "deeppoly objective looser than interval");
    }
  }

  /**
   * {@code tanh(x) - tanh(x)} on {@code x in [0.1, 1]} (concave; not [0, 1], whose outward
   * rounded bounds would straddle the inflection point): DeepPoly pairs the chord below with the
   * tangent at the midpoint 0.55 above, so its lower bound is the difference of the two lines at
   * x = 1 (the chord is the flatter); interval arithmetic gives {@code tanh 0.1 - tanh 1}.
   */
  @org.junit.jupiter.api.Test
  void handComputedTanhDifference() {
    Network net = new Network("diff", new int[] {1}, List.of(
        new DenseLayer("split", 1, 2, new double[] {1, 1}, new double[] {0, 0}),
        ElementwiseActivationLayer.tanh("tanh", 2),
        new DenseLayer("diff", 2, 1, new double[] {1, -1}, new double[] {0})));
    Box box = new Box(new double[] {0.1}, new double[] {1});
    double[][] objective = {{1}};
    double deeppoly = new DeepPolyPass(false).run(new BoundState(net, box), objective,
        Budget.unlimited())[0];
    double interval = new IntervalPass().run(new BoundState(net, box), objective,
        Budget.unlimited())[0];
    double chord = (Math.tanh(1) - Math.tanh(0.1)) / 0.9;
    double s = 1 - Math.tanh(0.55) * Math.tanh(0.55);
    double expected = Math.tanh(1) - (Math.tanh(0.55) + s * 0.45); // about -0.0225
    assertTrue(chord < s && Math.abs(deeppoly - expected) <= 1e-9,
        "deeppoly " + deeppoly + ", expected " + expected);
    double width = Math.tanh(0.1) - Math.tanh(1);
    assertTrue(interval <= width && interval >= width - 1e-12, "interval " + interval);
  }
}
