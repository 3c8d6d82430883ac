package dev.robustspec.lsp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.Test;

/**
 * The figures of the language server's issue, measured on a real server process over stdio:
 * didOpen → first checker diagnostics and → last verdict on the ACAS Xu and MNIST examples,
 * hover latency, the checker-diagnostics latency after an edit (median of 20 edits, each
 * answered by the checker while the verification runs behind) and the server's memory after
 * 1,000 scripted edits. Prints them and appends them to {@code target/lsp-figures.txt}; runs
 * only with {@code -Dlsp.figures=true} (it takes about a minute of both cores):
 * {@code mvn -q test -pl lsp-server -am -Dtest=ServerFiguresTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dlsp.figures=true}.
 * It asserts only what must hold on any machine: every verdict arrives and memory stays bounded.
 */
class ServerFiguresTest {
  static final Path ROOT = ProtocolTest.ROOT;

  @Test
  void figures() throws Exception {
    assumeTrue(Boolean.getBoolean("lsp.figures"), "set -Dlsp.figures=true to measure");
    List<String> cmd = new ArrayList<>(NeovimEndToEndTest.serverCommand());
    cmd.add(1, "-Xmx512m");
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      ProtocolTest.Client client = new ProtocolTest.Client();
      Launcher<ProtocolTest.Server> launcher = new Launcher.Builder<ProtocolTest.Server>()
          .setLocalService(client).setRemoteInterface(ProtocolTest.Server.class)
          .setInput(server.getInputStream()).setOutput(server.getOutputStream()).create();
      launcher.startListening();
      ProtocolTest.Server remote = launcher.getRemoteProxy();
      InitializeParams init = new InitializeParams();
      init.setCapabilities(new ClientCapabilities());
      remote.initialize(init).get(60, TimeUnit.SECONDS);
      remote.initialized(new InitializedParams());
      for (String example : List.of("acasxu.rspec", "mnist.rspec")) {
        Path file = ROOT.resolve("examples").resolve(example);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String uri = file.toUri().toString();
        long t0 = System.nanoTime();
        remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
            new TextDocumentItem(uri, "rspec", 1, text)));
        while (!client.diagnostics.containsKey(uri)) {
          Thread.sleep(1);
        }
        long firstDiagnostics = System.nanoTime() - t0;
        JsonObject last = awaitFinal(client, uri, 1);
        long lastVerdict = System.nanoTime() - t0;
        int n = last.getAsJsonArray("properties").size();
        record(String.format(Locale.ROOT, "figures %s: didOpen -> checker diagnostics %.0f ms, ->"
            + " last of %d verdicts %.2f s", example, firstDiagnostics / 1e6, n, lastVerdict / 1e9));
        // hover latency: a network hover with its bound table (first: computes the bounds)
        int at = text.indexOf(example.startsWith("acas") ? "acas(x)[0]" : "mnist(x)) == 4");
        Position p = position(text, at + 1);
        List<Long> repeated = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
          long h0 = System.nanoTime();
          Hover h = remote.getTextDocumentService().hover(new HoverParams(
              new TextDocumentIdentifier(uri), p)).get(60, TimeUnit.SECONDS);
          long took = System.nanoTime() - h0;
          assertTrue(h.getContents().getRight().getValue().contains("bounds"));
          if (i == 0) {
            record(String.format(Locale.ROOT, "figures %s: hover first (computes bounds) %.1f ms",
                example, took / 1e6));
          } else {
            repeated.add(took);
          }
        }
        record(String.format(Locale.ROOT, "figures %s: hover repeated, median of 20 %.1f ms",
            example, median(repeated) / 1e6));
      }
      checkerLatency(remote, client);
      // 1,000 scripted edits of mnist.rspec, each changing a region (new work every time)
      Path file = ROOT.resolve("examples/mnist.rspec");
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String uri = file.toUri().toString();
      long e0 = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        String edited = text.replace("let small = 0.02", "let small = 0.02"
            + String.format(Locale.ROOT, "%04d", i));
        remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
            new VersionedTextDocumentIdentifier(uri, i + 2),
            List.of(new TextDocumentContentChangeEvent(edited))));
        Thread.sleep(i % 100 == 99 ? 400 : 5); // bursts of typing, and a pause every 100
      }
      awaitFinal(client, uri, 1001);
      record(String.format(Locale.ROOT, "figures: 1,000 edits sent and verified in %.1f s",
          (System.nanoTime() - e0) / 1e9));
      String heap = jcmd(server.pid(), "GC.run") + jcmd(server.pid(), "GC.heap_info");
      long rss = rssKb(server.pid());
      System.out.println("figures: after 1,000 edits, RSS " + rss / 1024 + " MB; heap after GC:\n"
          + heap.lines().filter(l -> l.contains("total") || l.contains("used")).findFirst()
              .orElse(heap));
      assertTrue(rss < 1024 * 1024, "server RSS under 1 GB: " + rss + " kB");
      assertEquals(null, remote.shutdown().get(60, TimeUnit.SECONDS));
      remote.exit();
      assertTrue(server.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, server.exitValue());
    } finally {
      server.destroyForcibly();
    }
  }

  /**
   * 20 edits of acasxu.rspec, 150 ms apart (typing speed), alternating a misspelt constant (a
   * checker error, RS0002) and the fixed text: the time from each didChange to the
   * publishDiagnostics of that version. The verification of each version runs meanwhile.
   */
  static void checkerLatency(ProtocolTest.Server remote, ProtocolTest.Client client)
      throws Exception {
    Path file = ROOT.resolve("examples/acasxu.rspec");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String broken = text.replace("acas(x)[0] <= coc_limit", "acas(x)[0] <= coc_limt");
    String uri = file.toUri().toString();
    List<Long> latencies = new ArrayList<>();
    int version = 1; // opened above as version 1
    for (int i = 0; i < 20; i++) {
      version++;
      boolean error = i % 2 == 0;
      long t0 = System.nanoTime();
      remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
          new VersionedTextDocumentIdentifier(uri, version),
          List.of(new TextDocumentContentChangeEvent(error ? broken : text))));
      long end = t0 + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        var d = client.diagnostics.get(uri);
        if (d != null && d.getVersion() != null && d.getVersion() >= version) {
          assertEquals(error, d.getDiagnostics().stream()
              .anyMatch(x -> x.getMessage().contains("coc_limt")), "version " + version);
          break;
        }
        assertTrue(System.nanoTime() < end, "no diagnostics for version " + version);
        Thread.sleep(0, 200_000);
      }
      latencies.add(System.nanoTime() - t0);
      Thread.sleep(150);
    }
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    record(String.format(Locale.ROOT, "figures acasxu.rspec: edit -> checker diagnostics, median"
        + " of 20 edits %.1f ms (min %.1f, max %.1f)", median(latencies) / 1e6,
        sorted.get(0) / 1e6, sorted.get(sorted.size() - 1) / 1e6));
    awaitFinal(client, uri, version);
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /** Prints a figure and appends it to target/lsp-figures.txt (with the date and the load). */
  static void record(String line) throws Exception {
    System.out.println(line);
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    Path out = ROOT.resolve("lsp-server/target/lsp-figures.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, java.time.Instant.now() + " (load " + load + ") " + line + "\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  static JsonObject awaitFinal(ProtocolTest.Client client, String uri, int version)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < end) {
      for (int i = client.verdicts.size() - 1; i >= 0; i--) {
        JsonObject v = client.verdicts.get(i);
        if (v.get("uri").getAsString().equals(uri) && v.get("version").getAsInt() == version
            && ProtocolTest.allFinal(v.getAsJsonArray("properties"))) {
          return v;
        }
      }
      Thread.sleep(2);
    }
    throw new AssertionError("no final verdicts for version " + version);
  }

  static Position position(String text, int offset) {
    String before = text.substring(0, offset);
    return new Position((int) before.chars().filter(c -> c == '\n').count(),
        offset - (before.lastIndexOf('\n') + 1));
  }

  static String jcmd(long pid, String what) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), what)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
