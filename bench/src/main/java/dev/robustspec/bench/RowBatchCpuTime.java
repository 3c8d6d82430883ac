package dev.robustspec.bench;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import java.util.Arrays;
import java.util.List;

/**
 * What bounding sub-problems in batches could save on a CPU: the CPU time of one β-CROWN bound
 * ({@link BetaCrown#optimise}, α,β-CROWN's sub-domain steps) of a property's 9 objectives,
 * against the same bound of 18 and 36 rows (the objectives repeated, as two or four children
 * bounded in one sweep would stack their rows; the layers' products then read each weight once
 * for all of them). A batch pays only where the time per row falls as the rows grow; the ReLU
 * rules, which differ per child, are per row in any case. Over the state of a DeepPoly run on the
 * box of {@code prop_0_<eps>}.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.robustspec.bench.RowBatchCpuTime [network]
 * [warm-up runs] [measured runs] [eps,...]}
 */
public final class RowBatchCpuTime {
  private RowBatchCpuTime() {}

  public static void main(String[] args) {
    String network = args.length > 0 ? args[0] : "mnist-net_256x6";
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    String[] epsValues = (args.length > 3 ? args[3] : "0.03,0.05").split(",");
    Network net = Networks.load(network);
    BetaCrown.Options options = BetaCrown.Options.defaults();
    for (String eps : epsValues) {
      Specification spec = BenchData.mnistProperty(0, eps);
      Box box = spec.cases().get(0).region();
      double[][] objectives = BenchData.objectives(spec);
      BoundState state = new BoundState(net, box);
      new DeepPolyPass().run(state, objectives, Budget.unlimited());
      int[] sizes = {1, 2, 4};
      double checksum = 0;
      for (int i = 0; i < warmUp; i++) { // every size warmed before any is timed (the JIT)
        for (int copies : sizes) {
          checksum += once(state, repeated(objectives, copies), options);
        }
      }
      for (int copies : new int[] {1, 2, 4, 1}) {
        double[][] rows = repeated(objectives, copies);
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
          long c0 = DeepPolyCpuTime.cpuTimeOfAllThreads();
          checksum += once(state, rows, options);
          cpu[i] = (DeepPolyCpuTime.cpuTimeOfAllThreads() - c0) / 1e6;
        }
        Arrays.sort(cpu);
        System.out.printf("%s eps %s rows %d: cpu median %.2f min %.2f ms, per %d rows %.2f"
                + " (checksum %.6g)%n", network, eps, rows.length, cpu[runs / 2], cpu[0],
            objectives.length, cpu[runs / 2] / copies, checksum);
      }
    }
  }

  /** The objectives {@code copies} times over, as that many children's rows stacked. */
  private static double[][] repeated(double[][] objectives, int copies) {
    double[][] rows = new double[objectives.length * copies][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = objectives[r % objectives.length];
    }
    return rows;
  }

  private static double once(BoundState state, double[][] rows, BetaCrown.Options options) {
    return BetaCrown.optimise(state, rows, List.of(), null, null, options, Budget.unlimited())
        .lower()[0];
  }
}
