package dev.robustspec.lsp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.robustspec.lsp.service.LanguageService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server through LSP4J's launcher on in-memory pipes, as an editor drives it: initialize,
 * open, edit, hover, the custom request and notification, commands, request cancellation,
 * shutdown and exit. Waits are guards against a hang, not timings.
 */
class ProtocolTest {
  static final Path ROOT = Path.of(System.getProperty("robustspec.root", ".")).toAbsolutePath()
      .normalize();
  static final long PATIENCE_SECONDS = 240;

  /** The server as a client sees it: LSP plus the custom request. */
  interface Server extends LanguageServer {
    @JsonRequest("robustspec/bounds")
    CompletableFuture<JsonObject> bounds(JsonObject params);
  }

  /** Records what the server sends. */
  static final class Client implements LanguageClient {
    final Map<String, PublishDiagnosticsParams> diagnostics = new ConcurrentHashMap<>();
    final List<JsonObject> verdicts = new CopyOnWriteArrayList<>();

    @JsonNotification("robustspec/verdicts")
    public void verdicts(JsonObject params) {
      verdicts.add(params);
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams p) {
      diagnostics.put(p.getUri(), p);
    }

    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void showMessage(MessageParams messageParams) {}

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {}

    final List<org.eclipse.lsp4j.ApplyWorkspaceEditParams> edits = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<org.eclipse.lsp4j.ApplyWorkspaceEditResponse> applyEdit(
        org.eclipse.lsp4j.ApplyWorkspaceEditParams params) {
      edits.add(params);
      return CompletableFuture.completedFuture(
          new org.eclipse.lsp4j.ApplyWorkspaceEditResponse(true));
    }
  }

  Client client;
  Server server;
  CompletableFuture<Integer> exitCode;
  ServerLauncher.Running running;

  @BeforeEach
  void connect() throws IOException {
    Pipe toServer = Pipe.open();
    Pipe toClient = Pipe.open();
    exitCode = new CompletableFuture<>();
    running = ServerLauncher.start(Channels.newInputStream(toServer.source()),
        Channels.newOutputStream(toClient.sink()), new LanguageService.Options(
            Duration.ofSeconds(60), 2, Duration.ofMillis(100)), exitCode::complete);
    client = new Client();
    InputStream in = Channels.newInputStream(toClient.source());
    OutputStream out = Channels.newOutputStream(toServer.sink());
    Launcher<Server> launcher = new Launcher.Builder<Server>().setLocalService(client)
        .setRemoteInterface(Server.class).setInput(in).setOutput(out).create();
    launcher.startListening();
    server = launcher.getRemoteProxy();
  }

  @AfterEach
  void close() {
    running.server().service().close();
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }

  InitializeResult initialize() throws Exception {
    InitializeParams p = new InitializeParams();
    p.setCapabilities(new ClientCapabilities());
    p.setProcessId((int) ProcessHandle.current().pid());
    InitializeResult r = get(server.initialize(p));
    server.initialized(new InitializedParams());
    return r;
  }

