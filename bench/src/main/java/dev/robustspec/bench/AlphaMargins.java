package dev.robustspec.bench;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.base.Budget;
import java.util.Locale;

/**
 * Not a JMH benchmark: a table of the worst margin (lower bound minus the right-hand side, over
 * a property's 9 unsafe cases) of {@code deeppoly} and {@code alpha} on an mnistfc net, for the
 * images and epsilons given, with each pass's wall time (one cold run, indicative only).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.robustspec.bench.AlphaMargins
 *     [network] [iterations] [eps,...] [images]</pre>
 */
public final class AlphaMargins {
  private AlphaMargins() {}

  public static void main(String[] args) {
    String network = args.length > 0 ? args[0] : "mnist-net_256x2";
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String[] epsilons = (args.length > 2 ? args[2] : "0.03,0.05").split(",");
    int images = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    Network net = Networks.load(network);
    AlphaPass alpha = new AlphaPass(new AlphaPass.Options(iterations, 0.5, 0.98));
    System.out.println("network,eps,image,deeppoly_margin,alpha_margin,deeppoly_cases,"
        + "alpha_cases,deeppoly_ms,alpha_ms");
    for (String eps : epsilons) {
      for (int image = 0; image < images; image++) {
        Specification spec = BenchData.mnistProperty(image, eps);
        Box box = spec.cases().get(0).region();
        double[][] objectives = BenchData.objectives(spec);
        double[] rhs = BenchData.objectiveBounds(spec);
        long t0 = System.nanoTime();
        double[] dp = new DeepPolyPass().run(new BoundState(net, box), objectives,
            Budget.unlimited());
        long t1 = System.nanoTime();
        double[] al = alpha.run(new BoundState(net, box), objectives, Budget.unlimited());
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%s,%s,%d,%.4f,%.4f,%d,%d,%.1f,%.1f%n", network, eps, image,
            worst(dp, rhs), worst(al, rhs), proven(dp, rhs), proven(al, rhs), (t1 - t0) / 1e6,
            (t2 - t1) / 1e6);
      }
    }
  }

  private static double worst(double[] lower, double[] rhs) {
    double w = Double.POSITIVE_INFINITY;
    for (int r = 0; r < lower.length; r++) {
      w = Math.min(w, lower[r] - rhs[r]);
    }
    return w;
  }

  private static int proven(double[] lower, double[] rhs) {
    int n = 0;
    for (int r = 0; r < lower.length; r++) {
      if (lower[r] > rhs[r]) {
        n++;
      }
    }
    return n;
  }
}
