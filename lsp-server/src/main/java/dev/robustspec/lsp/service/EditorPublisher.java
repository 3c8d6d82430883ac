package dev.robustspec.lsp.service;

import dev.robustspec.compiler.diag.SpecDiagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one publishing thread of {@link Documents}: every call of the service's listener
 * (diagnostics, verdicts, progress) runs on it, each publication with the document's state at
 * that moment, so the last call always shows the latest state.
 */
final class EditorPublisher {
  // Documents' logger: this is its publishing half, and logging configuration names it
  private static final Logger LOG = Logger.getLogger(Documents.class.getName());

  private final LanguageService.Listener listener;
  private final ScheduledExecutorService publisher;
  private final Object lock; // the documents' lock: statuses and analysis are read together

  EditorPublisher(LanguageService.Listener listener, ScheduledExecutorService publisher,
      Object lock) {
    this.listener = listener;
    this.publisher = publisher;
    this.lock = lock;
  }

  /** A property of an open document that a job's progress is reported to. */
  record Target(String uri, String property) {}

  /** The publishing thread, which also schedules the progress throttles' flushes. */
  ScheduledExecutorService executor() {
    return publisher;
  }

  /** Queues the hand-over of one progress report to the listener, per target. */
  void progress(List<Target> targets, PropertyProgress p) {
    publisher.execute(() -> deliver(targets, p));
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

  /** Queues one publication of the document's current state (coalescing repeated requests). */
  void publish(OpenDocument doc) {
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

  /** Lets queued publications finish; not interrupted: it may be writing to the editor's stream. */
  void shutdown() {
    publisher.shutdown();
  }
}
