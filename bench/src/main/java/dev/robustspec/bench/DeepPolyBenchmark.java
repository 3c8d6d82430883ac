package dev.robustspec.bench;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.base.Budget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full DeepPoly pass (and, for comparison, one interval pass) on an mnistfc 256x6 net under
 * the input box of {@code prop_0_<eps>.vnnlib}, with that property's 9 objectives. Each call
 * builds a fresh {@link BoundState} (the passes tighten it in place); that allocation is part of
 * the measured time and negligible next to the pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DeepPolyBenchmark {

  /**
   * {@code mnist-net_256x6}: the real net ({@code mnistfc/onnx/mnist-net_256x6.onnx});
   * {@code synthetic-256x6} ({@code -p network=synthetic-256x6}): random weights, same shapes.
   */
  @Param({"mnist-net_256x6"})
  public String network;

  @Param({"0.03", "0.05"})
  public String eps;

  private Network net;
  private Box box;
  private double[][] objectives;

  @Setup(Level.Trial)
  public void setUp() {
    Specification spec = BenchData.mnistProperty(0, eps);
    net = Networks.load(network);
    box = spec.cases().get(0).region();
    objectives = BenchData.objectives(spec);
    if (objectives.length != 9) {
      throw new IllegalStateException("expected 9 objectives, got " + objectives.length);
    }
    Networks.describe(net, box, objectives, BenchData.objectiveBounds(spec));
  }

  @Benchmark
  public double[] deepPoly() {
    return new DeepPolyPass().run(new BoundState(net, box), objectives, Budget.unlimited());
  }

  /** The {@code alpha} pass with its defaults (20 slope steps after one DeepPoly run). */
  @Benchmark
  public double[] alpha() {
    return new AlphaPass(AlphaPass.Options.defaults())
        .run(new BoundState(net, box), objectives, Budget.unlimited());
  }

  @Benchmark
  public double[] interval() {
    return new IntervalPass().run(new BoundState(net, box), objectives, Budget.unlimited());
  }
}
