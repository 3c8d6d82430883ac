package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.VerificationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Parts: {@link OpenDocument} (one document's state), {@link VerificationJobs} (the queued
 * and running verifications and the result cache), {@link EditorPublisher} (the publishing
 * thread). They share this class's lock, so a step that spans them (a recompile's statuses and
 * cancellations, a job's start and end) is still one critical section.
 */
final class Documents {
  private static final Logger LOG = Logger.getLogger(Documents.class.getName());

  private final LanguageService.Options options;
  private final CachingFileLoader loader = new CachingFileLoader();
  private final Map<String, OpenDocument> documents = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final ScheduledExecutorService compiler;
  private final EditorPublisher publisher;
  private final VerificationJobs jobs;

  Documents(LanguageService.Options options, LanguageService.Listener listener,
      LanguageService.PropertyVerifier propertyVerifier) {
    this.options = options;
    ScheduledThreadPoolExecutor compileThread =
        new ScheduledThreadPoolExecutor(1, threads("robustspec-compile"));
    compileThread.setRemoveOnCancelPolicy(true); // a flood of edits leaves no cancelled tasks
    compiler = compileThread;
    publisher = new EditorPublisher(listener,
        Executors.newSingleThreadScheduledExecutor(threads("robustspec-publish")), lock);
    int poolSize = Math.max(1, options.jobs());
    ThreadPoolExecutor verifier = new ThreadPoolExecutor(poolSize, poolSize, 0,
        TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads("robustspec-verify"));
    this.jobs = new VerificationJobs(options, propertyVerifier, documents, lock, publisher,
        verifier);
  }

  /** A finished verification: the result, or the message of a crash. */
  record Finished(VerificationResult result, String error, long millis) {}

  /** A document was opened: compiled at once (no debounce), then its properties verified. */
  public void open(String uri, int version, String text) {
    OpenDocument doc = new OpenDocument(uri, version, text);
    OpenDocument old = documents.put(uri, doc);
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
    OpenDocument doc = documents.get(uri);
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
    OpenDocument doc = documents.remove(uri);
    if (doc != null) {
      doc.closed = true;
      synchronized (lock) {
        if (doc.pendingCompile != null) {
          doc.pendingCompile.cancel(false);
        }
        if (doc.pendingVerification != null) {
          doc.pendingVerification.cancel(false);
        }
        jobs.cancelUnneeded();
      }
    }
  }

  /**
   * Recompiles every open document now (a file they read may have changed on disk); properties
   * whose content is unchanged keep their verdicts.
   */
  public void recheckAll() {
    for (OpenDocument doc : documents.values()) {
      schedule(doc, false);
    }
  }

  /** The text the service holds for {@code uri}, or null when it is not open. */
  public String text(String uri) {
    OpenDocument doc = documents.get(uri);
    return doc == null ? null : doc.text;
  }

  /** Compiles now; verifies now, or after the debounce pause when {@code debounceVerification}. */
  private void schedule(OpenDocument doc, boolean debounceVerification) {
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

  private void compileAndVerify(OpenDocument doc, boolean debounceVerification) {
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
          statuses.put(p.name(), jobs.statusFor(a, p, start));
        }
      }
      doc.statuses = statuses;
      jobs.cancelUnneeded();
      if (!start) {
        doc.pendingVerification = compiler.schedule(() -> startVerification(doc, a),
            options.debounce().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    publisher.publish(doc);
  }

  /** The debounce pause after an edit is over: verifies what {@code a} needs, if still current. */
  private void startVerification(OpenDocument doc, Analysis a) {
    synchronized (lock) {
      if (doc.closed || doc.analysis != a) {
        return; // a newer edit was compiled and scheduled its own verification
      }
      Map<String, PropertyStatus> statuses = new LinkedHashMap<>();
      for (CompiledProperty p : a.compilation().properties()) {
        if (p.radius() == null) {
          statuses.put(p.name(), jobs.statusFor(a, p, true));
        }
      }
      doc.statuses = statuses;
    }
    publisher.publish(doc);
  }

  private Analysis analyse(OpenDocument doc, int version, String text) {
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
    OpenDocument doc = documents.get(uri);
    if (doc == null) {
      throw new LanguageService.ServiceException("the document " + uri + " is not open");
    }
    return compileVariant(doc, text);
  }

  private Compilation compileVariant(OpenDocument doc, String text) {
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
    OpenDocument doc = documents.get(uri);
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
        out.put(p.name(), jobs.statusFor(a, p, false));
      }
    }
    return out;
  }

  void rerun(String uri, String property) throws LanguageService.ServiceException {
    OpenDocument doc = documents.get(uri);
    Analysis a = doc == null ? null : doc.analysis;
    if (a == null) {
      throw new LanguageService.ServiceException(
          "the document " + uri + " is not open or not compiled yet");
    }
    if (property != null && a.property(property) == null) {
      throw new LanguageService.ServiceException(
          "no compiled property named '" + property + "' in " + uri);
    }
    synchronized (lock) {
      Map<String, PropertyStatus> statuses = new LinkedHashMap<>(doc.statuses);
      for (CompiledProperty p : a.compilation().properties()) {
        if ((property == null || p.name().equals(property)) && p.radius() == null) {
          String key = a.keys().get(p.name());
          jobs.forget(key);
          statuses.put(p.name(), jobs.statusFor(a, p, true));
        }
      }
      doc.statuses = statuses;
    }
    publisher.publish(doc);
  }

  /** The statuses of the version being verified (tests and the protocol's lens refresh). */
  public List<PropertyStatus> statuses(String uri) {
    OpenDocument doc = documents.get(uri);
    return doc == null ? List.of() : new ArrayList<>(doc.statuses.values());
  }

  /** Verifications queued or running (tests check that stale ones are cancelled). */
  public int verificationsInFlight() {
    synchronized (lock) {
      return jobs.inFlight();
    }
  }

  /** Cached verdicts (tests check the bound). */
  public int cachedResults() {
    synchronized (lock) {
      return jobs.cachedResults();
    }
  }

  /** Estimated bytes of the cached verdicts (tests check the bound). */
  public long cachedResultBytes() {
    synchronized (lock) {
      return jobs.cachedResultBytes();
    }
  }

  /** Cancels every verification and stops the threads. */
  void close() {
    synchronized (lock) {
      jobs.cancelAll();
    }
    compiler.shutdownNow();
    jobs.shutdownNow();
    publisher.shutdown(); // not interrupted: it may be writing to the editor's stream
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
