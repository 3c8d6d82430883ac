package dev.robustspec.engine;

import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random ReLU networks and boxes for property-based tests. */
public final class RandomNets {
  private RandomNets() {}

  /**
   * A net {@code widths[0] -> widths[1] -> ... } with ReLU after every dense layer but the last,
   * Gaussian weights scaled by 1/sqrt(fan-in); when {@code illConditioned}, weights mix magnitudes
   * from 1e-9 to 1e9 so rounding errors are large.
   */
  public static Network dense(SplittableRandom random, int[] widths, boolean illConditioned) {
    List<Layer> layers = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      double[] scale = new double[widths[0]];
      double[] shift = new double[widths[0]];
      for (int i = 0; i < scale.length; i++) {
        scale[i] = 0.5 + random.nextDouble() * 2;
        shift[i] = random.nextDouble() - 0.5;
      }
      layers.add(new ElementwiseAffineLayer("norm", scale, shift));
    }
    for (int k = 1; k < widths.length; k++) {
      int in = widths[k - 1];
      int out = widths[k];
      double[] w = new double[in * out];
      double[] b = new double[out];
      for (int i = 0; i < w.length; i++) {
        w[i] = weight(random, in, illConditioned);
      }
      for (int i = 0; i < out; i++) {
        b[i] = weight(random, in, illConditioned) * 0.5;
      }
      layers.add(new DenseLayer("dense" + k, in, out, w, b));
      if (k < widths.length - 1) {
        layers.add(new ReluLayer("relu" + k, out));
      }
    }
    return new Network("random", new int[] {widths[0]}, layers);
  }

  private static double weight(SplittableRandom random, int fanIn, boolean illConditioned) {
    double g = gaussian(random) / Math.sqrt(fanIn);
    if (illConditioned) {
      g *= Math.pow(10, random.nextInt(-9, 10));
    }
    return g;
  }

  public static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** {@code n} independent standard normal values (an objective or a constraint row). */
  public static double[] gaussianRow(SplittableRandom random, int n) {
    double[] c = new double[n];
    for (int j = 0; j < n; j++) {
      c[j] = gaussian(random);
    }
    return c;
  }

  /** {@code a . b} in double. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** A random box of the given dimension with widths up to {@code maxWidth}. */
  public static Box box(SplittableRandom random, int n, double maxWidth) {
    double[] lo = new double[n];
    double[] hi = new double[n];
    for (int i = 0; i < n; i++) {
      double c = random.nextDouble() * 2 - 1;
      double w = random.nextDouble() * maxWidth;
      lo[i] = c - w / 2;
      hi[i] = c + w / 2;
    }
    return new Box(lo, hi);
  }

  /** A uniform random point of the box; with probability 1/4 a vertex instead. */
  public static double[] point(SplittableRandom random, Box box) {
    int n = box.dimension();
    double[] x = new double[n];
    boolean vertex = random.nextInt(4) == 0;
    for (int i = 0; i < n; i++) {
      double lo = box.lower()[i];
      double hi = box.upper()[i];
      x[i] = vertex ? (random.nextBoolean() ? lo : hi) : Math.min(hi, lo + random.nextDouble() * (hi - lo));
    }
    return x;
  }
}
