package dev.robustspec.lsp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.robustspec.lsp.service.LanguageService;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WindowClientCapabilities;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressNotification;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Work-done progress of real verifications through LSP4J's launcher, as a scripted editor that
 * announces {@code window.workDoneProgress} sees it: a token is created before it is used, each
 * run's messages are begin, reports, end, in that order, pass names appear, and every property
 * of the file ends. A client without the capability gets no progress at all. Waits are guards
 * against a hang, not timings.
 */
class WorkDoneProgressTest {
  static final Path ROOT = ProtocolTest.ROOT;
  static final long PATIENCE_SECONDS = ProtocolTest.PATIENCE_SECONDS;

  /** Records what the server sends, in order. */
  static final class Client implements LanguageClient {
    final List<String> created = new CopyOnWriteArrayList<>();
    final Map<String, List<WorkDoneProgressNotification>> progress = new ConcurrentHashMap<>();
    final List<String> misuse = new CopyOnWriteArrayList<>();
    final List<JsonObject> verdicts = new CopyOnWriteArrayList<>();

    @JsonNotification("robustspec/verdicts")
    public void verdicts(JsonObject params) {
      verdicts.add(params);
    }

    @Override
    public CompletableFuture<Void> createProgress(WorkDoneProgressCreateParams params) {
      created.add(params.getToken().getLeft());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void notifyProgress(ProgressParams params) {
      String token = params.getToken().getLeft();
      if (!created.contains(token)) {
        misuse.add("progress on a token never created: " + token);
      }
      progress.computeIfAbsent(token, t -> new CopyOnWriteArrayList<>())
          .add(params.getValue().getLeft());
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams p) {}

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
  }

  ServerLauncher.Running running;

  @AfterEach
  void close() {
    if (running != null) {
      running.server().service().close();
    }
  }

  /** A server session with {@code client}, initialised with or without the capability. */
  LanguageServer connect(Client client, boolean workDoneProgress) throws Exception {
    Pipe toServer = Pipe.open();
    Pipe toClient = Pipe.open();
    running = ServerLauncher.start(Channels.newInputStream(toServer.source()),
        Channels.newOutputStream(toClient.sink()), new LanguageService.Options(
            Duration.ofSeconds(60), 2, Duration.ofMillis(100)), code -> { });
    Launcher<LanguageServer> launcher = new Launcher.Builder<LanguageServer>()
        .setLocalService(client).setRemoteInterface(LanguageServer.class)
        .setInput(Channels.newInputStream(toClient.source()))
        .setOutput(Channels.newOutputStream(toServer.sink())).create();
    launcher.startListening();
    LanguageServer server = launcher.getRemoteProxy();
    ClientCapabilities caps = new ClientCapabilities();
    if (workDoneProgress) {
      WindowClientCapabilities window = new WindowClientCapabilities();
      window.setWorkDoneProgress(true);
      caps.setWindow(window);
    }
    InitializeParams p = new InitializeParams();
    p.setCapabilities(caps);
    server.initialize(p).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    server.initialized(new InitializedParams());
    return server;
  }

  static void open(LanguageServer server, String example) throws IOException {
    Path file = ROOT.resolve("examples").resolve(example);
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(
        file.toUri().toString(), "rspec", 1, Files.readString(file, StandardCharsets.UTF_8))));
  }

  /** Waits until {@code count} runs have ended. */
  static void awaitEnds(Client client, int count) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (System.nanoTime() < end) {
      long ended = client.progress.values().stream()
          .filter(l -> !l.isEmpty() && l.get(l.size() - 1) instanceof WorkDoneProgressEnd)
          .count();
      if (ended >= count) {
        return;
      }
      ProtocolTest.sleep(20);
    }
    fail("not " + count + " ended runs: " + client.progress);
  }

  static String message(WorkDoneProgressNotification n) {
    if (n instanceof WorkDoneProgressBegin b) {
      return b.getMessage();
    }
    if (n instanceof WorkDoneProgressReport r) {
      return r.getMessage();
    }
    return ((WorkDoneProgressEnd) n).getMessage();
  }

  @Test
  void aRealVerificationReportsBeginPassesAndEnd() throws Exception {
    Client client = new Client();
    LanguageServer server = connect(client, true);
    open(server, "tutorial.rspec"); // below_3, below_1_2, class_0: three verifications
    awaitEnds(client, 3);
    assertEquals(List.of(), client.misuse);
    List<String> titles = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (List<WorkDoneProgressNotification> run : client.progress.values()) {
      // begin first, end last and once, reports between
      WorkDoneProgressBegin begin = assertInstanceOf(WorkDoneProgressBegin.class, run.get(0));
      titles.add(begin.getTitle());
      assertInstanceOf(WorkDoneProgressEnd.class, run.get(run.size() - 1));
      for (int k = 1; k < run.size() - 1; k++) {
        assertInstanceOf(WorkDoneProgressReport.class, run.get(k), run.toString());
      }
      for (WorkDoneProgressNotification n : run) {
        messages.add(message(n));
      }
    }
    titles.sort(null);
    assertEquals(List.of("Verifying below_1_2", "Verifying below_3", "Verifying class_0"),
        titles);
    // below_3's plan is interval, deeppoly; below_1_2's an attack: their names are shown
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("deeppoly")
        || m.startsWith("interval")), messages.toString());
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("attack")), messages.toString());
    assertEquals(client.created.size(), client.progress.size());
  }

  @Test
  void aClientWithoutTheCapabilityGetsNoProgress() throws Exception {
    Client client = new Client();
    LanguageServer server = connect(client, false);
    open(server, "tutorial.rspec");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (System.nanoTime() < end && !client.verdicts.stream().anyMatch(v ->
        ProtocolTest.allFinal(v.getAsJsonArray("properties")))) {
      ProtocolTest.sleep(20);
    }
    assertTrue(client.verdicts.stream().anyMatch(v ->
        ProtocolTest.allFinal(v.getAsJsonArray("properties"))), "no final verdicts");
    assertEquals(List.of(), client.created);
    assertEquals(Map.of(), client.progress);
  }
}
