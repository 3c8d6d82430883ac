package dev.robustspec.bench;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
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
 * One full DeepPoly pass on a {@code cifar10_resnet} residual network (read as a graph and
 * lowered to a chain: the skip values carried past each block's convolutions and ReLU) under
 * the input box of {@code prop_0} of its instance list, with that property's 9 objectives. Each
 * call builds a fresh {@link BoundState}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ResidualDeepPolyBenchmark {

  /** {@code resnet_2b} (with {@code prop_0_eps_0.008}) or {@code resnet_4b} ({@code 0.004}). */
  @Param({"resnet_2b", "resnet_4b"})
  public String network;

  private Network net;
  private Box box;
  private double[][] objectives;

  @Setup(Level.Trial)
  public void setUp() throws InputFormatException {
    var suite = BenchData.benchmarksDir().resolve("cifar10_resnet");
    String prop = network.equals("resnet_2b")
        ? "vnnlib/resnet2b_pgd_filtered/prop_0_eps_0.008.vnnlib"
        : "vnnlib/resnet4b_pgd_filtered/prop_0_eps_0.004.vnnlib";
    Specification spec = VnnlibFiles.specification(suite.resolve(prop));
    net = OnnxReader.read(suite.resolve("onnx/" + network + ".onnx"));
    box = spec.cases().get(0).region();
    objectives = BenchData.objectives(spec);
    Networks.describe(net, box, objectives, BenchData.objectiveBounds(spec));
  }

  @Benchmark
  public double[] deepPoly() {
    return new DeepPolyPass().run(new BoundState(net, box), objectives, Budget.unlimited());
  }
}
