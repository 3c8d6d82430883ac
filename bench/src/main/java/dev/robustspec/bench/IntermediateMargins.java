package dev.robustspec.bench;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Not a JMH benchmark: per mnistfc property, the unstable ReLUs of every layer and the worst
 * margin (over the 9 cases) after {@code deeppoly}, {@code alpha} and {@code alpha(interm = n)}
 * (α-CROWN's optimised intermediate bounds, issue 15), with each pass's wall time (one cold run
 * each, indicative only).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.robustspec.bench.IntermediateMargins
 *     network interm image_eps,...   (e.g. mnist-net_256x6 20 0_0.05,1_0.03)</pre>
 */
public final class IntermediateMargins {
  private IntermediateMargins() {}

  public static void main(String[] args) {
    Network net = Networks.load(args[0]);
    int interm = Integer.parseInt(args[1]);
    RelaxationPass[] passes = {new DeepPolyPass(),
        new AlphaPass(new AlphaPass.Options(20, 0.5, 0.98)),
        new AlphaPass(new AlphaPass.Options(20, 0.5, 0.98, interm))};
    String[] names = {"deeppoly", "alpha", "alpha_interm" + interm};
    System.out.println("network,property,pass,worst_margin,unstable_per_relu_layer,ms");
    for (String prop : args[2].split(",")) {
      String[] p = prop.split("_");
      Specification spec = BenchData.mnistProperty(Integer.parseInt(p[0]), p[1]);
      Box box = spec.cases().get(0).region();
      double[][] objectives = BenchData.objectives(spec);
      double[] rhs = BenchData.objectiveBounds(spec);
      for (int q = 0; q < passes.length; q++) {
        BoundState state = new BoundState(net, box);
        long t0 = System.nanoTime();
        double[] lower = passes[q].run(state, objectives, Budget.unlimited());
        long t1 = System.nanoTime();
        double worst = Double.POSITIVE_INFINITY;
        for (int r = 0; r < lower.length; r++) {
          worst = Math.min(worst, lower[r] - rhs[r]);
        }
        System.out.printf(Locale.ROOT, "%s,prop_%s,%s,%.4f,%s,%.0f%n", args[0], prop, names[q],
            worst, unstable(net, state), (t1 - t0) / 1e6);
      }
    }
  }

  /** Unstable neurons at the input of each ReLU layer, joined by {@code /}. */
  private static String unstable(Network net, BoundState state) {
    StringJoiner j = new StringJoiner("/");
    for (int k = 0; k < net.layers().size(); k++) {
      if (!net.layers().get(k).isRelu()) {
        continue;
      }
      int n = 0;
      for (int i = 0; i < state.lower(k).length; i++) {
        n += state.lower(k)[i] < 0 && state.upper(k)[i] > 0 ? 1 : 0;
      }
      j.add(Integer.toString(n));
    }
    return j.toString();
  }
}
