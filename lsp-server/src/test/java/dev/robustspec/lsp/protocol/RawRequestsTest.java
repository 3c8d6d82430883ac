package dev.robustspec.lsp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.robustspec.lsp.service.LanguageService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests as raw JSON-RPC (issue 12): each is answered with the protocol's error code
 * and a message, never a Java stack trace in {@code data}; a request after {@code shutdown} is
 * InvalidRequest (-32600), and a 100k-deep expression hovers without a StackOverflowError.
 */
class RawRequestsTest {
  private ServerLauncher.Running running;
  private OutputStream toServer;
  private InputStream fromServer;
  private int nextId = 1;

  @BeforeEach
  void start() throws IOException {
    Pipe in = Pipe.open();
    Pipe out = Pipe.open();
    running = ServerLauncher.start(Channels.newInputStream(in.source()),
        Channels.newOutputStream(out.sink()), new LanguageService.Options(
            Duration.ofSeconds(60), 1, Duration.ofMillis(50)), code -> { });
    toServer = Channels.newOutputStream(in.sink());
    fromServer = Channels.newInputStream(out.source());
  }

  @AfterEach
  void stop() {
    running.server().service().close();
  }

  private void send(String method, String params, Integer id) throws IOException {
    String body = "{\"jsonrpc\":\"2.0\"," + (id == null ? "" : "\"id\":" + id + ",")
        + "\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    toServer.write(("Content-Length: " + bytes.length + "\r\n\r\n").getBytes(
        StandardCharsets.US_ASCII));
    toServer.write(bytes);
    toServer.flush();
  }

  private JsonObject readMessage() throws IOException {
    int length = -1;
    while (true) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = fromServer.read()) != '\n') {
        if (c < 0) {
          throw new IOException("server closed the stream");
        }
        line.write(c);
      }
      String header = line.toString(StandardCharsets.US_ASCII).strip();
      if (header.isEmpty()) {
        break;
      }
      if (header.startsWith("Content-Length:")) {
        length = Integer.parseInt(header.substring(15).strip());
      }
    }
    return JsonParser.parseString(new String(fromServer.readNBytes(length),
        StandardCharsets.UTF_8)).getAsJsonObject();
  }

  /** Sends a request and returns its response, skipping notifications from the server. */
  private JsonObject request(String method, String params) throws Exception {
    int id = nextId++;
    send(method, params, id);
    CompletableFuture<JsonObject> answer = CompletableFuture.supplyAsync(() -> {
      try {
        while (true) {
          JsonObject m = readMessage();
          if (m.has("id") && m.get("id").getAsInt() == id && !m.has("method")) {
            return m;
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    return answer.get(120, java.util.concurrent.TimeUnit.SECONDS); // a hang guard
  }

  private void initialize() throws Exception {
    request("initialize", "{\"processId\":null,\"rootUri\":null,\"capabilities\":{}}");
    send("initialized", "{}", null);
  }

  private static JsonObject error(JsonObject response) {
    assertTrue(response.has("error"), response.toString());
    JsonObject e = response.getAsJsonObject("error");
    assertFalse(e.has("data") && e.get("data").toString().contains("\\tat "), e.toString());
    assertFalse(e.get("message").getAsString().contains("NullPointerException"), e.toString());
    return e;
  }

  private void open(String uri, String text) throws IOException {
    JsonObject doc = new JsonObject();
    doc.addProperty("uri", uri);
    doc.addProperty("languageId", "rspec");
    doc.addProperty("version", 1);
    doc.addProperty("text", text);
    JsonObject params = new JsonObject();
    params.add("textDocument", doc);
    send("textDocument/didOpen", params.toString(), null);
  }

  @Test
  void hoverWithoutPositionIsInvalidParams() throws Exception {
    initialize();
    open("file:///tmp/a.rspec", "let a = 1\n");
    JsonObject e = error(request("textDocument/hover",
        "{\"textDocument\":{\"uri\":\"file:///tmp/a.rspec\"}}"));
    assertEquals(-32602, e.get("code").getAsInt(), e.toString());
    assertTrue(e.get("message").getAsString().contains("position"), e.toString());
  }

  @Test
  void nullParamsAreInvalidParamsWithoutAStackTrace() throws Exception {
    initialize();
    for (String method : new String[] {"textDocument/hover", "textDocument/definition",
        "textDocument/completion", "textDocument/documentSymbol"}) {
      JsonObject e = error(request(method, "null"));
      assertEquals(-32602, e.get("code").getAsInt(), method + ": " + e);
    }
  }

  @Test
  void aRequestAfterShutdownIsInvalidRequest() throws Exception {
    initialize();
    open("file:///tmp/a.rspec", "let a = 1\n");
    JsonObject ok = request("shutdown", null);
    assertFalse(ok.has("error"), ok.toString());
    JsonObject e = error(request("textDocument/hover",
        "{\"textDocument\":{\"uri\":\"file:///tmp/a.rspec\"},"
            + "\"position\":{\"line\":0,\"character\":4}}"));
    assertEquals(-32600, e.get("code").getAsInt(), e.toString());
  }

  @Test
  void hoverOnAHundredThousandNestedParenthesesAnswers() throws Exception {
    initialize();
    String text = "let deep = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "\n";
    open("file:///tmp/deep.rspec", text);
    JsonObject r = request("textDocument/hover", "{\"textDocument\":{\"uri\":"
        + "\"file:///tmp/deep.rspec\"},\"position\":{\"line\":0,\"character\":5}}");
    assertFalse(r.has("error"), r.toString());
  }
}
