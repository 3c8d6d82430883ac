package dev.robustspec.compiler.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.syntax.SpecParser;
import dev.robustspec.grammar.RobustSpecLexer;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser on valid text: no diagnostics, every range points at the text it came from, and
 * the tree does not change when white space and comments between tokens change.
 */
class GrammarRoundTripTest {

  static final List<String> SNIPPETS = List.of(
      "let a = 1\nlet b = -a * 2 + 3 / 4 - (5 - 6)\nlet v = [1, 2.5, .5, 1e3, 2E-2]",
      "let m = [[1, 2], [3, 4]]\nlet t = 30s\nlet u = 500ms\nlet w = 2min\nlet z = 1.5s",
      "network n { input x[2] dense [[1, 2], [3, 4]] + [0, 0] relu dense [[1, 1]] + [0] }",
      "network a = onnx(\"nets/a.onnx\")\nnetwork b = nnet(\"b.nnet\")",
      "region r = box { x[0] in [-1, 1], x[1..3] in [0, 0.5], }",
      "region r = linf(center = [0.5, 0.5], eps = 0.1) clip [0, 1]",
      "region r = linf(center = csv(\"img.csv\"), eps = e)\nregion s = vnnlib(\"p.vnnlib\")",
      "property p: forall x in r: n(x)[0] <= 1 and not n(x)[1] > 2 or n(x)[0] >= -1",
      "property p: forall x in r: n(x)[0] < 1 -> n(x)[1] > 0 -> (n(x)[2] <= 3)",
      "property p: forall x in r: argmax(n(x)) == 3 and argmin(n(x)) != k",
      "property p: forall x in r: 2 * n(x)[0] - n(x)[1] + 0.5 <= n(x)[2] / 4",
      "property q = vnnlib(\"prop.vnnlib\") on n",
      "verify p\nverify p, q using interval, deeppoly(timeout = 5s), attack(steps = 10, seed = 1)",
      "verify p using attack()");

  static Stream<String> texts() throws IOException {
    List<String> all = new ArrayList<>(SNIPPETS);
    for (String e : List.of("tutorial.rspec", "acasxu.rspec", "mnist.rspec")) {
      all.add(Files.readString(LangTestSupport.EXAMPLES.resolve(e)));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("texts")
  void parsesCleanlyWithRangesOnTheirText(String text) {
    SpecParser.Result r = SpecParser.parse(text);
    assertEquals(List.of(), r.diagnostics(), text);
    assertTrue(!r.file().declarations().isEmpty());
    List<Object> nodes = new ArrayList<>();
    collect(r.file(), nodes);
    int idents = 0;
    for (Object o : nodes) {
      if (o instanceof Ast.Ident id) {
        idents++;
        assertEquals(id.text(), slice(text, id.range()), "range of ident " + id);
        assertLineColumn(text, id.range());
      } else if (o instanceof Ast.NumberLit n) {
        assertEquals(n.value(), Double.parseDouble(slice(text, n.range())), 0.0);
      } else if (o instanceof Ast.FileSource f) {
        assertEquals("\"" + f.path() + "\"", slice(text, f.pathRange()));
      } else if (o instanceof Ast.Decl d) {
        String s = slice(text, d.range());
        assertTrue(Stream.of("let", "network", "region", "property", "verify")
            .anyMatch(s::startsWith), "declaration range starts elsewhere: " + s);
      }
      if (o instanceof Record rec && !(o instanceof Ast.SpecFile)) {
        SourceRange range = rangeOf(rec);
        if (range != null) {
          assertTrue(0 <= range.startOffset() && range.startOffset() <= range.endOffset()
              && range.endOffset() <= text.length(), "range out of the text: " + o);
        }
      }
    }
    assertTrue(idents > 0);
  }

  @ParameterizedTest
  @MethodSource("texts")
  void whitespaceAndCommentsDoNotChangeTheTree(String text) {
    String expected = LangTestSupport.shape(SpecParser.parse(text).file());
    Random r = new Random(text.hashCode());
    for (int round = 0; round < 10; round++) {
      String variant = respace(text, r);
      SpecParser.Result p = SpecParser.parse(variant);
      assertEquals(List.of(), p.diagnostics(), variant);
      assertEquals(expected, LangTestSupport.shape(p.file()), variant);
    }
  }

  /** The tokens of {@code text} on the default channel, re-joined with random separators. */
  static String respace(String text, Random r) {
    RobustSpecLexer lexer = new RobustSpecLexer(CharStreams.fromString(text));
    List<? extends Token> tokens = lexer.getAllTokens();
    StringBuilder sb = new StringBuilder();
    for (Token t : tokens) {
      if (t.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      sb.append(switch (r.nextInt(6)) {
        case 0 -> " ";
        case 1 -> "\n\t ";
        case 2 -> " /* a comment, with ] and ) */ ";
        case 3 -> " // a line comment ) \n";
        case 4 -> "\r\n";
        default -> "   ";
      });
      sb.append(t.getText());
    }
    return sb.append(r.nextBoolean() ? "\n// trailing comment" : "").toString();
  }

  static String slice(String text, SourceRange range) {
    return text.substring(range.startOffset(), range.endOffset());
  }

  /** Line and column agree with the offset. */
  static void assertLineColumn(String text, SourceRange range) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < range.startOffset(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    assertEquals(line, range.startLine(), "line of " + range);
    assertEquals(range.startOffset() - lineStart + 1, range.startColumn(), "column of " + range);
  }

  static SourceRange rangeOf(Record rec) {
    for (RecordComponent rc : rec.getClass().getRecordComponents()) {
      if (rc.getName().equals("range")) {
        try {
          return (SourceRange) rc.getAccessor().invoke(rec);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }

  static void collect(Object o, List<Object> out) {
    if (o == null || o instanceof SourceRange) {
      return;
    }
    if (o instanceof List<?> l) {
      for (Object e : l) {
        collect(e, out);
      }
      return;
    }
    if (o.getClass().isRecord()) {
      out.add(o);
      for (RecordComponent rc : o.getClass().getRecordComponents()) {
        try {
          collect(rc.getAccessor().invoke(o), out);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
