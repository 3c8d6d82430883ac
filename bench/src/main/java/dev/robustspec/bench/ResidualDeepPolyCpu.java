package dev.robustspec.bench;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Specification;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Not a JMH benchmark: {@link ResidualDeepPolyBenchmark}'s DeepPoly bound timed by the process's
 * CPU time (all threads, JIT and GC included) beside wall time, because on a loaded machine the
 * wall time mostly measures the other jobs. The first run (cold) is dropped; prints min and
 * median of the rest, and the sum of the objective bounds (the same bounds give the same sum).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.robustspec.bench.ResidualDeepPolyCpu
 *     [resnet_2b|resnet_4b] [runs]</pre>
 */
public final class ResidualDeepPolyCpu {
  private ResidualDeepPolyCpu() {}

  public static void main(String[] args) throws InputFormatException {
    String network = args.length > 0 ? args[0] : "resnet_2b";
    int runs = Math.max(2, args.length > 1 ? Integer.parseInt(args[1]) : 6);
    var suite = BenchData.benchmarksDir().resolve("cifar10_resnet");
    String prop = network.equals("resnet_2b")
        ? "vnnlib/resnet2b_pgd_filtered/prop_0_eps_0.008.vnnlib"
        : "vnnlib/resnet4b_pgd_filtered/prop_0_eps_0.004.vnnlib";
    Specification spec = VnnlibFiles.specification(suite.resolve(prop));
    Network net = OnnxReader.read(suite.resolve("onnx/" + network + ".onnx"));
    double[][] objectives = BenchData.objectives(spec);
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    double[] cpu = new double[runs];
    double[] wall = new double[runs];
    double sum = 0;
    for (int r = 0; r < runs; r++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      double[] bounds = new DeepPolyPass().run(new BoundState(net,
          spec.cases().get(0).region()), objectives, Budget.unlimited());
      wall[r] = (System.nanoTime() - t0) / 1e9;
      cpu[r] = (os.getProcessCpuTime() - c0) / 1e9;
      sum = Arrays.stream(bounds).sum();
    }
    double[] c = Arrays.copyOfRange(cpu, 1, runs);
    double[] w = Arrays.copyOfRange(wall, 1, runs);
    Arrays.sort(c);
    Arrays.sort(w);
    System.out.printf(Locale.ROOT, "%s: %d warm runs, CPU min %.3f s median %.3f s, wall min %.3f s"
        + " median %.3f s, load %.1f, sum of bounds %.17g%n", network, runs - 1, c[0],
        c[c.length / 2], w[0], w[w.length / 2], os.getSystemLoadAverage(), sum);
  }
}