  String open(String example) throws IOException {
    Path file = ROOT.resolve("examples").resolve(example);
    String uri = file.toUri().toString();
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(
        uri, "rspec", 1, Files.readString(file, StandardCharsets.UTF_8))));
    return uri;
  }

  void change(String uri, int version, String text) {
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, version),
        List.of(new TextDocumentContentChangeEvent(text))));
  }

  /** Waits for a verdicts notification of {@code uri} at {@code version} meeting the test. */
  JsonObject awaitVerdicts(String uri, int version, Predicate<JsonArray> test) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (System.nanoTime() < end) {
      for (JsonObject v : client.verdicts) {
        if (v.get("uri").getAsString().equals(uri) && v.get("version").getAsInt() == version
            && test.test(v.getAsJsonArray("properties"))) {
          return v;
        }
      }
      sleep(20);
    }
    return fail("no verdicts for " + uri + " version " + version + "; got " + client.verdicts);
  }

  static boolean allFinal(JsonArray properties) {
    for (JsonElement e : properties) {
      String s = e.getAsJsonObject().get("status").getAsString();
      if (s.equals("pending") || s.equals("running")) {
        return false;
      }
    }
    return properties.size() > 0;
  }

  static JsonObject property(JsonObject verdicts, String name) {
    for (JsonElement e : verdicts.getAsJsonArray("properties")) {
      if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
        return e.getAsJsonObject();
      }
    }
    return fail("no property " + name + " in " + verdicts);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String hover(String uri, String text, String marker, int shift) throws Exception {
    int at = text.indexOf(marker) + shift;
    String before = text.substring(0, at);
    int line = (int) before.chars().filter(c -> c == '\n').count();
    int column = at - (before.lastIndexOf('\n') + 1);
    Hover h = get(server.getTextDocumentService().hover(new HoverParams(
        new TextDocumentIdentifier(uri), new Position(line, column))));
    return h == null ? null : h.getContents().getRight().getValue();
  }

  @Test
  void aSessionFromInitializeToExit() throws Exception {
    InitializeResult init = initialize();
    assertEquals(TextDocumentSyncKind.Incremental,
        init.getCapabilities().getTextDocumentSync().getLeft());
    assertEquals(List.of("robustspec.verifyFile", "robustspec.verifyProperty",
        "robustspec.copyCounterexample", "robustspec.plot", "robustspec.itemTable",
        "robustspec.setRadius"),
        init.getCapabilities().getExecuteCommandProvider().getCommands());
    assertTrue(init.getCapabilities().getHoverProvider().getLeft());

    String uri = open("tutorial.rspec");
    String text = Files.readString(ROOT.resolve("examples/tutorial.rspec"));
    JsonObject verdicts = awaitVerdicts(uri, 1, ProtocolTest::allFinal);
    assertEquals("certified", property(verdicts, "below_3").get("status").getAsString());
    assertEquals("deeppoly", property(verdicts, "below_3").get("pass").getAsString());
    assertEquals(0.5, property(verdicts, "below_3").get("margin").getAsDouble(), 1e-9);
    JsonObject falsified = property(verdicts, "below_1_2");
    assertEquals("falsified", falsified.get("status").getAsString());
    assertEquals(JsonNull.INSTANCE, falsified.get("margin"));
    // the range is the property's name, 0-based
    JsonObject start = falsified.getAsJsonObject("range").getAsJsonObject("start");
    String line = text.lines().toList().get(start.get("line").getAsInt());
    assertEquals("below_1_2", line.substring(start.get("character").getAsInt(),
        start.get("character").getAsInt() + "below_1_2".length()));

    // the diagnostics of version 1: the verdicts, the counterexample in related information
    PublishDiagnosticsParams d = client.diagnostics.get(uri);
    assertEquals(1, d.getVersion());
    Diagnostic error = d.getDiagnostics().stream()
        .filter(x -> x.getSeverity() == DiagnosticSeverity.Error).findFirst().orElseThrow();
    assertTrue(error.getMessage().startsWith("falsified by attack"), error.getMessage());
    assertEquals(2, error.getRelatedInformation().size());
    assertEquals(2, d.getDiagnostics().stream()
        .filter(x -> x.getSeverity() == DiagnosticSeverity.Information).count());

    // the falsified verdict offers a quick fix that copies its counterexample
    var actions = get(server.getTextDocumentService().codeAction(new CodeActionParams(
        new TextDocumentIdentifier(uri), error.getRange(), new CodeActionContext(List.of(error)))));
    assertEquals(1, actions.size());
    assertEquals("robustspec.copyCounterexample", actions.get(0).getRight().getCommand()
        .getCommand());
    assertEquals(List.of(uri, "below_1_2"), actions.get(0).getRight().getCommand().getArguments()
        .stream().map(a -> a instanceof JsonElement e ? e.getAsString() : a.toString()).toList());

    // hovers: bounds of an output, and of an inline layer
    String output = hover(uri, text, "tiny(x)[0] <= 3", 8);
    assertTrue(output.contains("deeppoly: [-0.50000, 2.5000]"), output);
    String layer = hover(uri, text, "dense [[1, -1]", 2);
    assertTrue(layer.contains("interval, neurons 0–1: [-2.0000, 2.0000], [-2.0000, 2.0000]"),
        layer);
    assertNull(hover(uri, text, "// A five", 3), "no hover in a comment");

    // the custom request: every layer, one layer, and errors
    JsonObject all = get(server.bounds(boundsParams(uri, "below_3", null)));
    assertEquals("tiny", all.get("network").getAsString());
    assertEquals(3, all.getAsJsonArray("layers").size(), "dense, relu, dense");
    assertEquals(List.of("dense", "relu", "dense"), all.getAsJsonArray("layers").asList().stream()
        .map(l -> l.getAsJsonObject().get("kind").getAsString()).toList());
    JsonObject one = get(server.bounds(boundsParams(uri, "below_3", 0)));
    JsonObject dense = one.getAsJsonArray("layers").get(0).getAsJsonObject();
    assertEquals("dense", dense.get("kind").getAsString());
    assertEquals(2, dense.get("size").getAsInt());
    JsonObject interval = dense.getAsJsonObject("bounds").getAsJsonObject("interval");
    assertEquals(-2, interval.get("min").getAsDouble(), 1e-12);
    assertEquals(2, interval.get("unstable").getAsInt());
    assertEquals(2, interval.getAsJsonArray("neurons").size());
    ExecutionException unknown = assertThrows(ExecutionException.class,
        () -> get(server.bounds(boundsParams(uri, "nonesuch", null))));
    assertInstanceOf(ResponseErrorException.class, unknown.getCause());
    assertTrue(unknown.getCause().getMessage().contains("no property named 'nonesuch'"));

    // commands
    JsonObject cex = new com.google.gson.Gson().toJsonTree(get(server.getWorkspaceService()
        .executeCommand(new ExecuteCommandParams("robustspec.copyCounterexample",
            List.of(uri, "below_1_2"))))).getAsJsonObject();
    JsonArray in = cex.getAsJsonArray("input");
    double x0 = in.get(0).getAsDouble();
    double x1 = in.get(1).getAsDouble();
    double y = Math.max(0, x0 - x1) + Math.max(0, x0 + x1) - 0.5;
    assertTrue(y > 1.2, "a real counterexample: " + y);
    assertEquals(y, cex.getAsJsonArray("output").get(0).getAsDouble(), 1e-12);
    assertNull(get(server.getWorkspaceService().executeCommand(
        new ExecuteCommandParams("robustspec.copyCounterexample", List.of(uri, "below_3")))));

    // an edit: below_1_2 now asks for <= 1.6 (true: the maximum is 1.5); its attack-only plan
    // cannot prove it, so it becomes unknown; the other two are reused from the cache
    change(uri, 2, text.replace("tiny(x)[0] <= 1.2", "tiny(x)[0] <= 1.6"));
    JsonObject v2 = awaitVerdicts(uri, 2, ProtocolTest::allFinal);
    assertEquals("unknown", property(v2, "below_1_2").get("status").getAsString());
    assertEquals("certified", property(v2, "class_0").get("status").getAsString());

    // an incremental edit: 1.6 -> 1.75 by range, applied to the server's copy of the text
    String v2text = text.replace("tiny(x)[0] <= 1.2", "tiny(x)[0] <= 1.6");
    int at16 = v2text.indexOf("<= 1.6") + 3;
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, 3), List.of(new TextDocumentContentChangeEvent(
            new org.eclipse.lsp4j.Range(at(v2text, at16), at(v2text, at16 + 3)), "1.75"))));
    awaitVerdicts(uri, 3, ProtocolTest::allFinal);
    assertEquals(v2text.replace("<= 1.6", "<= 1.75"), running.server().service().text(uri));

    // a flood of edits, then a hover: answered, and the last version wins
    for (int v = 4; v < 203; v++) {
      change(uri, v, text + "\n// edit " + v);
    }
    assertTrue(hover(uri, text, "tiny(x)[0] <= 3", 8).contains("deeppoly"));
    awaitVerdicts(uri, 202, ProtocolTest::allFinal);
    assertEquals(202, client.diagnostics.get(uri).getVersion());

    // shutdown and exit
    assertNull(get(server.shutdown()));
    server.exit();
    assertEquals(0, exitCode.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
  }

  static Position at(String text, int offset) {
    String before = text.substring(0, offset);
    return new Position((int) before.chars().filter(c -> c == '\n').count(),
        offset - (before.lastIndexOf('\n') + 1));
  }

  @Test
  void navigationLensesAndCommandsThroughTheProtocol() throws Exception {
    initialize();
    String uri = open("tutorial.rspec");
    String text = Files.readString(ROOT.resolve("examples/tutorial.rspec"));
    awaitVerdicts(uri, 1, ProtocolTest::allFinal);
    TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);
    var docs = server.getTextDocumentService();

    // definition of a use of `square` is its declaration, as an LSP range
    var def = get(docs.definition(new DefinitionParams(doc, at(text, text.indexOf("in square")
        + 4)))).getLeft();
    assertEquals(1, def.size());
    assertEquals(at(text, text.indexOf("region square") + 7), def.get(0).getRange().getStart());
    var refs = get(docs.references(new ReferenceParams(doc, at(text, text.indexOf("tiny")),
        new ReferenceContext(true))));
    assertEquals(3, refs.size());
    var edit = get(docs.rename(new RenameParams(doc, at(text, text.indexOf("tiny")), "small")));
    assertEquals(3, edit.getChanges().get(uri).size());
    var symbols = get(docs.documentSymbol(new DocumentSymbolParams(doc)));
    assertEquals(8, symbols.size());
    var completion = get(docs.completion(new CompletionParams(doc, at(text,
        text.indexOf("using interval") + 6)))).getLeft();
    assertTrue(completion.stream().anyMatch(c -> c.getLabel().equals("bab")));
    var tokens = get(docs.semanticTokensFull(new SemanticTokensParams(doc)));
    assertEquals(0, tokens.getData().size() % 5);
    assertTrue(tokens.getData().size() >= 5 * 15, "names and passes: " + tokens.getData());

    // a lens per property (two for the falsified one), with runnable commands
    var lenses = get(docs.codeLens(new CodeLensParams(doc)));
    assertEquals(7, lenses.size(), "verdict and plot per property, copy for the falsified one");
    assertTrue(lenses.stream().anyMatch(l -> l.getCommand().getTitle()
        .startsWith("✓ certified by deeppoly")), lenses.toString());
    var rerun = lenses.stream().filter(l -> l.getCommand().getTitle().contains("falsified"))
        .findFirst().orElseThrow().getCommand();
    int before = client.verdicts.size();
    assertNull(get(server.getWorkspaceService().executeCommand(new ExecuteCommandParams(
        rerun.getCommand(), rerun.getArguments()))));
    // re-running publishes the property again (pending or running, then final)
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (client.verdicts.size() <= before || !allFinal(client.verdicts
        .get(client.verdicts.size() - 1).getAsJsonArray("properties"))) {
      assertTrue(System.nanoTime() < end, "no verdicts after the re-run");
      sleep(20);
    }
    // plots: the widths lens's own command, and a neuron pair
    var plotLens = lenses.stream().filter(l -> l.getCommand().getCommand()
        .equals("robustspec.plot")).findFirst().orElseThrow().getCommand();
    String widths = plotSvg(get(server.getWorkspaceService().executeCommand(
        new ExecuteCommandParams(plotLens.getCommand(), plotLens.getArguments()))));
    assertTrue(widths.startsWith("<svg") || widths.startsWith("<?xml"), widths);
    JsonObject pair = new JsonObject();
    pair.addProperty("kind", "neurons");
    pair.addProperty("layer", 1);
    JsonArray ij = new JsonArray();
    ij.add(0);
    ij.add(1);
    pair.add("neurons", ij);
    String neurons = plotSvg(get(server.getWorkspaceService().executeCommand(
        new ExecuteCommandParams("robustspec.plot", List.of(uri, "below_3", pair)))));
    assertTrue(neurons.contains("</svg>"), neurons);
    pair.addProperty("layer", 2);
    ExecutionException noLayer = assertThrows(ExecutionException.class, () -> get(
        server.getWorkspaceService().executeCommand(new ExecuteCommandParams("robustspec.plot",
            List.of(uri, "below_3", pair)))));
    assertTrue(noLayer.getCause().getMessage().contains("layer 2 does not exist"),
        noLayer.getCause().getMessage());
    ExecutionException unknown = assertThrows(ExecutionException.class, () -> get(
        server.getWorkspaceService().executeCommand(new ExecuteCommandParams(
            "robustspec.nonesuch", List.of()))));
    assertTrue(unknown.getCause().getMessage().contains("unknown command"));
  }

  @Test
  void aCancelledRequestLeavesTheServerServing() throws Exception {
    initialize();
    String uri = open("mnist.rspec");
    String text = Files.readString(ROOT.resolve("examples/mnist.rspec"));
    // many hovers at once, most cancelled at once (LSP4J sends $/cancelRequest)
    for (int i = 0; i < 20; i++) {
      int at = text.indexOf("mnist(x)) == 4");
      CompletableFuture<Hover> h = server.getTextDocumentService().hover(new HoverParams(
          new TextDocumentIdentifier(uri), new Position(20, 58 + i % 3)));
      if (i % 4 != 0) {
        h.cancel(true);
        assertThrows(CancellationException.class, h::join);
      }
      assertTrue(at > 0);
    }
    String h = hover(uri, text, "network mnist", 9);
    assertTrue(h.contains("784 inputs → 10 outputs"), h);
    server.getTextDocumentService().didClose(new DidCloseTextDocumentParams(
        new TextDocumentIdentifier(uri)));
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> get(server.bounds(boundsParams(uri, "robust0_small", null))));
    assertTrue(closed.getCause().getMessage().contains("not open"));
    assertNull(get(server.shutdown()));
    server.exit();
    assertEquals(0, exitCode.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void theRadiusQuickFixIsOfferedWithoutWaitingAndItsEditCertifies() throws Exception {
    initialize();
    String text = """
        network classifier {
          input x[2]
          dense [[2, 1], [-1, 1], [1, -2]] + [0, 0.5, 0]
          relu
          dense [[1, 0, 1], [0, 1, 0]] + [0, 0]
        }
        param eps = 1.0
        region around = linf(center = [1, 0.25], eps = eps) clip [0, 2]
        property class_0: forall x in around: argmax(classifier(x)) == 0
        """;
    String uri = ROOT.resolve("examples").resolve("radius_protocol.rspec").toUri().toString();
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(
        uri, "rspec", 1, text)));
    awaitVerdicts(uri, 1, ProtocolTest::allFinal);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    Diagnostic error = null;
    while (error == null && System.nanoTime() < end) {
      PublishDiagnosticsParams d = client.diagnostics.get(uri);
      error = d == null ? null : d.getDiagnostics().stream()
          .filter(x -> x.getSeverity() == DiagnosticSeverity.Error).findFirst().orElse(null);
      sleep(20);
    }
    assertNotNull(error, "the falsified verdict's diagnostic");
    CodeActionParams ask = new CodeActionParams(new TextDocumentIdentifier(uri),
        error.getRange(), new CodeActionContext(List.of(error)));
    // while the search runs: an action that waits for it (robustspec.setRadius), no edit yet;
    // once done: the edit itself
    org.eclipse.lsp4j.CodeAction fix = null;
    while (fix == null && System.nanoTime() < end) {
      for (var a : get(server.getTextDocumentService().codeAction(ask))) {
        org.eclipse.lsp4j.CodeAction action = a.getRight();
        if (action.getEdit() != null) {
          fix = action;
        } else if (!action.getTitle().startsWith("Copy the counterexample")) {
          assertEquals("robustspec.setRadius", action.getCommand().getCommand(),
              action.getTitle());
        }
      }
      sleep(50);
    }
    assertNotNull(fix, "the radius fix once its search ended");
    assertTrue(fix.getTitle().startsWith("Set eps to "), fix.getTitle());
    assertTrue(fix.getIsPreferred());
    var edits = fix.getEdit().getChanges().get(uri);
    assertEquals(1, edits.size());
    org.eclipse.lsp4j.TextEdit edit = edits.get(0);
    assertEquals(new Position(6, 12), edit.getRange().getStart(), "the literal 1.0 of eps");
    assertEquals(new Position(6, 15), edit.getRange().getEnd());
    // the command applies the same edit through workspace/applyEdit
    get(server.getWorkspaceService().executeCommand(new org.eclipse.lsp4j.ExecuteCommandParams(
        "robustspec.setRadius", List.of(uri, "class_0"))));
    assertEquals(1, client.edits.size());
    assertEquals(edit, client.edits.get(0).getEdit().getChanges().get(uri).get(0));
    String fixed = text.replace("param eps = 1.0", "param eps = " + edit.getNewText());
    change(uri, 2, fixed);
    JsonObject after = awaitVerdicts(uri, 2, ProtocolTest::allFinal);
    assertEquals("certified", property(after, "class_0").get("status").getAsString());
  }

  @Test
  void exitWithoutShutdownIsExitCodeOne() throws Exception {
    initialize();
    server.exit();
    assertEquals(1, exitCode.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
    assertFalse(running.listening().isCancelled());
  }

  static String plotSvg(Object result) {
    return new com.google.gson.Gson().toJsonTree(result).getAsJsonObject().get("svg")
        .getAsString();
  }

  static JsonObject boundsParams(String uri, String property, Integer layer) {
    JsonObject p = new JsonObject();
    JsonObject doc = new JsonObject();
    doc.addProperty("uri", uri);
    p.add("textDocument", doc);
    p.addProperty("property", property);
    if (layer == null) {
      p.add("layer", JsonNull.INSTANCE);
    } else {
      p.addProperty("layer", layer);
    }
    return p;
  }
}
