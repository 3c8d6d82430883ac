package dev.robustspec.engine.run;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The one way into the engine: runs {@link Problem}s under a wall-clock budget, on worker
 * threads it owns, and reports progress to one {@link ProgressListener}. Every front end (the
 * VNN-COMP commands, {@code verify} of an .rspec file or a VNN-LIB query, the language server)
 * builds a problem, calls one of the methods below, and only formats the result.
 *
 * <p>The budget stops the passes and searches from inside; should the engine fail to notice it,
 * {@link #run} stops waiting a grace period past the deadline, cancels the budget and reports a
 * timeout, so a deadline is always honoured.
 */
public final class EngineRunner {
  /** How long past the deadline {@link #run} waits for the engine to notice its budget. */
  public static final Duration GRACE = Duration.ofMillis(500);

  /**
   * The limits of one {@link #run}: {@code timeout} (null: none) and how long past it to wait.
   */
  public record Limits(Duration timeout, Duration grace) {
    /** {@code timeout} and the standard {@link #GRACE}. */
    public static Limits of(Duration timeout) {
      return new Limits(timeout, GRACE);
    }

    /** No deadline at all. */
    public static Limits unlimited() {
      return new Limits(null, Duration.ZERO);
    }
  }

  /** The engine failed (a bug, not a verdict); the cause says how. */
  public static final class EngineFailure extends IllegalStateException {
    EngineFailure(Throwable cause) {
      super("verification failed: " + cause, cause);
    }
  }

  private final ProgressListener listener;

  public EngineRunner() {
    this(ProgressListener.NONE);
  }

  public EngineRunner(ProgressListener listener) {
    this.listener = listener;
  }

  /**
   * Runs the problem in the calling thread under {@code budget} (a thread pool of the caller's,
   * e.g. the language server's, already gives it its thread).
   */
  public VerificationResult runHere(Problem problem, Budget budget) {
    return new Verifier(problem.network(), listener)
        .verify(problem.specification(), problem.plan(), budget);
  }

  /**
   * Runs the problem on a worker thread under {@code limits}. When no answer came a grace period
   * past the deadline, the budget is cancelled and the result is a timeout with no bounds. An
   * interrupt of the calling thread cancels the run the same way (the interrupt flag stays set).
   *
   * @throws EngineFailure when the engine threw
   */
  public VerificationResult run(Problem problem, Limits limits) {
    long start = System.nanoTime();
    Budget budget = limits.timeout() == null ? Budget.unlimited() : Budget.of(limits.timeout());
    ExecutorService worker = Executors.newSingleThreadExecutor(daemons("robustspec-verify"));
    try {
      Future<VerificationResult> f = worker.submit(() -> runHere(problem, budget));
      try {
        if (limits.timeout() == null) {
          return f.get();
        }
        long waitNanos = saturatedSum(limits.timeout().toNanos(), limits.grace().toNanos());
        return f.get(waitNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        budget.cancel();
        f.cancel(true);
        return timedOut(problem, start);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        budget.cancel();
        return timedOut(problem, start);
      } catch (ExecutionException e) {
        throw new EngineFailure(e.getCause());
      }
    } finally {
      worker.shutdownNow();
    }
  }

  /**
   * Runs {@code reading} (loading a problem's files) on a daemon thread and waits at most
   * {@code timeout}, so that reading counts against an instance's deadline too. The readers poll
   * no budget: on a timeout the reading thread is abandoned and ends when its reader does.
   *
   * @throws TimeoutException when the reading did not finish in time
   * @throws ExecutionException with the reader's exception as its cause
   */
  public static <T> T readWithin(Callable<T> reading, Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    ExecutorService reader = Executors.newSingleThreadExecutor(daemons("robustspec-read"));
    try {
      Future<T> f = reader.submit(reading);
      try {
        return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        throw e;
      }
    } finally {
      reader.shutdownNow();
    }
  }

  /**
   * Runs the problems with {@code jobs} threads, each under its own {@code timeout} (within
   * {@code cancelAll} when given, which cancels them all); {@code onDone} is called (from worker
   * threads) with each problem's index and result as it finishes. Results come back in the
   * problems' order.
   *
   * @throws EngineFailure when the engine threw on one of them
   */
  public List<VerificationResult> runAll(List<Problem> problems, Duration timeout, int jobs,
      BiConsumer<Integer, VerificationResult> onDone, Budget cancelAll) {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, jobs), daemons("robustspec-property"));
    try {
      List<Future<VerificationResult>> futures = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          Budget budget = cancelAll == null ? Budget.of(timeout) : cancelAll.capped(timeout);
          VerificationResult r = runHere(problems.get(index), budget);
          if (onDone != null) {
            onDone.accept(index, r);
          }
          return r;
        }));
      }
      List<VerificationResult> out = new ArrayList<>();
      for (Future<VerificationResult> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw new EngineFailure(e.getCause());
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

  private static VerificationResult timedOut(Problem problem, long startNanos) {
    // no pass reported: nothing is known of any case (0 would read as a bound just short of a
    // proof; -infinity is printed as null)
    double[] margins = new double[problem.specification().cases().size()];
    Arrays.fill(margins, Double.NEGATIVE_INFINITY);
    return new VerificationResult(new Verdict.Timeout(Double.NEGATIVE_INFINITY),
        (System.nanoTime() - startNanos) / 1e9, margins, List.of(), List.of());
  }

  private static long saturatedSum(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }

  private static ThreadFactory daemons(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
