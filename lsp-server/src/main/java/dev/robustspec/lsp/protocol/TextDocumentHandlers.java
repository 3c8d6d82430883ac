package dev.robustspec.lsp.protocol;

import static dev.robustspec.lsp.protocol.RobustSpecLanguageServer.invalid;

import dev.robustspec.lsp.service.LanguageService;
import dev.robustspec.lsp.service.LineIndex;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameDefaultBehavior;
import org.eclipse.lsp4j.PrepareRenameParams;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Either3;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * The {@code textDocument/*} handlers of {@link RobustSpecLanguageServer}: the document
 * notifications go to the service at once (on the message reader: they only record the edit);
 * every request converts, runs on the server's request threads through
 * {@link RobustSpecLanguageServer#async} and converts back.
 */
final class TextDocumentHandlers implements TextDocumentService {
  private final RobustSpecLanguageServer server;
  private final LanguageService service;

  TextDocumentHandlers(RobustSpecLanguageServer server, LanguageService service) {
    this.server = server;
    this.service = service;
  }

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
    RobustSpecClient c = server.client();
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
    return server.async(
        () -> ToLsp.hover(service.hover(uri, offset(uri, params.getPosition()))));
  }

  @Override
  public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>>
      definition(DefinitionParams params) {
    String uri = params.getTextDocument().getUri();
    return server.async(() -> Either.forLeft(service.definition(uri, offset(uri,
        params.getPosition())).stream().map(ToLsp::location).toList()));
  }

  @Override
  public CompletableFuture<List<? extends Location>> references(ReferenceParams params) {
    String uri = params.getTextDocument().getUri();
    boolean withDecl = params.getContext() == null
        || params.getContext().isIncludeDeclaration();
    return server.async(() -> service.references(uri, offset(uri, params.getPosition()),
        withDecl).stream().map(ToLsp::location).toList());
  }

  @Override
  public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
      DocumentSymbolParams params) {
    String uri = params.getTextDocument().getUri();
    return server.async(() -> service.symbols(uri).stream()
        .map(s -> Either.<SymbolInformation, DocumentSymbol>forRight(ToLsp.symbol(s)))
        .toList());
  }

  @Override
  public CompletableFuture<Either3<Range, PrepareRenameResult, PrepareRenameDefaultBehavior>>
      prepareRename(PrepareRenameParams params) {
    String uri = params.getTextDocument().getUri();
    return server.async(() -> {
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
    return server.async(() -> {
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
    return server.async(() -> Either.forLeft(service.completion(uri, offset(uri,
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
    return server.async(
        () -> CodeActions.of(service, uri, params.getContext().getDiagnostics()));
  }

  @Override
  public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
    String uri = params.getTextDocument().getUri();
    return server.async(() -> service.codeLenses(uri).stream().map(ToLsp::codeLens).toList());
  }

  @Override
  public CompletableFuture<org.eclipse.lsp4j.SemanticTokens> semanticTokensFull(
      SemanticTokensParams params) {
    String uri = params.getTextDocument().getUri();
    return server.async(() -> ToLsp.semanticTokens(service.semanticTokens(uri)));
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
}
