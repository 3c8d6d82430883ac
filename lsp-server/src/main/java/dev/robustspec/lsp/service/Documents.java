package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.VerificationResult;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open documents, their compilation and the background verification of their properties:
 * the stateful half of {@link LanguageService}.
 *
 * <p>Threads. Every edit is compiled at once on one compile thread (parse and check take a few
 * milliseconds; a newer edit replaces a compile not started yet) and the checker's diagnostics
 * are published at once, beside the verdicts already known for unchanged content. Only the
 * verification is debounced: after the debounce pause with no newer edit, each property whose
 * content key ({@link Fingerprints}) has no cached result is queued on a pool of verification
 * threads. A recompile cancels (through
 * {@link Budget#cancel()}) the queued and running verifications no open document needs any more;
 * one still needed keeps running. Results go to a bounded cache by key. Listener calls come from
 * one publishing thread, each with the document's state at that moment, so the last call always
 * shows the latest state. Requests ({@link #analysis}, {@link #statusesFor}) never wait for a
 * verification: the lock guards only bookkeeping.
 */
final class Documents {
  private static final Logger LOG = Logger.getLogger(Documents.class.getName());

  private final LanguageService.Options options;
  private final LanguageService.Listener listener;
  private final LanguageService.PropertyVerifier propertyVerifier;
  private final CachingFileLoader loader = new CachingFileLoader();
  private final Map<String, Document> documents = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final Map<String, Job> inFlight = new LinkedHashMap<>(); // guarded by lock
  private final WeighedLru<String, Finished> results =
      new WeighedLru<>(LanguageService.RESULT_CACHE_BYTES, CacheWeights::of); // guarded by lock
  private final ScheduledExecutorService compiler;
  private final ScheduledExecutorService publisher;
  private final ThreadPoolExecutor verifier;

  Documents(LanguageService.Options options, LanguageService.Listener listener,
      LanguageService.PropertyVerifier propertyVerifier) {
    this.options = options;
    this.listener = listener;
    this.propertyVerifier = propertyVerifier;
    ScheduledThreadPoolExecutor compileThread =
        new ScheduledThreadPoolExecutor(1, threads("robustspec-compile"));
    compileThread.setRemoveOnCancelPolicy(true); // a flood of edits leaves no cancelled tasks
    compiler = compileThread;
    publisher = Executors.newSingleThreadScheduledExecutor(threads("robustspec-publish"));
    int jobs = Math.max(1, options.jobs());
    verifier = new ThreadPoolExecutor(jobs, jobs, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), threads("robustspec-verify"));
  }

  /** A finished verification: the result, or the message of a crash. */
  record Finished(VerificationResult result, String error, long millis) {}

  final class Document {
    final String uri;
    final Path path;
    volatile int version;
    volatile String text;
    volatile Analysis analysis; // the version verifications run for
    volatile Analysis latest; // a compile of the newest text for requests, if newer
    volatile Map<String, PropertyStatus> statuses = Map.of();
    Future<?> pendingCompile;
    ScheduledFuture<?> pendingVerification;
    final AtomicBoolean publishQueued = new AtomicBoolean();
    volatile boolean closed;

    Document(String uri, int version, String text) {
      this.uri = uri;
      this.path = pathOf(uri);
      this.version = version;
      this.text = text;
    }
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

  /** A property of an open document that a job's progress is reported to. */
  private record Target(String uri, String property) {}

  /** A document was opened: compiled at once (no debounce), then its properties verified. */
  public void open(String uri, int version, String text) {
    Document doc = new Document(uri, version, text);
    Document old = documents.put(uri, doc);
    if (old != null) {
      old.closed = true;
    }
    schedule(doc, false);
  }

  /**
   * The document's whole new text: compiled at once (the checker's diagnostics published), its
   * properties verified after the debounce pause.
   */
  public void change(String uri, int version, String text) {
    Document doc = documents.get(uri);
    if (doc == null) {
      open(uri, version, text);
      return;
    }
    synchronized (lock) {
      doc.version = version;
      doc.text = text;
    }
    schedule(doc, true);
  }

  public void close(String uri) {
    Document doc = documents.remove(uri);
    if (doc != null) {
      doc.closed = true;
      synchronized (lock) {
        if (doc.pendingCompile != null) {
          doc.pendingCompile.cancel(false);
        }
        if (doc.pendingVerification != null) {
          doc.pendingVerification.cancel(false);
        }
        cancelUnneeded();
      }
    }
  }

  /**
   * Recompiles every open document now (a file they read may have changed on disk); properties
   * whose content is unchanged keep their verdicts.
   */
  public void recheckAll() {
    for (Document doc : documents.values()) {
      schedule(doc, false);
    }
  }

  /** The text the service holds for {@code uri}, or null when it is not open. */
  public String text(String uri) {
    Document doc = documents.get(uri);
    return doc == null ? null : doc.text;
  }

  /** Compiles now; verifies now, or after the debounce pause when {@code debounceVerification}. */
  private void schedule(Document doc, boolean debounceVerification) {
    synchronized (lock) {
      if (doc.pendingCompile != null) {
        doc.pendingCompile.cancel(false);
      }
      if (doc.pendingVerification != null) {
        doc.pendingVerification.cancel(false);
      }
      doc.pendingCompile = compiler.submit(() -> compileAndVerify(doc, debounceVerification));
    }
  }

  private void compileAndVerify(Document doc, boolean debounceVerification) {
    int version;
    String text;
    synchronized (lock) {
      version = doc.version;
      text = doc.text;
    }
    Analysis a;
    try {
      a = analyse(doc, version, text);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.log(Level.SEVERE, "compiling " + doc.uri + " failed", e);
      return;
    }
    synchronized (lock) {
      if (doc.closed || doc.version != version) {
        return; // a newer edit is scheduled and will compile
      }
      doc.analysis = a;
      doc.latest = a;
      boolean start = !debounceVerification || options.debounce().isZero();
      Map<String, PropertyStatus> statuses = new LinkedHashMap<>();
      for (CompiledProperty p : a.compilation().properties()) {
        if (p.radius() == null) { // radius searches have no status here (not run)
          statuses.put(p.name(), statusFor(a, p, start));
        }
      }
      doc.statuses = statuses;
      cancelUnneeded();
      if (!start) {
        doc.pendingVerification = compiler.schedule(() -> startVerification(doc, a),
            options.debounce().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    publish(doc);
  }

  /** The debounce pause after an edit is over: verifies what {@code a} needs, if still current. */
  private void startVerification(Document doc, Analysis a) {
    synchronized (lock) {
      if (doc.closed || doc.analysis != a) {
        return; // a newer edit was compiled and scheduled its own verification
      }
      Map<String, PropertyStatus> statuses = new LinkedHashMap<>();
      for (CompiledProperty p : a.compilation().properties()) {
        if (p.radius() == null) {
          statuses.put(p.name(), statusFor(a, p, true));
        }
      }
      doc.statuses = statuses;
    }
    publish(doc);
  }

  /** A property's status from the cache or a queued job; queues one when {@code start}. */
  private PropertyStatus statusFor(Analysis a, CompiledProperty p, boolean start) {
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

  /** Cancels the verifications that no open document's current version needs. */
  private void cancelUnneeded() {
    Set<String> needed = new HashSet<>();
    for (Document d : documents.values()) {
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
        p -> publisher.execute(() -> deliver(targets, p)), publisher);
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
    for (Document d : documents.values()) {
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

  /** Hands one progress report to the listener, per target (on the publishing thread). */
  private void deliver(List<Target> targets, PropertyProgress p) {
    for (Target t : targets) {
      try {
        listener.progress(t.uri(), new PropertyProgress(t.property(), p.stage(), p.pass(),
            p.openBoxes(), p.closedBoxes(), p.bestMargin(), p.millis()));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "reporting progress to the editor failed", e);
      }
    }
  }

  /** Sets the status of every property with {@code key} in every document; caller holds lock. */
  private void updateStatuses(String key, Finished finished) {
    for (Document d : documents.values()) {
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
      publish(d);
    }
  }

  /** Queues one publication of the document's current state (coalescing repeated requests). */
  private void publish(Document doc) {
    if (!doc.publishQueued.compareAndSet(false, true)) {
      return;
    }
    publisher.execute(() -> {
      doc.publishQueued.set(false);
      Analysis a;
      Map<String, PropertyStatus> statuses;
      synchronized (lock) {
        a = doc.analysis;
        statuses = doc.statuses;
      }
      if (doc.closed || a == null) {
        return;
      }
      List<PropertyStatus> list = new ArrayList<>(statuses.values());
      try {
        listener.diagnostics(doc.uri, a.version(), diagnostics(a, list));
        listener.verdicts(doc.uri, a.version(), list);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "publishing to the editor failed", e);
      }
    });
  }

  /** The checker's diagnostics, then one per finished property verdict. */
  static List<EditorDiagnostic> diagnostics(Analysis a, List<PropertyStatus> statuses) {
    List<EditorDiagnostic> out = new ArrayList<>();
    for (SpecDiagnostic d : a.compilation().diagnostics()) {
      out.add(new EditorDiagnostic(d.range(), d.severity(), d.code().code(), d.message(),
          d.related().stream().map(r -> new EditorDiagnostic.Related(r.range(), r.message()))
              .toList()));
    }
    List<PropertyStatus> items = new ArrayList<>();
    for (PropertyStatus s : statuses) {
      if (DatasetVerdicts.isItem(a, s)) {
        items.add(s);
        continue;
      }
      EditorDiagnostic d = Verdicts.diagnostic(a, s);
      if (d != null) {
        out.add(d);
      }
    }
    out.addAll(DatasetVerdicts.diagnostics(a, items));
    out.addAll(DatasetVerdicts.radiusSearches(a));
    return out;
  }

  private Analysis analyse(Document doc, int version, String text) {
    Compilation c = compileVariant(doc, text);
    Map<String, String> keys = new LinkedHashMap<>();
    for (CompiledProperty p : c.properties()) {
      if (p.radius() != null) {
        continue; // a radius search runs from the command line (DatasetVerdicts.radiusSearches)
      }
      keys.put(p.name(), Fingerprints.property(p, options.propertyTimeout(), loader));
    }
    return new Analysis(doc.uri, version, text, c, new AstIndex(c.ast()), keys,
        new LineIndex(text));
  }

  /**
   * {@code text} compiled as if it were the document {@code uri} (its paths resolve beside it;
   * files from the cache): the radius search's probes of an edited eps.
   */
  Compilation compileVariant(String uri, String text) throws LanguageService.ServiceException {
    Document doc = documents.get(uri);
    if (doc == null) {
      throw new LanguageService.ServiceException("the document " + uri + " is not open");
    }
    return compileVariant(doc, text);
  }

  private Compilation compileVariant(Document doc, String text) {
    String name = doc.path != null ? doc.path.toString() : doc.uri;
    Path base = doc.path != null && doc.path.toAbsolutePath().getParent() != null
        ? doc.path.toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
    return Checker.compile(name, text, base, loader);
  }

  /**
   * The analysis of the document's newest text: the one being verified when it is current, else
   * a compile made now (cheap: files come from the cache), kept for the next request.
   */
  Analysis analysis(String uri) throws LanguageService.ServiceException {
    Document doc = documents.get(uri);
    if (doc == null) {
      throw new LanguageService.ServiceException("the document " + uri + " is not open");
    }
    int version;
    String text;
    synchronized (lock) {
      version = doc.version;
      text = doc.text;
    }
    Analysis a = doc.latest;
    if (a != null && a.version() == version && a.text().equals(text)) {
      return a;
    }
    a = analyse(doc, version, text);
    doc.latest = a;
    return a;
  }

  /**
   * The status of each property of {@code a} (for hovers and lenses): its cached verdict, else
   * whether its verification is queued or running; a property of an edit not compiled for
   * verification yet shows as pending.
   */
  Map<String, PropertyStatus> statusesFor(Analysis a) {
    Map<String, PropertyStatus> out = new LinkedHashMap<>();
    synchronized (lock) {
      for (CompiledProperty p : a.compilation().properties()) {
        out.put(p.name(), statusFor(a, p, false));
      }
    }
    return out;
  }

  void rerun(String uri, String property) throws LanguageService.ServiceException {
    Document doc = documents.get(uri);
    Analysis a = doc == null ? null : doc.analysis;
    if (a == null) {
      throw new LanguageService.ServiceException("the document " + uri + " is not open or not compiled yet");
    }
    if (property != null && a.property(property) == null) {
      throw new LanguageService.ServiceException("no compiled property named '" + property + "' in " + uri);
    }
    synchronized (lock) {
      Map<String, PropertyStatus> statuses = new LinkedHashMap<>(doc.statuses);
      for (CompiledProperty p : a.compilation().properties()) {
        if ((property == null || p.name().equals(property)) && p.radius() == null) {
          String key = a.keys().get(p.name());
          results.remove(key);
          statuses.put(p.name(), statusFor(a, p, true));
        }
      }
      doc.statuses = statuses;
    }
    publish(doc);
  }

  /** The statuses of the version being verified (tests and the protocol's lens refresh). */
  public List<PropertyStatus> statuses(String uri) {
    Document doc = documents.get(uri);
    return doc == null ? List.of() : new ArrayList<>(doc.statuses.values());
  }

  /** Verifications queued or running (tests check that stale ones are cancelled). */
  public int verificationsInFlight() {
    synchronized (lock) {
      return inFlight.size();
    }
  }

  /** Cached verdicts (tests check the bound). */
  public int cachedResults() {
    synchronized (lock) {
      return results.size();
    }
  }

  /** Estimated bytes of the cached verdicts (tests check the bound). */
  public long cachedResultBytes() {
    synchronized (lock) {
      return results.totalBytes();
    }
  }

  /** Cancels every verification and stops the threads. */
  void close() {
    synchronized (lock) {
      for (Job job : inFlight.values()) {
        job.cancelled = true;
        job.budget.cancel();
      }
      inFlight.clear();
    }
    compiler.shutdownNow();
    verifier.shutdownNow();
    publisher.shutdown(); // not interrupted: it may be writing to the editor's stream
  }

  static Path pathOf(String uri) {
    try {
      URI u = URI.create(uri);
      return "file".equalsIgnoreCase(u.getScheme()) ? Path.of(u) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Daemon threads with a large stack (deep formulas recurse), named for thread dumps. */
  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), 16L << 20);
      t.setDaemon(true);
      return t;
    };
  }
}
