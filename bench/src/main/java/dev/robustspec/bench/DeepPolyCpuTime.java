package dev.robustspec.bench;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The workload of {@link DeepPolyBenchmark} timed by CPU time as well as wall time (a plain
 * {@code main}, not JMH). On a shared, oversubscribed machine the wall time of one run mostly
 * measures how long the run waited for a core; the CPU time the process's threads spent per run
 * (all of them, so the parallel products count in full; JIT and GC threads too, which are quiet
 * after the warm-up) moves far less with the load. Prints, per
 * eps, the median and minimum of both over the measured runs.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.robustspec.bench.DeepPolyCpuTime
 * [deepPoly|alpha] [network] [warm-up runs] [measured runs] [eps,...]}
 */
public final class DeepPolyCpuTime {
  private DeepPolyCpuTime() {}

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "deepPoly";
    String network = args.length > 1 ? args[1] : "mnist-net_256x6";
    int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    String[] epsValues = (args.length > 4 ? args[4] : "0.03,0.05").split(",");
    Network net = Networks.load(network);
    for (String eps : epsValues) {
      Specification spec = BenchData.mnistProperty(0, eps);
      Box box = spec.cases().get(0).region();
      double[][] objectives = BenchData.objectives(spec);
      double checksum = 0;
      for (int i = 0; i < warmUp; i++) {
        checksum += once(mode, net, box, objectives)[0];
      }
      double[] cpu = new double[runs];
      double[] wall = new double[runs];
      for (int i = 0; i < runs; i++) {
        long c0 = cpuTimeOfAllThreads();
        long t0 = System.nanoTime();
        checksum += once(mode, net, box, objectives)[0];
        wall[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (cpuTimeOfAllThreads() - c0) / 1e6;
      }
      Arrays.sort(cpu);
      Arrays.sort(wall);
      System.out.printf("%s %s eps %s: cpu median %.2f min %.2f ms; wall median %.2f min %.2f ms"
              + " (%d runs; checksum %.6g)%n", mode, network, eps, cpu[runs / 2], cpu[0],
          wall[runs / 2], wall[0], runs, checksum);
    }
  }

  /**
   * CPU nanoseconds of every live thread (the process's own clock has a 10 ms granularity):
   * the caller and the common pool's workers, which run the parallel products.
   */
  static long cpuTimeOfAllThreads() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t > 0) {
        sum += t;
      }
    }
    return sum;
  }

  private static double[] once(String mode, Network net, Box box, double[][] objectives) {
    BoundState state = new BoundState(net, box);
    return switch (mode) {
      case "deepPoly" -> new DeepPolyPass().run(state, objectives, Budget.unlimited());
      case "alpha" -> new AlphaPass(AlphaPass.Options.defaults())
          .run(state, objectives, Budget.unlimited());
      default -> throw new IllegalArgumentException("mode must be deepPoly or alpha: " + mode);
    };
  }
}
