package dev.robustspec.lsp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with an LSP client nobody here wrote: headless Neovim's built-in {@code vim.lsp}
 * starts {@code robustspec lsp} (this test's classpath, the CLI's main class, so the
 * {@code CliExtension} lookup is part of what is tested), opens the tutorial, waits for the
 * verdict diagnostics, hovers over an output and a layer, then edits the file (Neovim sends an
 * incremental change) and waits for the changed verdict. Neovim loads {@code editors/neovim}: its
 * filetype detection and generated syntax are checked, and its {@code vim.lsp} set-up starts
 * the server. Skipped only when {@code nvim} is
 * not installed; {@code .ci/run} installs it.
 */
class NeovimEndToEndTest {
  static final Path ROOT = Path.of(System.getProperty("robustspec.root", ".")).toAbsolutePath()
      .normalize();

  @TempDir Path tmp;

  static boolean hasNeovim() {
    try {
      Process p = new ProcessBuilder("nvim", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The command that starts the server from this test's own classes. */
  static List<String> serverCommand() {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xss8m", "-cp", cp, "dev.robustspec.cli.Main", "lsp");
  }

  @Test
  void neovimShowsTheVerdictsAndTheBounds() throws Exception {
    assumeTrue(hasNeovim(), "nvim is not installed (apt-get install neovim; .ci/run does)");
    Path file = ROOT.resolve("examples/tutorial.rspec");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    JsonArray hovers = new JsonArray();
    hovers.add(position(text, text.indexOf("tiny(x)[0] <= 3") + 8)); // an output
    hovers.add(position(text, text.indexOf("dense [[1, -1]") + 2));  // an inline layer
    Path out = tmp.resolve("nvim-result.json");
    JsonArray cmd = new JsonArray();
    serverCommand().forEach(cmd::add);
    ProcessBuilder pb = new ProcessBuilder("nvim", "--headless", "--clean", "-n", "-i", "NONE",
        "-c", "luafile " + ROOT.resolve("lsp-server/src/test/resources/nvim/e2e.lua"))
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("nvim.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("RS_CMD", cmd.toString());
    env.put("RS_ROOT", ROOT.toString());
    env.put("RS_FILE", file.toString());
    env.put("RS_EXPECT", "3");
    env.put("RS_HOVERS", hovers.toString());
    env.put("RS_OUT", out.toString());
    env.put("RS_PLUGIN", ROOT.resolve("editors/neovim").toString());
    // 1-based [line, column]: `network`, `tiny`, `dense`, `[`, `region`'s name, `<=`, a comment
    int cmp = text.indexOf("tiny(x)[0] <= 3") + "tiny(x)[0] ".length();
    JsonArray probes = new JsonArray();
    for (int at : new int[] {text.indexOf("network tiny"), text.indexOf("network tiny") + 8,
        text.indexOf("dense [[1"), text.indexOf("[[1, -1]"), text.indexOf("square ="), cmp,
        text.indexOf("// A five")}) {
      JsonObject p = position(text, at);
      JsonArray probe = new JsonArray();
      probe.add(p.get("line").getAsInt() + 1);
      probe.add(p.get("character").getAsInt() + 1);
      probes.add(probe);
    }
    env.put("RS_SYNTAX", probes.toString());
    // then an edit in Neovim: below_1_2 asks for <= 1.6, which its attack-only plan cannot
    // falsify (the true maximum is 1.5) nor prove: the verdict must turn to unknown
    int at = text.indexOf("tiny(x)[0] <= 1.2") + "tiny(x)[0] <= ".length();
    JsonObject edit = position(text, at);
    JsonObject change = new JsonObject();
    change.addProperty("line", edit.get("line").getAsInt());
    change.addProperty("from", edit.get("character").getAsInt());
    change.addProperty("to", edit.get("character").getAsInt() + 3);
    change.addProperty("text", "1.6");
    change.addProperty("expect", "unknown");
    env.put("RS_EDIT", change.toString());
    env.put("XDG_STATE_HOME", tmp.toString()); // Neovim's own logs stay in the temp folder
    env.put("XDG_CACHE_HOME", tmp.toString());
    Process nvim = pb.start();
    if (!nvim.waitFor(5, TimeUnit.MINUTES)) {
      nvim.destroyForcibly();
      fail("Neovim did not finish; its output:\n" + log());
    }
    assertTrue(Files.exists(out), "Neovim wrote no result; its output:\n" + log());
    JsonObject result = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertEquals(0, result.getAsJsonArray("errors").size(), result.toString());
    // editors/neovim: the filetype, and the generated syntax's groups (as the TextMate scopes)
    assertEquals("robustspec", result.get("filetype").getAsString());
    assertEquals(List.of("rspecKeywordDeclaration", "rspecEntityNameTypeNetwork",
        "rspecKeywordOtherLayer", "rspecPunctuationSectionBrackets", "rspecEntityNameTypeRegion",
        "rspecKeywordOperatorComparison", "rspecCommentLineDoubleSlash"),
        result.getAsJsonArray("syntax").asList().stream().map(JsonElement::getAsString).toList());

    // the verdicts, as Neovim holds them: severity 1 = error, 3 = information
    List<String> seen = new ArrayList<>();
    for (JsonElement e : result.getAsJsonArray("diagnostics")) {
      JsonObject d = e.getAsJsonObject();
      int line = d.get("line").getAsInt();
      String name = text.lines().toList().get(line).substring(d.get("col").getAsInt())
          .split("[^A-Za-z0-9_]")[0];
      seen.add(name + " " + d.get("code").getAsString() + " " + d.get("severity").getAsInt());
      if (d.get("code").getAsString().equals("falsified")) {
        assertTrue(d.get("message").getAsString().startsWith("falsified by attack"),
            d.toString());
      }
    }
    assertEquals(List.of("below_3 certified 3", "below_1_2 falsified 1", "class_0 certified 3"),
        seen);

    // the bounds text of the hovers
    JsonArray h = result.getAsJsonArray("hovers");
    String output = h.get(0).getAsJsonObject().get("text").getAsString();
    assertTrue(output.contains("**output 0** of `tiny`"), output);
    assertTrue(output.contains("interval: [-0.50000, 3.5000]"), output);
    assertTrue(output.contains("deeppoly: [-0.50000, 2.5000]"), output);
    String layer = h.get(1).getAsJsonObject().get("text").getAsString();
    assertTrue(layer.contains("**layer 0** of `tiny`: dense, 2 → 2"), layer);
    assertTrue(layer.contains("| interval | -2.0000 | 2.0000 | 4.0000 | 0 | 0 | 2 |"), layer);
    assertTrue(result.get("after_edit").getAsBoolean(),
        "after the edit in Neovim, below_1_2 became unknown: " + result);
    assertTrue(result.get("stopped").getAsBoolean(), "the server stopped on shutdown/exit");
    System.out.printf("neovim: verdicts after %.0f ms, hovers %.0f ms and %.0f ms%n",
        result.get("verdicts_ms").getAsDouble(), h.get(0).getAsJsonObject().get("ms")
            .getAsDouble(), h.get(1).getAsJsonObject().get("ms").getAsDouble());
  }

  private String log() throws IOException {
    File f = tmp.resolve("nvim.log").toFile();
    return f.exists() ? Files.readString(f.toPath()) : "(none)";
  }

  private static JsonObject position(String text, int offset) {
    String before = text.substring(0, offset);
    JsonObject p = new JsonObject();
    p.addProperty("line", before.chars().filter(c -> c == '\n').count());
    p.addProperty("character", offset - (before.lastIndexOf('\n') + 1));
    return p;
  }
}
