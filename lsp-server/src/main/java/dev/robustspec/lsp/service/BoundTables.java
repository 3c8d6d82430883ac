package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.lsp.service.LanguageService.ServiceException;
import java.time.Duration;
import java.util.List;

/**
 * The bound tables of {@link LanguageService}'s bounds requests and hovers: cached by the
 * property's content key, computed on the requesting thread when not cached.
 */
final class BoundTables {
  private final WeighedLru<String, BoundsTable> boundsCache =
      new WeighedLru<>(LanguageService.BOUNDS_CACHE_BYTES, CacheWeights::of); // guarded by itself
  private final Duration propertyTimeout;

  BoundTables(Duration propertyTimeout) {
    this.propertyTimeout = propertyTimeout;
  }

  /**
   * {@link LanguageService#bounds(String, String, Integer)} over the document's analysis.
   *
   * @throws ServiceException when the property is unknown or did not compile
   */
  BoundsTable table(Analysis a, String property, Integer layer) throws ServiceException {
    CompiledProperty p = a.property(property);
    if (p == null) {
      boolean declared = a.index().byName.containsKey(property);
      String errors = a.compilation().diagnostics().stream().filter(SpecDiagnostic::isError)
          .findFirst().map(d -> "; first error, line " + d.range().startLine() + ": "
              + d.message()).orElse("");
      throw new ServiceException(declared
          ? "the property '" + property + "' does not compile" + errors
          : "no property named '" + property + "' in the document" + errors);
    }
    BoundsTable table = of(a, p);
    if (layer == null) {
      return table;
    }
    BoundsTable.LayerBounds l = table.layer(layer);
    if (l == null) {
      throw new ServiceException("the network '" + p.networkName() + "' has layers 0 to "
          + (p.network().views().size() - 1) + " (and -1, the input); no layer " + layer);
    }
    return new BoundsTable(table.property(), table.network(), table.passes(), List.of(l),
        table.notComputed());
  }

  /** Bounds by the property's content key; computed on the calling thread when not cached. */
  BoundsTable of(Analysis a, CompiledProperty p) {
    String key = a.keys().get(p.name());
    synchronized (boundsCache) {
      BoundsTable t = boundsCache.get(key);
      if (t != null) {
        return t;
      }
    }
    // on a request thread: capped, so a huge network cannot hold the thread for long
    Duration cap = propertyTimeout.compareTo(LanguageService.BOUNDS_LIMIT) < 0
        ? propertyTimeout : LanguageService.BOUNDS_LIMIT;
    BoundsTable t = BoundsCalculator.compute(p, Budget.of(cap));
    synchronized (boundsCache) {
      boundsCache.put(key, t);
    }
    return t;
  }
}
