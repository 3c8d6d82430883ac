package dev.robustspec.compiler.lang;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.grammar.RobustSpecLexer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the whole front end: random and mutated texts never make
 * {@link Checker#compile} throw, and never produce an internal error (RS9999).
 */
class SpecFuzzTest {
  static final long SEED = 0x5eed_2024L;
  static final String CHARS = "()[]{},.:=+-*/<>!\"'0123456789ax_\n\\$";
  static final FileLoader LOADER = LangTestSupport.caching();

  static List<String> corpus() throws IOException {
    List<String> texts = new ArrayList<>();
    for (String e : List.of("tutorial.rspec", "acasxu.rspec", "mnist.rspec")) {
      texts.add(Files.readString(LangTestSupport.EXAMPLES.resolve(e)));
    }
    Path diag = LangTestSupport.ROOT.resolve("compiler/src/test/resources/diagnostics");
    try (Stream<Path> s = Files.list(diag)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".rspec")).sorted().toList()) {
        texts.add(Files.readString(p));
      }
    }
    return texts;
  }

  /** Words to splice in: the grammar's literals plus names, numbers and strings that matter. */
  static List<String> vocabulary() {
    List<String> words = new ArrayList<>();
    Vocabulary v = RobustSpecLexer.VOCABULARY;
    for (int t = 1; t <= v.getMaxTokenType(); t++) {
      String lit = v.getLiteralName(t);
      if (lit != null) {
        words.add(lit.substring(1, lit.length() - 1));
      }
    }
    words.addAll(List.of("x", "y", "tiny", "acas", "mnist", "square", "eps", "p", "q", "center",
        "interval", "deeppoly", "attack", "steps", "seed", "timeout", "restarts", "samples",
        "onnx", "nnet", "vnnlib", "csv", "0", "1", "-1", "2", "0.5", "1e999", "1e-320",
        "99999999999", "2147483648", "-0", "1e308", "0.0", "3", "10s", "0ms", "1e400s", "\"\"",
        "\"acasxu/prop_1.vnnlib\"", "\"mnist/image_0.csv\"", "\"acasxu/ACASXU_run2a_1_1_batch_2000.onnx\"",
        "\"acasxu/ACASXU_experimental_v2a_1_1.nnet\"", "\"mnist/mnist-net_256x2.onnx\"",
        "\"/\"", "\".\"", "\"acasxu\"", "\"\\u0000\"", "@", "#", "\"unterminated", "/*", "//",
        "\n", " "));
    return words;
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (Token t : new RobustSpecLexer(CharStreams.fromString(text)).getAllTokens()) {
      out.add(t.getText());
    }
    return out;
  }

  static String mutate(String text, Random r, List<String> words) {
    int kind = r.nextInt(8);
    if (text.isEmpty()) {
      return words.get(r.nextInt(words.size()));
    }
    int at = r.nextInt(text.length());
    switch (kind) {
      case 0: // delete characters
        return text.substring(0, at) + text.substring(Math.min(text.length(), at + 1
            + r.nextInt(4)));
      case 1: // insert a character
        return text.substring(0, at) + CHARS.charAt(r.nextInt(CHARS.length()))
            + text.substring(at);
      case 2: // truncate
        return text.substring(0, at);
      case 3: { // swap two characters
        int b = r.nextInt(text.length());
        char[] c = text.toCharArray();
        char t = c[at];
        c[at] = c[b];
        c[b] = t;
        return new String(c);
      }
      default: { // token-level edits
        List<String> toks = tokens(text);
        if (toks.isEmpty()) {
          return text;
        }
        int i = r.nextInt(toks.size());
        switch (kind) {
          case 4 -> toks.remove(i);
          case 5 -> toks.add(i, words.get(r.nextInt(words.size())));
          case 6 -> toks.set(i, words.get(r.nextInt(words.size())));
          default -> {
            int j = r.nextInt(toks.size());
            String t = toks.get(i);
            toks.set(i, toks.get(j));
            toks.set(j, t);
          }
        }
        return String.join("", toks);
      }
    }
  }

  static String soup(Random r, List<String> words) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(60);
    for (int i = 0; i < n; i++) {
      sb.append(words.get(r.nextInt(words.size()))).append(r.nextInt(4) == 0 ? "\n" : " ");
    }
    return sb.toString();
  }

  static void compileSafely(String text) {
    Compilation c;
    try {
      c = Checker.compile("fuzz.rspec", text, LangTestSupport.EXAMPLES, LOADER);
    } catch (Throwable t) {
      throw new AssertionError("Checker.compile threw " + t + " on input:\n<<<" + text + ">>>", t);
    }
    if (c == null) {
      fail("null compilation for input:\n<<<" + text + ">>>");
    }
    c.diagnostics().stream().filter(d -> d.code() == SpecErrorCode.INTERNAL).findFirst()
        .ifPresent(d -> fail("internal error " + d.message() + " on input:\n<<<" + text
            + ">>>"));
  }

  @Test
  void mutatedAndRandomTextsNeverBreakTheChecker() throws IOException {
    List<String> corpus = corpus();
    List<String> words = vocabulary();
    // -Dfuzz.seed=N -Dfuzz.runs=M for a longer hunt; the default run is fixed and short
    Random r = new Random(Long.getLong("fuzz.seed", SEED));
    int max = Integer.getInteger("fuzz.runs", 4000);
    long deadline = System.nanoTime() + (max > 4000 ? Long.MAX_VALUE / 2 : 12_000_000_000L);
    int runs = 0;
    for (; runs < max && System.nanoTime() < deadline; runs++) {
      String text;
      if (runs % 5 == 4) {
        text = soup(r, words);
      } else {
        text = corpus.get(r.nextInt(corpus.size()));
        int edits = 1 + r.nextInt(r.nextInt(10) == 0 ? 30 : 4);
        for (int e = 0; e < edits; e++) {
          text = mutate(text, r, words);
        }
      }
      compileSafely(text);
    }
    assertTrue(runs >= 500, "only " + runs + " inputs in the time budget");
  }
}
