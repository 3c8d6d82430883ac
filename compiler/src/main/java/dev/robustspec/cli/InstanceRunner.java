package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.run.DefaultPlan;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.run.Problem;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Runs one VNN-COMP instance (network file + VNN-LIB file) under a wall-clock timeout counted
 * from the start of reading: reads the files, builds the {@link Problem} and hands it to the
 * {@link EngineRunner}, which honours the deadline (with its grace period).
 */
final class InstanceRunner {
  /** What came of one instance: the inputs (when they could be read) and the result or error. */
  record Outcome(Network network, Specification spec, VerificationResult result,
      InputFormatException error, double seconds) {
    boolean failed() {
      return error != null;
    }
  }

  private InstanceRunner() {}

  /**
   * Inputs that some region lets vary (lower < upper): the dimension input splitting works in,
   * so the default plan's bab limit counts these (dist_shift fixes 784 of its 792 inputs).
   */
  static int freeInputs(Specification spec) {
    int free = 0;
    int n = spec.regions().get(0).dimension();
    for (int i = 0; i < n; i++) {
      for (dev.robustspec.engine.spec.Box b : spec.regions()) {
        if (b.lower()[i] < b.upper()[i]) {
          free++;
          break;
        }
      }
    }
    return free;
  }

  static Outcome run(Path netFile, Path propFile, String passes, double timeoutSeconds,
      long seed) {
    return run(netFile, propFile, passes, timeoutSeconds, seed, new EngineRunner());
  }

  /** As above, with the engine runner (and so the progress listener) to use. */
  static Outcome run(Path netFile, Path propFile, String passes, double timeoutSeconds,
      long seed, EngineRunner runner) {
    return run(netFile, propFile, passes, timeoutSeconds, seed, runner,
        () -> Inputs.instance(netFile, propFile));
  }

  /**
   * As above, the network from {@code networks} (a cluster executor's cache: read once per
   * process, not per instance); {@code network} is the file as the driver saw it.
   */
  static Outcome run(NetworkFile network, Path propFile, String passes, double timeoutSeconds,
      long seed, EngineRunner runner, NetworkSource networks) {
    Path netFile = Path.of(network.path());
    return run(netFile, propFile, passes, timeoutSeconds, seed, runner, () -> {
      dev.robustspec.engine.network.Network net = networks.network(network);
      Specification spec = Inputs.property(propFile);
      Inputs.checkSizes(net, netFile, spec, propFile);
      return new Inputs.Instance(net, spec);
    });
  }

  /** How an instance's two files become its inputs, counted against its timeout. */
  private interface Reading {
    Inputs.Instance read() throws InputFormatException;
  }

  private static Outcome run(Path netFile, Path propFile, String passes, double timeoutSeconds,
      long seed, EngineRunner runner, Reading reading) {
    long start = System.nanoTime();
    Network net;
    Specification spec;
    try {
      // Reading counts against the timeout too (issue 12: a 40 MB VNN-LIB file with --timeout
      // 10 ran 29 s).
      Inputs.Instance instance = EngineRunner.readWithin(reading::read,
          Duration.ofNanos((long) (Math.max(0, timeoutSeconds) * 1e9)));
      net = instance.network();
      spec = instance.property();
    } catch (TimeoutException e) {
      return new Outcome(null, null, new VerificationResult(
          new Verdict.Timeout(Double.NEGATIVE_INFINITY), elapsed(start), new double[0],
          List.of(), List.of()), null, elapsed(start));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InputFormatException bad) {
        return new Outcome(null, null, null, bad, elapsed(start));
      }
      throw new IllegalStateException("reading failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    double left = timeoutSeconds - elapsed(start);
    Problem problem = new Problem(net, spec, PassNames.plan(passes, DefaultPlan.varyingInputs(spec), seed));
    VerificationResult result = runner.run(problem,
        EngineRunner.Limits.of(Duration.ofNanos((long) (Math.max(0, left) * 1e9))));
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted");
    }
    return new Outcome(net, spec, result, null, elapsed(start));
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
