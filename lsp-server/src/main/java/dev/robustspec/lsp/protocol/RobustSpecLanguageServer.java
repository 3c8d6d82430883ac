package dev.robustspec.lsp.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.robustspec.lsp.service.CodeLenses;
import dev.robustspec.lsp.service.ItemTable;
import dev.robustspec.lsp.service.EditorDiagnostic;
import dev.robustspec.lsp.service.LanguageService;
import dev.robustspec.lsp.service.LineIndex;
import dev.robustspec.lsp.service.PropertyProgress;
import dev.robustspec.lsp.service.PropertyStatus;
import dev.robustspec.lsp.service.RadiusFixes;
import dev.robustspec.lsp.service.SemanticTokens;
import dev.robustspec.lsp.service.Verdicts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameDefaultBehavior;
import org.eclipse.lsp4j.PrepareRenameParams;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameOptions;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.SemanticTokensLegend;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SemanticTokensWithRegistrationOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.CompletableFutures;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Either3;
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
  private final TextDocuments documents = new TextDocuments();
  private final Workspace workspace = new Workspace();

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
  }

  @Override
  public void connect(org.eclipse.lsp4j.services.LanguageClient languageClient) {
    this.client = (RobustSpecClient) languageClient;
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

  private int offset(String uri, Position p) throws LanguageService.ServiceException {
    if (p == null) {
      throw invalid("the request needs a position {line, character}");
    }
    LineIndex lines = service.lines(uri);
    if (lines == null) {
      throw new LanguageService.ServiceException("the document " + uri + " is not open");
    }
    return lines.offset(p.getLine(), p.getCharacter());
  }

  private static String argument(List<Object> args, int i, String what) {
    if (args == null || args.size() <= i || args.get(i) == null) {
      throw invalid("missing argument " + (i + 1) + " (" + what + ")");
    }
    Object a = args.get(i);
    if (a instanceof JsonPrimitive p) {
      return p.getAsString();
    }
    if (a instanceof String s) {
      return s;
    }
    throw invalid("argument " + (i + 1) + " (" + what + ") must be a string");
  }

  /**
   * The third argument of {@code robustspec.plot}: {@code {"kind":"widths"}} or
   * {@code {"kind":"neurons","layer":L,"neurons":[i,j]}} (L counts ReLU layers from 1).
   */
  static LanguageService.PlotRequest plotRequest(List<Object> args) {
    Object raw = args == null || args.size() < 3 ? null : args.get(2);
    JsonElement spec = raw instanceof JsonElement e ? e
        : new com.google.gson.Gson().toJsonTree(raw);
    String usage = "the third argument must be {\"kind\":\"widths\"} or {\"kind\":\"neurons\","
        + "\"layer\":L,\"neurons\":[i,j]} (L counts ReLU layers from 1, neurons from 0)";
    if (spec == null || !spec.isJsonObject() || !spec.getAsJsonObject().has("kind")) {
      throw invalid(usage);
    }
    JsonObject o = spec.getAsJsonObject();
    try {
      switch (o.get("kind").getAsString()) {
        case "widths":
          return new LanguageService.PlotRequest.Widths();
        case "neurons": {
          var neurons = o.getAsJsonArray("neurons");
          if (neurons == null || neurons.size() != 2) {
            throw invalid(usage);
          }
          return new LanguageService.PlotRequest.Neurons(o.get("layer").getAsInt(),
              neurons.get(0).getAsInt(), neurons.get(1).getAsInt());
        }
        default:
          throw invalid(usage);
      }
    } catch (ResponseErrorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalid(usage);
    }
  }

  // ---- text documents -------------------------------------------------------------------------

  private final class TextDocuments implements TextDocumentService {
    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
      var d = params.getTextDocument();
      service.open(d.getUri(), d.getVersion(), d.getText());
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
      String uri = params.getTextDocument().getUri();
      String text = service.text(uri);
      for (var change : params.getContentChanges()) {
        text = FromLsp.apply(text, change);
      }
      if (text != null) {
        service.change(uri, params.getTextDocument().getVersion(), text);
      }
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
      String uri = params.getTextDocument().getUri();
      service.close(uri);
      RobustSpecClient c = client;
      if (c != null) {
        c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
      }
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
      // the text arrives with didChange; saving changes nothing the server sees
    }

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> ToLsp.hover(service.hover(uri, offset(uri, params.getPosition()))));
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>>
        definition(DefinitionParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> Either.forLeft(service.definition(uri, offset(uri,
          params.getPosition())).stream().map(ToLsp::location).toList()));
    }

    @Override
    public CompletableFuture<List<? extends Location>> references(ReferenceParams params) {
      String uri = params.getTextDocument().getUri();
      boolean withDecl = params.getContext() == null
          || params.getContext().isIncludeDeclaration();
      return async(() -> service.references(uri, offset(uri, params.getPosition()), withDecl)
          .stream().map(ToLsp::location).toList());
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
        DocumentSymbolParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> service.symbols(uri).stream()
          .map(s -> Either.<SymbolInformation, DocumentSymbol>forRight(ToLsp.symbol(s)))
          .toList());
    }

    @Override
    public CompletableFuture<Either3<Range, PrepareRenameResult, PrepareRenameDefaultBehavior>>
        prepareRename(PrepareRenameParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> {
        var r = service.prepareRename(uri, offset(uri, params.getPosition()));
        if (r == null) {
          throw invalid("only a declared name (network, region, property, let) can be renamed");
        }
        return Either3.forFirst(ToLsp.range(r));
      });
    }

    @Override
    public CompletableFuture<WorkspaceEdit> rename(RenameParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> {
        var r = service.rename(uri, offset(uri, params.getPosition()), params.getNewName());
        List<TextEdit> edits = r.edits().stream()
            .map(e -> new TextEdit(ToLsp.range(e), r.newName())).toList();
        return new WorkspaceEdit(java.util.Map.of(uri, edits));
      });
    }

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(
        CompletionParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> Either.forLeft(service.completion(uri, offset(uri,
          params.getPosition())).stream().map(ToLsp::completion).toList()));
    }

    /**
     * A falsified property's diagnostic offers to copy its counterexample; a falsified or
     * unknown local-robustness property's, to set eps to the largest certified radius (a radius
     * search run now, on a request thread).
     */
    @Override
    public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(
        CodeActionParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> CodeActions.of(service, uri, params.getContext().getDiagnostics()));
    }

    @Override
    public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> service.codeLenses(uri).stream().map(ToLsp::codeLens).toList());
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.SemanticTokens> semanticTokensFull(
        SemanticTokensParams params) {
      String uri = params.getTextDocument().getUri();
      return async(() -> ToLsp.semanticTokens(service.semanticTokens(uri)));
    }
  }

  // ---- workspace ------------------------------------------------------------------------------

  private final class Workspace implements WorkspaceService {
    @Override
    public CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
      List<Object> args = params.getArguments();
      return async(() -> {
        switch (params.getCommand()) {
          case CodeLenses.VERIFY_FILE:
            service.verifyFile(argument(args, 0, "document URI"));
            return null;
          case CodeLenses.VERIFY_PROPERTY:
            service.verifyProperty(argument(args, 0, "document URI"),
                argument(args, 1, "property name"));
            return null;
          case CodeLenses.COPY_COUNTEREXAMPLE: {
            Verdicts.Counterexample c = service.counterexample(argument(args, 0, "document URI"),
                argument(args, 1, "property name"));
            return c == null ? null : new ExplicitNulls(ToLsp.counterexample(c));
          }
          case CodeLenses.SET_RADIUS: {
            String u = argument(args, 0, "document URI");
            RadiusFixes.Fix fix = service.radiusFix(u, argument(args, 1, "property name"));
            if (fix == null) {
              throw invalid("no radius above 0 was certified for " + argument(args, 1,
                  "property name") + " in the search's time; try a longer --timeout");
            }
            RobustSpecClient c = client;
            if (c != null) {
              c.applyEdit(new org.eclipse.lsp4j.ApplyWorkspaceEditParams(ToLsp.radiusEdit(u, fix),
                  fix.title()));
            }
            return null;
          }
          case CodeLenses.ITEM_TABLE: {
            ItemTable t = service.itemTable(argument(args, 0, "document URI"),
                argument(args, 1, "property name"));
            String format = args.size() > 2 ? argument(args, 2, "format (markdown or csv)")
                : "markdown";
            JsonObject result = new JsonObject();
            result.addProperty("format", format.equals("csv") ? "csv" : "markdown");
            result.addProperty("text", format.equals("csv") ? t.csv() : t.markdown());
            return result;
          }
          case CodeLenses.PLOT: {
            String svg = service.plot(argument(args, 0, "document URI"),
                argument(args, 1, "property name"), plotRequest(args));
            JsonObject result = new JsonObject();
            result.addProperty("svg", svg);
            return result;
          }
          default:
            throw invalid("unknown command '" + params.getCommand() + "'; the commands: "
                + String.join(", ", COMMANDS));
        }
      });
    }

    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
      // no settings yet
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
      // a network or data file may have changed: recompile (files re-read only if changed)
      service.recheckAll();
    }
  }
}
