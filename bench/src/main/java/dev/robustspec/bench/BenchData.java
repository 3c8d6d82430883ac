package dev.robustspec.bench;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Inputs of the benchmarks: the shared mnistfc files, and a synthetic net of the same shape. */
public final class BenchData {
  private BenchData() {}

  /**
   * {@code shared/benchmarks}: the system property {@code robustspec.benchmarks} if set, else
   * {@code ../shared/benchmarks} from the working directory or any of its parents (so both the
   * repository root and {@code bench/} work as working directories).
   */
  public static Path benchmarksDir() {
    String prop = System.getProperty("robustspec.benchmarks");
    if (prop != null) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("../shared/benchmarks").normalize();
      if (Files.isDirectory(candidate.resolve("mnistfc"))) {
        return candidate;
      }
      candidate = p.resolve("shared/benchmarks");
      if (Files.isDirectory(candidate.resolve("mnistfc"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find ../shared/benchmarks from "
        + Path.of("").toAbsolutePath() + "; pass -Drobustspec.benchmarks=DIR (and -jvmArgsAppend)");
  }

  public static Path mnistfc(String relative) {
    return benchmarksDir().resolve("mnistfc").resolve(relative);
  }

  /** The MNIST property {@code prop_<image>_<eps>.vnnlib}. */
  public static Specification mnistProperty(int image, String eps) {
    Path file = mnistfc("vnnlib/prop_" + image + "_" + eps + ".vnnlib");
    try {
      return VnnlibFiles.specification(file);
    } catch (InputFormatException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * One objective row per output constraint of every unsafe case (9 for a MNIST property): the
   * verifier proves case c empty when the lower bound of {@code coefficients . y} exceeds the bound.
   */
  public static double[][] objectives(Specification spec) {
    List<double[]> rows = new ArrayList<>();
    for (UnsafeCase c : spec.cases()) {
      for (OutputConstraint oc : c.constraints()) {
        rows.add(oc.coefficients().clone());
      }
    }
    return rows.toArray(new double[0][]);
  }

  /** The right-hand sides matching {@link #objectives}. */
  public static double[] objectiveBounds(Specification spec) {
    List<Double> bounds = new ArrayList<>();
    for (UnsafeCase c : spec.cases()) {
      for (OutputConstraint oc : c.constraints()) {
        bounds.add(oc.bound());
      }
    }
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A ReLU net {@code 784 -> 256 x hidden -> 10} with Gaussian weights scaled by
   * {@code 1/sqrt(fan-in)} and small biases: the shapes (not the weights) of
   * {@code mnist-net_256x6}. Deterministic for a given seed.
   */
  public static Network syntheticMnist(int hidden, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Layer> layers = new ArrayList<>();
    int in = 784;
    for (int k = 0; k <= hidden; k++) {
      int out = k < hidden ? 256 : 10;
      double[] w = new double[in * out];
      double[] b = new double[out];
      double scale = 1 / Math.sqrt(in);
      for (int i = 0; i < w.length; i++) {
        w[i] = gaussian(random) * scale;
      }
      for (int i = 0; i < out; i++) {
        b[i] = gaussian(random) * 0.05;
      }
      layers.add(new DenseLayer("dense" + k, in, out, w, b));
      if (k < hidden) {
        layers.add(new ReluLayer("relu" + k, out));
      }
      in = out;
    }
    return new Network("synthetic-256x" + hidden, new int[] {1, 784}, layers);
  }

  /** Standard normal (Box-Muller). */
  public static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
