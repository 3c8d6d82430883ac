package dev.robustspec.lsp.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.robustspec.lsp.service.CodeLenses;
import dev.robustspec.lsp.service.EditorDiagnostic;
import dev.robustspec.lsp.service.LanguageService;
import dev.robustspec.lsp.service.PropertyProgress;
import dev.robustspec.lsp.service.PropertyStatus;
import dev.robustspec.lsp.service.SemanticTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RenameOptions;
import org.eclipse.lsp4j.SemanticTokensLegend;
import org.eclipse.lsp4j.SemanticTokensWithRegistrationOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.jsonrpc.CompletableFutures;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The LSP face of {@link LanguageService}: each handler converts its parameters, calls the
 * service on a request thread (never the message reader, never waiting for a verification) and
 * converts the result. Service errors become LSP errors with the service's message.
 *
 * <p>The handlers themselves: {@link TextDocumentHandlers} ({@code textDocument/*}) and
 * {@link WorkspaceHandlers} ({@code workspace/*}, the commands); this class holds the
 * lifecycle, the request threads and the listener that turns the service's publications into
 * notifications.
 */
public final class RobustSpecLanguageServer implements LanguageServer, LanguageClientAware {
  private static final Logger LOG = Logger.getLogger(RobustSpecLanguageServer.class.getName());
  static final List<String> COMMANDS = List.of(CodeLenses.VERIFY_FILE,
      CodeLenses.VERIFY_PROPERTY, CodeLenses.COPY_COUNTEREXAMPLE, CodeLenses.PLOT,
      CodeLenses.ITEM_TABLE, CodeLenses.SET_RADIUS);

  private final LanguageService service;
  private final IntConsumer onExit;
  private final ExecutorService requests;
  private volatile RobustSpecClient client;
  private volatile boolean shutdown;
  private volatile boolean clientRefreshesLenses;
  private volatile boolean clientShowsProgress;
  private final WorkDoneProgress progress = new WorkDoneProgress();
  private final TextDocumentHandlers documents;
  private final WorkspaceHandlers workspace;

  /**
   * @param onExit called with the exit code on {@code exit} (0 after {@code shutdown}, else 1)
   */
  public RobustSpecLanguageServer(LanguageService.Options options, IntConsumer onExit) {
    this.onExit = onExit;
    this.service = new LanguageService(options, new LanguageService.Listener() {
      @Override
      public void diagnostics(String uri, int version, List<EditorDiagnostic> diagnostics) {
        RobustSpecClient c = client;
        if (c != null) {
          List<org.eclipse.lsp4j.Diagnostic> out = new ArrayList<>();
          for (EditorDiagnostic d : diagnostics) {
            out.add(ToLsp.diagnostic(uri, d));
          }
          c.publishDiagnostics(new PublishDiagnosticsParams(uri, out, version));
        }
      }

      @Override
      public void verdicts(String uri, int version, List<PropertyStatus> properties) {
        RobustSpecClient c = client;
        if (c != null) {
          c.verdicts(new ExplicitNulls(ToLsp.verdicts(uri, version, properties)));
          if (clientRefreshesLenses) {
            c.refreshCodeLenses();
          }
        }
      }

      @Override
      public void progress(String uri, PropertyProgress p) {
        RobustSpecClient c = client;
        if (c != null && clientShowsProgress) {
          progress.report(c, uri, p);
        }
      }
    });
    AtomicInteger n = new AtomicInteger();
    requests = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(null, r, "robustspec-request-" + n.incrementAndGet(), 16L << 20);
      t.setDaemon(true);
      return t;
    });
    documents = new TextDocumentHandlers(this, service);
    workspace = new WorkspaceHandlers(this, service);
  }

  @Override
  public void connect(org.eclipse.lsp4j.services.LanguageClient languageClient) {
    this.client = (RobustSpecClient) languageClient;
  }

  /** The connected client, or null before {@code connect} (the handlers' notifications). */
  RobustSpecClient client() {
    return client;
  }

  /** The service behind the protocol (in-process tests). */
  public LanguageService service() {
    return service;
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    var caps = params.getCapabilities();
    clientRefreshesLenses = caps != null && caps.getWorkspace() != null
        && caps.getWorkspace().getCodeLens() != null
        && Boolean.TRUE.equals(caps.getWorkspace().getCodeLens().getRefreshSupport());
    clientShowsProgress = caps != null && caps.getWindow() != null
        && Boolean.TRUE.equals(caps.getWindow().getWorkDoneProgress());
    ServerCapabilities c = new ServerCapabilities();
    c.setTextDocumentSync(TextDocumentSyncKind.Incremental);
    c.setHoverProvider(true);
    c.setDefinitionProvider(true);
    c.setReferencesProvider(true);
    c.setDocumentSymbolProvider(true);
    c.setRenameProvider(new RenameOptions(true));
    c.setCompletionProvider(new CompletionOptions(false, List.of("(")));
    c.setCodeLensProvider(new CodeLensOptions(false));
    c.setCodeActionProvider(true);
    c.setExecuteCommandProvider(new ExecuteCommandOptions(COMMANDS));
    c.setSemanticTokensProvider(new SemanticTokensWithRegistrationOptions(
        new SemanticTokensLegend(SemanticTokens.TYPES, SemanticTokens.MODIFIERS), true));
    return CompletableFuture.completedFuture(
        new InitializeResult(c, new ServerInfo("robustspec", "0.1.0")));
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdown = true;
    service.close();
    requests.shutdown();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() {
    service.close();
    requests.shutdown();
    onExit.accept(shutdown ? 0 : 1);
  }

  @Override
  public TextDocumentService getTextDocumentService() {
    return documents;
  }

  @Override
  public WorkspaceService getWorkspaceService() {
    return workspace;
  }

  /** {@code robustspec/bounds}: the bound table of a property, as JSON. */
  @JsonRequest("robustspec/bounds")
  public CompletableFuture<Object> bounds(JsonObject params) {
    return async(() -> {
      String uri = string(params, "textDocument", "uri");
      String property = params.has("property") && params.get("property").isJsonPrimitive()
          ? params.get("property").getAsString() : null;
      if (uri == null || property == null) {
        throw invalid("robustspec/bounds needs textDocument.uri and property");
      }
      JsonElement layer = params.get("layer");
      Integer index;
      try {
        index = layer == null || layer.isJsonNull() ? null : layer.getAsInt();
      } catch (RuntimeException e) {
        throw invalid("layer must be a layer index (0 for the first) or null, not " + layer);
      }
      if (index != null && index < 0) {
        throw invalid("layer must be a layer index (0 for the first) or null, not " + index);
      }
      return new ExplicitNulls(ToLsp.bounds(service.bounds(uri, property, index)));
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Work that may fail with a user-facing message. */
  interface Work<T> {
    T run() throws Exception;
  }

  /** Runs {@code work} on a request thread; service errors become LSP errors. */
  <T> CompletableFuture<T> async(Work<T> work) {
    if (shutdown) {
      return CompletableFuture.failedFuture(afterShutdown());
    }
    try {
      return submit(work);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(afterShutdown()); // shut down meanwhile
    }
  }

  /** The protocol's answer to a request after {@code shutdown}: InvalidRequest (-32600). */
  static ResponseErrorException afterShutdown() {
    return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidRequest,
        "the server is shut down: only exit is accepted after shutdown", null));
  }

  private <T> CompletableFuture<T> submit(Work<T> work) {
    return CompletableFutures.computeAsync(requests, cancel -> {
      cancel.checkCanceled();
      try {
        return work.run();
      } catch (LanguageService.ServiceException e) {
        throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams,
            e.getMessage(), null));
      } catch (ResponseErrorException e) {
        throw e;
      } catch (Exception | StackOverflowError e) {
        LOG.log(Level.WARNING, "request failed", e);
        throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InternalError,
            "internal error (please report it): " + e, null));
      }
    });
  }

  static ResponseErrorException invalid(String message) {
    return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message,
        null));
  }

  private static String string(JsonObject o, String... path) {
    JsonElement e = o;
    for (String p : path) {
      if (e == null || !e.isJsonObject()) {
        return null;
      }
      e = e.getAsJsonObject().get(p);
    }
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
