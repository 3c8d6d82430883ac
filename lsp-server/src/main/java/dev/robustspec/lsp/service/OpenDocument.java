package dev.robustspec.lsp.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open document of {@link Documents}: its text, its compiled versions, its properties'
 * statuses and its pending background work. The pending tasks are read and written under the
 * documents' lock; the rest is volatile because the publishing and request threads read it
 * without that lock.
 */
final class OpenDocument {
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

  OpenDocument(String uri, int version, String text) {
    this.uri = uri;
    this.path = pathOf(uri);
    this.version = version;
    this.text = text;
  }

  static Path pathOf(String uri) {
    try {
      URI u = URI.create(uri);
      return "file".equalsIgnoreCase(u.getScheme()) ? Path.of(u) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
