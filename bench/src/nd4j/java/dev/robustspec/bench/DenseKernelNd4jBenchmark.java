package dev.robustspec.bench;

import java.nio.DoubleBuffer;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * ND4J counterpart of {@link DenseKernelBenchmark} (same parameters, same data): {@code A W} as a
 * double-precision {@code mmuli} into a result array created once.
 *
 * <ul>
 *   <li>{@code nd4jMmul}: operands already off-heap, result left off-heap (the cost if the whole
 *       engine kept its coefficient blocks in INDArrays).
 *   <li>{@code nd4jMmulCopy}: the cost for today's engine, which holds {@code double[]}: copy A
 *       in, multiply, copy the result out into an existing {@code double[]}. W is copied once
 *       (a network's weights would be mirrored off-heap once, at load time).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseKernelNd4jBenchmark {

  @Param({"20", "256", "512"})
  public int rows;

  @Param({"256", "784"})
  public int in;

  private KernelData dense;
  private INDArray a;
  private INDArray w;
  private INDArray out;
  private DoubleBuffer aView;
  private DoubleBuffer outView;
  private double[] outJava;

  @Setup(Level.Trial)
  public void setUp() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    dense = new KernelData(rows, in, 0.0, 1);
    a = Nd4j.create(dense.a, new long[] {rows, KernelData.K}, 'c');
    w = Nd4j.create(dense.w, new long[] {KernelData.K, in}, 'c');
    out = Nd4j.create(DataType.DOUBLE, new long[] {rows, in}, 'c');
    if (a.dataType() != DataType.DOUBLE || w.dataType() != DataType.DOUBLE) {
      throw new IllegalStateException("ND4J arrays are not double: " + a.dataType());
    }
    aView = a.data().asNio().asDoubleBuffer();
    outView = out.data().asNio().asDoubleBuffer();
    outJava = new double[rows * in];
    // Same numbers as the plain loop (up to summation order)?
    a.mmuli(w, out);
    double[] expected = DenseKernelBenchmark.rowAxpy(dense.a, dense.w, new double[rows * in],
        rows, KernelData.K, in);
    double[] got = out.data().asDouble();
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - got[i]));
    }
    if (maxDiff > 1e-9) {
      throw new IllegalStateException("ND4J and the plain loop differ by " + maxDiff);
    }
    System.out.println("# ND4J backend " + Nd4j.getBackend().getClass().getSimpleName()
        + ", " + Nd4j.getExecutioner().getEnvironmentInformation()
        + ", max |plain - nd4j| = " + maxDiff);
  }

  @Benchmark
  public INDArray nd4jMmul() {
    return a.mmuli(w, out);
  }

  @Benchmark
  public double[] nd4jMmulCopy() {
    aView.clear();
    aView.put(dense.a, 0, rows * KernelData.K);
    a.mmuli(w, out);
    outView.clear();
    outView.get(outJava, 0, rows * in);
    return outJava;
  }
}
