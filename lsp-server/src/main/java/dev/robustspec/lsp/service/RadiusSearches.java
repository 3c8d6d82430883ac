package dev.robustspec.lsp.service;

import dev.robustspec.lsp.service.LanguageService.RadiusFixState;
import dev.robustspec.lsp.service.LanguageService.ServiceException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The radius searches of {@link LanguageService}'s "set eps" quick fix: one per version of a
 * document and property, each started by the first request for it and run on the service's one
 * search thread, the newest version's kept.
 */
final class RadiusSearches implements AutoCloseable {
  private final Documents documents;
  private final Duration propertyTimeout;
  private final LanguageService.PropertyVerifier propertyVerifier;
  /** Radius searches by the document's version and property (each runs once). */
  private final Map<String, CompletableFuture<RadiusFixes.Fix>> radiusFixes =
      new HashMap<>(); // guarded by itself
  /** One search at a time, off the request threads (a search may take 30 s). */
  private final ExecutorService radiusSearches = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "robustspec-radius-search");
    t.setDaemon(true);
    return t;
  });

  RadiusSearches(Documents documents, Duration propertyTimeout,
      LanguageService.PropertyVerifier propertyVerifier) {
    this.documents = documents;
    this.propertyTimeout = propertyTimeout;
    this.propertyVerifier = propertyVerifier;
  }

  /** {@link LanguageService#radiusFixState}: where the property's search stands, or null. */
  RadiusFixState state(String uri, String property) throws ServiceException {
    CompletableFuture<RadiusFixes.Fix> f = radiusSearch(uri, property);
    if (f == null) {
      return null;
    }
    if (!f.isDone()) {
      return new RadiusFixState(false, null);
    }
    // a search that failed offers nothing (robustspec.setRadius reports why)
    return new RadiusFixState(true, f.isCompletedExceptionally() ? null : f.getNow(null));
  }

  /** {@link LanguageService#radiusFix}: waits for the search; the fix, or null. */
  RadiusFixes.Fix fix(String uri, String property) throws ServiceException {
    CompletableFuture<RadiusFixes.Fix> f = radiusSearch(uri, property);
    try {
      return f == null ? null : f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while searching the radius of " + property);
    } catch (ExecutionException e) {
      throw new ServiceException("the radius search of " + property + " failed: "
          + e.getCause());
    }
  }

  private CompletableFuture<RadiusFixes.Fix> radiusSearch(String uri, String property)
      throws ServiceException {
    Analysis a = documents.analysis(uri);
    List<PropertyStatus> mine = documents.statusesFor(a).values().stream()
        .filter(s -> s.name().equals(property) || DatasetVerdicts.isItem(a, s)
            && a.property(s.name()).item().property().equals(property)).toList();
    boolean fails = mine.stream().anyMatch(s -> s.state().finished()
        && s.state() != PropertyStatus.State.CERTIFIED);
    RadiusFixes.EpsLiteral eps = RadiusFixes.epsOf(a, property);
    if (!fails || eps == null) {
      return null;
    }
    String key = a.uri() + "#" + a.version() + " " + property; // one text per version
    synchronized (radiusFixes) {
      CompletableFuture<RadiusFixes.Fix> known = radiusFixes.get(key);
      if (known != null) {
        return known;
      }
      // a new version of the document: its older searches are of no use
      radiusFixes.keySet().removeIf(k -> k.startsWith(a.uri() + "#"));
      Duration cap = LanguageService.BOUNDS_LIMIT.multipliedBy(3);
      Duration limit = propertyTimeout.compareTo(cap) < 0 ? propertyTimeout : cap;
      CompletableFuture<RadiusFixes.Fix> f = CompletableFuture.supplyAsync(
          () -> RadiusFixes.fix(a, property, eps, limit, text -> {
            try {
              return documents.compileVariant(uri, text);
            } catch (ServiceException e) {
              throw new IllegalStateException(e.getMessage(), e);
            }
          }, propertyVerifier), radiusSearches);
      radiusFixes.put(key, f);
      return f;
    }
  }

  /** Stops the search thread, interrupting a running search. */
  @Override
  public void close() {
    radiusSearches.shutdownNow();
  }
}
