package dev.robustspec.bench;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.io.VnnlibReader;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Specification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reading a VNN-COMP 1 MNIST property ({@code mnistfc/vnnlib/prop_0_<eps>.vnnlib}: 784 inputs,
 * 1,568 input bounds, 9 output cases), once as syntax only ({@link VnnlibReader#query}) and once
 * to its {@link Specification} through the one lowering ({@link VnnlibFiles#specification}).
 * This replaces the timing assertion the reader's tests used to carry (a test asserts what holds
 * on any machine; speed is measured here). The text is read from disk once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class VnnlibParseBenchmark {

  @Param({"0.03"})
  public String eps;

  private Path file;
  private String text;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InputFormatException {
    file = BenchData.mnistfc("vnnlib/prop_0_" + eps + ".vnnlib");
    text = Files.readString(file);
    Specification spec = VnnlibFiles.specification(text, file);
    if (spec.inputSize() != 784 || spec.cases().size() != 9) {
      throw new IllegalStateException("unexpected MNIST property: " + spec.inputSize()
          + " inputs, " + spec.cases().size() + " cases");
    }
  }

  /** Parse, linear forms and the DNF of every assert: the query model. */
  @Benchmark
  public VnnlibQuery query() throws InputFormatException {
    return VnnlibReader.query(text, file, VnnlibReader.DEFAULT_NETWORK);
  }

  /** The query model lowered to unsafe cases (what {@code instance} and {@code batch} read). */
  @Benchmark
  public Specification specification() throws InputFormatException {
    return VnnlibFiles.specification(text, file);
  }
}
