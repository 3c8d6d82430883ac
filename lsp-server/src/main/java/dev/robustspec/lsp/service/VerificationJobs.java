package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.lsp.service.Documents.Finished;
import dev.robustspec.lsp.service.EditorPublisher.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The background verifications of {@link Documents}: the jobs queued or running on the
 * verification pool (one per content key, {@link Fingerprints}), the bounded cache of their
 * results, and the statuses a finished or started job gives the open documents' properties.
 * Everything here is guarded by the documents' lock, which the methods marked so expect their
 * caller to hold; only a job's verification itself runs without it.
 */
final class VerificationJobs {
  // Documents' logger: this is its verification half, and logging configuration names it
  private static final Logger LOG = Logger.getLogger(Documents.class.getName());

  private final LanguageService.Options options;
  private final LanguageService.PropertyVerifier propertyVerifier;
  private final Map<String, OpenDocument> documents;
  private final Object lock;
  private final EditorPublisher publisher;
  private final ThreadPoolExecutor verifier;
  private final Map<String, Job> inFlight = new LinkedHashMap<>(); // guarded by lock
  private final WeighedLru<String, Finished> results =
      new WeighedLru<>(LanguageService.RESULT_CACHE_BYTES, CacheWeights::of); // guarded by lock

  VerificationJobs(LanguageService.Options options,
      LanguageService.PropertyVerifier propertyVerifier, Map<String, OpenDocument> documents,
      Object lock, EditorPublisher publisher, ThreadPoolExecutor verifier) {
    this.options = options;
    this.propertyVerifier = propertyVerifier;
    this.documents = documents;
    this.lock = lock;
    this.publisher = publisher;
    this.verifier = verifier;
  }

  private final class Job {
    final String key;
    final CompiledProperty property;
    /** Cancels the job; its time limit starts when it starts, not while it waits in the queue. */
    final Budget budget = Budget.unlimited();
    volatile boolean cancelled;
    volatile boolean running;
    Future<?> future;
    /** Where its progress goes: the properties with its key when it started. */
    List<Target> targets = List.of();

    Job(String key, CompiledProperty property) {
      this.key = key;
      this.property = property;
    }
  }

  /**
   * A property's status from the cache or a queued job; queues one when {@code start}; caller
   * holds lock.
   */
  PropertyStatus statusFor(Analysis a, CompiledProperty p, boolean start) {
    String key = a.keys().get(p.name());
    SourceRange range = a.propertyNameRange(p.name());
    Finished f = key == null ? null : results.get(key);
    if (f != null) {
      return Verdicts.status(p, range, f);
    }
    Job job = key == null ? null : inFlight.get(key);
    if (job == null && start && key != null) {
      job = submit(key, p);
    }
    PropertyStatus.State state = job != null && job.running ? PropertyStatus.State.RUNNING
        : PropertyStatus.State.PENDING;
    return new PropertyStatus(p.name(), state, null, null, null, range, null, null);
  }

  private Job submit(String key, CompiledProperty p) {
    Job job = new Job(key, p);
    inFlight.put(key, job);
    job.future = verifier.submit(() -> run(job));
    return job;
  }

  /** Drops the cached result of {@code key} (a rerun); caller holds lock. */
  void forget(String key) {
    results.remove(key);
  }

  /** Cancels the verifications that no open document's current version needs; caller holds lock. */
  void cancelUnneeded() {
    Set<String> needed = new HashSet<>();
    for (OpenDocument d : documents.values()) {
      Analysis a = d.analysis;
      if (a != null && !d.closed) {
        needed.addAll(a.keys().values());
      }
    }
    boolean any = false;
    for (var it = inFlight.values().iterator(); it.hasNext(); ) {
      Job job = it.next();
      if (!needed.contains(job.key)) {
        job.cancelled = true;
        job.budget.cancel();
        job.future.cancel(false);
        it.remove();
        any = true;
      }
    }
    if (any) {
      verifier.purge();
    }
  }

  private void run(Job job) {
    synchronized (lock) {
      if (job.cancelled) {
        return;
      }
      job.running = true;
      job.targets = targets(job.key);
      updateStatuses(job.key, null);
    }
    List<Target> targets = job.targets;
    ProgressThrottle progress = new ProgressThrottle(job.property.name(),
        p -> publisher.progress(targets, p), publisher.executor());
    long t0 = System.nanoTime();
    Finished finished;
    try {
      VerificationResult r = propertyVerifier.verify(job.property,
          job.budget.capped(options.propertyTimeout()), progress);
      finished = new Finished(r, null, (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      LOG.log(Level.WARNING, "verification of " + job.property.name() + " failed", e);
      finished = new Finished(null, "the verification failed: " + e,
          (System.nanoTime() - t0) / 1_000_000);
    } finally {
      progress.end();
    }
    synchronized (lock) {
      if (inFlight.get(job.key) == job) {
        inFlight.remove(job.key);
      }
      if (job.cancelled) {
        return; // stale: its result (a cancellation) says nothing about the property
      }
      results.put(job.key, finished);
      updateStatuses(job.key, finished);
    }
  }

  /** The properties of open documents with {@code key}; caller holds lock. */
  private List<Target> targets(String key) {
    List<Target> out = new ArrayList<>();
    for (OpenDocument d : documents.values()) {
      Analysis a = d.analysis;
      if (a != null && !d.closed) {
        for (Map.Entry<String, String> e : a.keys().entrySet()) {
          if (e.getValue().equals(key)) {
            out.add(new Target(d.uri, e.getKey()));
          }
        }
      }
    }
    return out;
  }

  /** Sets the status of every property with {@code key} in every document; caller holds lock. */
  private void updateStatuses(String key, Finished finished) {
    for (OpenDocument d : documents.values()) {
      Analysis a = d.analysis;
      if (a == null || !a.keys().containsValue(key)) {
        continue;
      }
      Map<String, PropertyStatus> statuses = new LinkedHashMap<>(d.statuses);
      for (Map.Entry<String, String> e : a.keys().entrySet()) {
        CompiledProperty p = a.property(e.getKey());
        if (e.getValue().equals(key) && p != null) {
          SourceRange range = a.propertyNameRange(p.name());
          statuses.put(p.name(), finished != null ? Verdicts.status(p, range, finished)
              : new PropertyStatus(p.name(), PropertyStatus.State.RUNNING, null, null, null,
                  range, null, null));
        }
      }
      d.statuses = statuses;
      publisher.publish(d);
    }
  }

  /** Verifications queued or running; caller holds lock. */
  int inFlight() {
    return inFlight.size();
  }

  /** Cached verdicts; caller holds lock. */
  int cachedResults() {
    return results.size();
  }

  /** Estimated bytes of the cached verdicts; caller holds lock. */
  long cachedResultBytes() {
    return results.totalBytes();
  }

  /** Cancels every verification, queued or running; caller holds lock. */
  void cancelAll() {
    for (Job job : inFlight.values()) {
      job.cancelled = true;
      job.budget.cancel();
    }
    inFlight.clear();
  }

  /** Stops the verification threads (after {@link #cancelAll}). */
  void shutdownNow() {
    verifier.shutdownNow();
  }
}
