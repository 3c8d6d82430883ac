package dev.robustspec.compiler.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.verify.Budget;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the plans of compiled properties, several at once if asked, each under its own wall-clock
 * budget that the engine honours from inside. Plain Java: the CLI and the language server share it.
 */
public final class PropertyRunner {

  /** A property's result. */
  public record Outcome(CompiledProperty property, VerificationResult result) {}

  private PropertyRunner() {}

  /**
   * Verifies the properties with {@code jobs} threads; {@code onDone} is called (from worker
   * threads) as each finishes. Results come back in the properties' order.
   */
  public static List<Outcome> run(List<CompiledProperty> properties, Duration timeout, int jobs,
      Consumer<Outcome> onDone, Budget cancelAll) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs), r -> {
      Thread t = new Thread(r, "robustspec-property");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (CompiledProperty p : properties) {
        futures.add(pool.submit(() -> {
          Budget budget = cancelAll == null ? Budget.of(timeout) : cancelAll.capped(timeout);
          VerificationResult r = new Verifier(p.network())
              .verify(p.specification(), p.plan().toEnginePlan(), budget);
          Outcome o = new Outcome(p, r);
          if (onDone != null) {
            onDone.accept(o);
          }
          return o;
        }));
      }
      List<Outcome> out = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("verification failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A counter for progress lines. */
  public static final class Progress {
    private final AtomicInteger done = new AtomicInteger();
    private final int total;

    public Progress(int total) {
      this.total = total;
    }

    public int finished() {
      return done.incrementAndGet();
    }

    public int total() {
      return total;
    }
  }
}
