package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A language service with a listener that records what it would show, and helpers to open the
 * examples and wait for their verdicts. Waits are guards against a hang (minutes), not timings.
 */
final class ServiceFixture implements AutoCloseable {
  /** Surefire runs in the repository root (lsp-server/pom.xml). */
  static final Path ROOT = Path.of(System.getProperty("robustspec.root", ".")).toAbsolutePath()
      .normalize();
  static final Duration PATIENCE = Duration.ofMinutes(4);

  /** What the listener received last for each document, and every call in order. */
  final Map<String, List<EditorDiagnostic>> diagnostics = new ConcurrentHashMap<>();
  final Map<String, List<PropertyStatus>> verdicts = new ConcurrentHashMap<>();
  final Map<String, Integer> diagnosticVersions = new ConcurrentHashMap<>();
  /** The last verdicts of each document with their version, read together. */
  record Published(int version, List<PropertyStatus> statuses) {}

  final Map<String, Published> published = new ConcurrentHashMap<>();
  final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
  final LanguageService service;

  ServiceFixture() {
    this(LanguageService.Options.defaults());
  }

  ServiceFixture(LanguageService.Options options) {
    this(options, null);
  }

  /** With {@code verifier} standing in for the engine (null: the engine). */
  ServiceFixture(LanguageService.Options options, LanguageService.PropertyVerifier verifier) {
    LanguageService.Listener listener = new LanguageService.Listener() {
      @Override
      public void diagnostics(String uri, int version, List<EditorDiagnostic> d) {
        diagnostics.put(uri, d);
        diagnosticVersions.put(uri, version);
        calls.add("diagnostics " + uri + " " + version);
      }

      @Override
      public void verdicts(String uri, int version, List<PropertyStatus> properties) {
        verdicts.put(uri, properties);
        published.put(uri, new Published(version, properties));
        calls.add("verdicts " + uri + " " + version);
      }
    };
    service = verifier == null ? new LanguageService(options, listener)
        : new LanguageService(options, listener, verifier);
  }

  static Path example(String name) {
    return ROOT.resolve("examples").resolve(name);
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens an example by its real URI (relative paths in it resolve beside it). */
  String openExample(String name) {
    Path p = example(name);
    String uri = p.toUri().toString();
    service.open(uri, 1, read(p));
    return uri;
  }

  /** Opens {@code text} as if it were a file in examples/ (so example paths resolve). */
  String openText(String fileName, String text) {
    String uri = example(fileName).toUri().toString();
    service.open(uri, 1, text);
    return uri;
  }

  /** Waits until the last published verdicts of {@code uri} at {@code version} are all final. */
  List<PropertyStatus> awaitVerdicts(String uri, int version) {
    // verdicts are published after the diagnostics of the same version
    List<List<PropertyStatus>> seen = new ArrayList<>();
    await(() -> {
      Published p = published.get(uri);
      if (p != null && p.version() == version
          && p.statuses().stream().allMatch(s -> s.state().finished())) {
        seen.add(p.statuses());
        return true;
      }
      return false;
    }, "final verdicts of " + uri + " version " + version);
    return seen.get(0);
  }

  static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("gave up waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  static PropertyStatus status(List<PropertyStatus> statuses, String name) {
    return statuses.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no status for " + name + " in " + statuses));
  }

  /** The offset of the {@code n}-th (0-based) occurrence of {@code marker}, plus {@code shift}. */
  static int offsetOf(String text, String marker, int n, int shift) {
    int at = -1;
    for (int i = 0; i <= n; i++) {
      at = text.indexOf(marker, at + 1);
      if (at < 0) {
        throw new AssertionError("'" + marker + "' occurs fewer than " + (n + 1) + " times");
      }
    }
    return at + shift;
  }

  @Override
  public void close() {
    service.close();
  }
}
