package dev.robustspec.bench;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.nio.file.Path;

/** Network names accepted by the benchmarks' {@code network} parameter. */
final class Networks {
  private Networks() {}

  /**
   * {@code synthetic-256xN}: {@link BenchData#syntheticMnist}; anything else:
   * {@code mnistfc/onnx/<name>.onnx} (or a path ending in {@code .onnx}) read by the engine's
   * ONNX reader.
   */
  static Network load(String name) {
    if (name.startsWith("synthetic-256x")) {
      return BenchData.syntheticMnist(Integer.parseInt(name.substring("synthetic-256x".length())),
          42);
    }
    Path file = name.endsWith(".onnx") ? Path.of(name) : BenchData.mnistfc("onnx/" + name + ".onnx");
    try {
      return OnnxReader.read(file);
    } catch (InputFormatException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Prints, once per trial, how many ReLUs DeepPoly leaves unstable and which objectives it proves. */
  static void describe(Network net, Box box, double[][] objectives, double[] bounds) {
    BoundState state = new BoundState(net, box);
    double[] lower = new DeepPolyPass().run(state, objectives, Budget.unlimited());
    StringBuilder sb = new StringBuilder("\n# ").append(net.name()).append(": unstable ReLUs per layer");
    int total = 0;
    for (int k = 0; k < net.layers().size(); k++) {
      if (net.layers().get(k).isRelu()) {
        int unstable = 0;
        for (int i = 0; i < state.lower(k).length; i++) {
          if (state.lower(k)[i] < 0 && state.upper(k)[i] > 0) {
            unstable++;
          }
        }
        total += unstable;
        sb.append(' ').append(unstable);
      }
    }
    int proven = 0;
    for (int r = 0; r < lower.length; r++) {
      if (lower[r] > bounds[r]) {
        proven++;
      }
    }
    sb.append(" (total ").append(total).append("); DeepPoly proves ").append(proven).append('/')
        .append(lower.length).append(" unsafe cases empty");
    System.out.println(sb);
  }
}
