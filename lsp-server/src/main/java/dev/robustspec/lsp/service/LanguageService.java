package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.plot.PlotException;
import dev.robustspec.compiler.plot.PlotService;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.verify.VerificationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The protocol-free language service: open documents, their compilation, the background
 * verification of their properties, and every editor feature (diagnostics, hover, bounds,
 * navigation, completion, tokens, lenses). Plain Java; the LSP layer only translates.
 *
 * <p>{@link Documents} holds the documents and runs the background work (compile at once, debounced
 * verification queue, content-keyed cache, cancellation of stale runs, publication); this class
 * is the façade. Feature methods ({@link #hover} and the rest) may be called from any thread;
 * they never wait for a verification. {@link BoundTables} caches the bound tables, and
 * {@link RadiusSearches} runs the quick fix's radius searches on its one thread.
 */
public final class LanguageService implements AutoCloseable {
  /** Bytes of finished verifications kept (content-keyed), and of bound tables. */
  static final long RESULT_CACHE_BYTES = 64L << 20;
  static final long BOUNDS_CACHE_BYTES = 32L << 20;
  static final Duration BOUNDS_LIMIT = Duration.ofSeconds(10);

  /** Receives what the editor should show. Called from one thread, in order. */
  public interface Listener {
    void diagnostics(String uri, int version, List<EditorDiagnostic> diagnostics);

    void verdicts(String uri, int version, List<PropertyStatus> properties);

    /**
     * A running verification of property {@code progress.property()} of {@code uri} moved on
     * (at most a few reports a second per property; {@code BEGIN} first, {@code END} last).
     */
    default void progress(String uri, PropertyProgress progress) {}
  }

  /**
   * @param propertyTimeout wall-clock limit of one property's verification
   * @param jobs verification threads
   * @param debounce pause after an edit before verifying (the checker runs at once)
   */
  public record Options(Duration propertyTimeout, int jobs, Duration debounce) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(60), 2, Duration.ofMillis(300));
    }
  }

  /** A request that cannot be answered, with a message for the user. */
  public static final class ServiceException extends Exception {
    public ServiceException(String message) {
      super(message);
    }
  }

  private final Documents documents;
  private final PlotService plots = PlotService.standard(); // the same pictures as robustspec plot
  private final BoundTables boundTables;
  private final RadiusSearches radiusSearches;

  /** How one property is verified: the engine, or in tests a stand-in that fails on purpose. */
  interface PropertyVerifier {
    VerificationResult verify(CompiledProperty property, Budget budget);

    /** Like {@link #verify(CompiledProperty, Budget)}, reporting the runner's events. */
    default VerificationResult verify(CompiledProperty property, Budget budget,
        ProgressListener progress) {
      return verify(property, budget);
    }
  }

  /** The engine's one runner, on the calling verification thread, with its progress events. */
  private static final class RunnerVerifier implements PropertyVerifier {
    @Override
    public VerificationResult verify(CompiledProperty property, Budget budget) {
      return verify(property, budget, ProgressListener.NONE);
    }

    @Override
    public VerificationResult verify(CompiledProperty property, Budget budget,
        ProgressListener progress) {
      return new EngineRunner(progress).runHere(property.problem(), budget);
    }
  }

  public LanguageService(Options options, Listener listener) {
    this(options, listener, new RunnerVerifier());
  }

  LanguageService(Options options, Listener listener, PropertyVerifier propertyVerifier) {
    this.boundTables = new BoundTables(options.propertyTimeout());
    this.documents = new Documents(options, listener, propertyVerifier);
    this.radiusSearches = new RadiusSearches(documents, options.propertyTimeout(),
        propertyVerifier);
  }

  // ---- documents ------------------------------------------------------------------------------

  /** A document was opened: compiled at once (no debounce), then its properties verified. */
  public void open(String uri, int version, String text) {
    documents.open(uri, version, text);
  }

  /**
   * The document's whole new text: compiled at once (the checker's diagnostics published), its
   * properties verified after the debounce pause.
   */
  public void change(String uri, int version, String text) {
    documents.change(uri, version, text);
  }

  /** The document was closed: its verifications that nothing else needs are cancelled. */
  public void close(String uri) {
    documents.close(uri);
  }

  /**
   * Recompiles every open document now (a file they read may have changed on disk); properties
   * whose content is unchanged keep their verdicts.
   */
  public void recheckAll() {
    documents.recheckAll();
  }

  /** The text the service holds for {@code uri}, or null when it is not open. */
  public String text(String uri) {
    return documents.text(uri);
  }

  Analysis analysis(String uri) throws ServiceException {
    return documents.analysis(uri);
  }

  Map<String, PropertyStatus> statusesFor(Analysis a) {
    return documents.statusesFor(a);
  }

  /** The statuses of the version being verified (tests and the protocol's lens refresh). */
  public List<PropertyStatus> statuses(String uri) {
    return documents.statuses(uri);
  }

  /** Verifications queued or running (tests check that stale ones are cancelled). */
  public int verificationsInFlight() {
    return documents.verificationsInFlight();
  }

  /** Cached verdicts (tests check the bound). */
  public int cachedResults() {
    return documents.cachedResults();
  }

  /** Estimated bytes of the cached verdicts (tests check the bound). */
  public long cachedResultBytes() {
    return documents.cachedResultBytes();
  }

  @Override
  public void close() {
    radiusSearches.close();
    documents.close();
  }

  // ---- analysis for requests ------------------------------------------------------------------

  /** The line index of the document's newest text, or null when the document is not open. */
  public LineIndex lines(String uri) {
    try {
      return analysis(uri).lines();
    } catch (ServiceException e) {
      return null;
    }
  }

  // ---- features -------------------------------------------------------------------------------

  public HoverResult hover(String uri, int offset) throws ServiceException {
    Analysis a = analysis(uri);
    return Hovers.hover(this, a, offset);
  }

  /**
   * The bound table of a property (one layer, or every layer when {@code layer} is null).
   *
   * @throws ServiceException when the property is unknown or did not compile
   */
  public BoundsTable bounds(String uri, String property, Integer layer) throws ServiceException {
    return boundTables.table(analysis(uri), property, layer);
  }

  /** Bounds by the property's content key; computed on the calling thread when not cached. */
  BoundsTable bounds(Analysis a, CompiledProperty p) {
    return boundTables.of(a, p);
  }

  public List<Navigation.Location> definition(String uri, int offset) throws ServiceException {
    return Navigation.definition(analysis(uri), offset);
  }

  public List<Navigation.Location> references(String uri, int offset, boolean withDeclaration)
      throws ServiceException {
    return Navigation.references(analysis(uri), offset, withDeclaration);
  }

  public List<Navigation.DocumentSymbol> symbols(String uri) throws ServiceException {
    return Navigation.symbols(analysis(uri));
  }

  public Navigation.Rename rename(String uri, int offset, String newName)
      throws ServiceException {
    return Navigation.rename(analysis(uri), offset, newName);
  }

  public SourceRange prepareRename(String uri, int offset) throws ServiceException {
    return Navigation.prepareRename(analysis(uri), offset);
  }

  public List<Completions.Item> completion(String uri, int offset) throws ServiceException {
    return Completions.complete(analysis(uri), offset);
  }

  public List<SemanticTokens.Token> semanticTokens(String uri) throws ServiceException {
    return SemanticTokens.tokens(analysis(uri));
  }

  public List<CodeLenses.Lens> codeLenses(String uri) throws ServiceException {
    Analysis a = analysis(uri);
    return CodeLenses.lenses(a, statusesFor(a));
  }

  /** What to draw: two ReLUs of a layer, or the mean bound width per layer. */
  public sealed interface PlotRequest {
    /**
     * Neurons {@code i} and {@code j} (0-based) of hidden ReLU layer {@code layer} (1-based),
     * the convention of {@code robustspec plot --layer L --neurons I,J}.
     */
    record Neurons(int layer, int i, int j) implements PlotRequest {}

    record Widths() implements PlotRequest {}
  }

  /**
   * The SVG of a plot of a property ({@code robustspec plot}'s pictures), computed on the calling
   * thread within {@link #BOUNDS_LIMIT} and a half.
   *
   * @throws ServiceException when the property does not compile or the plot cannot be drawn
   */
  public String plot(String uri, String property, PlotRequest request) throws ServiceException {
    Analysis a = analysis(uri);
    if (a.property(property) == null) {
      throw new ServiceException("no compiled property named '" + property + "' in " + uri);
    }
    Budget budget = Budget.of(BOUNDS_LIMIT.multipliedBy(3));
    try {
      if (request instanceof PlotRequest.Neurons n) {
        return plots.neuronPairSvg(a.compilation(), property, n.layer(), n.i(), n.j(), budget);
      }
      return plots.widthsSvg(a.compilation(), property, budget);
    } catch (PlotException e) {
      throw new ServiceException(e.getMessage());
    } catch (BudgetExhaustedException e) {
      throw new ServiceException("the plot took longer than "
          + BOUNDS_LIMIT.multipliedBy(3).toSeconds() + " s; try robustspec plot with --timeout");
    }
  }

  /**
   * The per-item table of a property over a data set (its items' verdicts so far).
   *
   * @throws ServiceException when {@code property} is not a data-set property of the document
   */
  public ItemTable itemTable(String uri, String property) throws ServiceException {
    Analysis a = analysis(uri);
    ItemTable t = ItemTable.of(a, property, statusesFor(a).values());
    if (t.rows().isEmpty()) {
      throw new ServiceException("'" + property + "' is not a compiled property over a data set"
          + " in " + uri);
    }
    return t;
  }

  /**
   * Where the radius search of a quick fix stands: done (with a fix, or null: none), or
   * running.
   */
  public record RadiusFixState(boolean done, RadiusFixes.Fix fix) {}

  /**
   * The quick fix of a falsified or unknown local-robustness property (a declared name, or a
   * data-set property), without waiting: eps set to the largest radius certified, found by a
   * radius search on the service's one search thread (within the property time limit, capped
   * at 30 s), started by the first call for this version of the text; null when the property's
   * ball has no eps literal or is not falsified or unknown.
   */
  public RadiusFixState radiusFixState(String uri, String property) throws ServiceException {
    return radiusSearches.state(uri, property);
  }

  /** {@link #radiusFixState}, waiting for the search: the fix, or null when there is none. */
  public RadiusFixes.Fix radiusFix(String uri, String property) throws ServiceException {
    return radiusSearches.fix(uri, property);
  }

  /** Forgets the cached verdicts of the document's properties and verifies them again. */
  public void verifyFile(String uri) throws ServiceException {
    documents.rerun(uri, null);
  }

  /** Forgets one property's cached verdict and verifies it again. */
  public void verifyProperty(String uri, String property) throws ServiceException {
    documents.rerun(uri, property);
  }

  /** The counterexample of a falsified property, or null when it has none (yet). */
  public Verdicts.Counterexample counterexample(String uri, String property)
      throws ServiceException {
    Analysis a = analysis(uri);
    if (a.property(property) == null) {
      throw new ServiceException("no compiled property named '" + property + "' in " + uri);
    }
    PropertyStatus s = statusesFor(a).get(property);
    return s == null ? null : Verdicts.counterexample(s);
  }
}
