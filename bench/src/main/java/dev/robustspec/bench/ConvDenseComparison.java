package dev.robustspec.bench;

import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One DeepPoly bound on a convolutional net, back-substituting through the convolutions as
 * transposed convolutions ({@link ConvLayer}) versus through their materialised dense matrices
 * ({@link ConvLayer#toDense}): time (median of repeated runs after warm-up), the bounds of both
 * (equal up to rounding), and the dense matrices' size. Usage: {@code ConvDenseComparison NET.onnx
 * PROP.vnnlib [runs]}.
 */
public final class ConvDenseComparison {
  private ConvDenseComparison() {}

  public static void main(String[] args) throws Exception {
    Network conv = OnnxReader.read(Path.of(args[0]));
    Box box = VnnlibFiles.specification(Path.of(args[1])).regions().get(0);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    List<Layer> layers = new ArrayList<>();
    long cells = 0;
    for (Layer l : conv.layers()) {
      if (l instanceof ConvLayer c) {
        layers.add(c.toDense());
        cells += (long) c.inputSize() * c.outputSize();
      } else {
        layers.add(l);
      }
    }
    Network dense = new Network(conv.name() + "-dense", conv.inputShape(), layers);
    int n = conv.outputSize();
    double[][] objectives = new double[2 * n][n];
    for (int i = 0; i < n; i++) {
      objectives[2 * i][i] = 1;
      objectives[2 * i + 1][i] = -1;
    }
    System.out.printf(Locale.ROOT, "dense matrices: %,d entries (%.1f MB)%n", cells,
        cells * 8 / 1e6);
    for (Network net : List.of(conv, dense, conv, dense)) {
      double[] times = new double[runs];
      double[] bounds = null;
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        bounds = new DeepPolyPass().run(new BoundState(net, box), objectives, Budget.unlimited());
        times[r] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(times);
      System.out.printf(Locale.ROOT, "%s: median %.1f ms (min %.1f) bounds %s%n", net.name(),
          times[runs / 2], times[0], Arrays.toString(bounds));
    }
  }
}
