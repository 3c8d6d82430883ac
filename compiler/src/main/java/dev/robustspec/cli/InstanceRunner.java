package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.verify.Budget;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one VNN-COMP instance (network file + VNN-LIB file) under a wall-clock timeout that is
 * always honoured: the budget stops the passes and the search from inside, and should anything
 * fail to notice, the caller stops waiting shortly after the deadline and reports a timeout.
 */
final class InstanceRunner {
  /** How long past the deadline we wait for the engine to notice its budget. */
  private static final long GRACE_MILLIS = 500;

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
    long start = System.nanoTime();
    Network net;
    Specification spec;
    try {
      Inputs.Instance instance = Inputs.instance(netFile, propFile);
      net = instance.network();
      spec = instance.property();
    } catch (InputFormatException e) {
      return new Outcome(null, null, null, e, elapsed(start));
    }
    double left = timeoutSeconds - elapsed(start);
    Budget budget = Budget.of(Duration.ofNanos((long) (Math.max(0, left) * 1e9)));
    Verifier.Plan plan = PassNames.plan(passes, freeInputs(spec), seed);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "robustspec-verify");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<VerificationResult> f =
          worker.submit(() -> new Verifier(net).verify(spec, plan, budget));
      long waitMillis = (long) (Math.max(0, left) * 1000) + GRACE_MILLIS;
      VerificationResult result;
      try {
        result = f.get(waitMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        budget.cancel();
        f.cancel(true);
        result = new VerificationResult(new Verdict.Timeout(Double.NEGATIVE_INFINITY),
            elapsed(start), new double[spec.cases().size()], List.of(), List.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        budget.cancel();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("verification failed: " + e.getCause(), e.getCause());
      }
      return new Outcome(net, spec, result, null, elapsed(start));
    } finally {
      worker.shutdownNow();
    }
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
