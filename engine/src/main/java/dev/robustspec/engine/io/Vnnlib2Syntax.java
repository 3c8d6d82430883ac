package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.SExpressionReader.clip;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The syntax tree of a VNN-LIB 2 query and its reading from text: the s-expressions' structure
 * is {@link SExpressionReader}'s (shared with VNN-LIB 1), the atoms are VNN-LIB 2's (strings,
 * shapes {@code [28,28]}, symbols with an index {@code X[0,2]}); and the display of nodes in
 * {@link Vnnlib2Reader}'s messages.
 */
final class Vnnlib2Syntax {
  sealed interface Node permits Sym, Str, Shape, SList {
    int line();

    int col();
  }

  /** A symbol; {@code index} is the bracket that followed it without a space ({@code X[0,2]}). */
  record Sym(String text, int[] index, int line, int col) implements Node {}

  record Str(String text, int line, int col) implements Node {}

  /** A bracket group standing alone: a tensor shape {@code [28,28]} or {@code []}. */
  record Shape(int[] dims, int line, int col) implements Node {}

  record SList(List<Node> items, int line, int col) implements Node {}

  private final String text;
  private final Path file;
  private int eofLine = 1;
  private int eofCol = 1;

  Vnnlib2Syntax(String text, Path file) {
    this.text = text;
    this.file = file;
  }

  /** The top-level commands of the text. */
  List<SList> parse() throws InputFormatException {
    SExpressionReader<Node, SList> in = new SExpressionReader<>(text, file, SList::new,
        this::atom, node -> error(file, node, "expected '(' to start a command"));
    List<SList> top = in.parse();
    eofLine = in.line();
    eofCol = in.col();
    return top;
  }

  /** The line of the text's end (after {@link #parse}). */
  int eofLine() {
    return eofLine;
  }

  /** The column of the text's end (after {@link #parse}). */
  int eofCol() {
    return eofCol;
  }

  /** A string, a shape {@code [2,3]}, or a symbol with its index {@code X[0,2]} if any. */
  private Node atom(SExpressionReader<Node, ?> in) throws InputFormatException {
    int sl = in.line();
    int sc = in.col();
    char c = in.peek();
    if (c == '"') {
      StringBuilder sb = new StringBuilder();
      in.skip();
      while (true) {
        if (in.atEnd() || in.peek() == '\n' || in.peek() == '\r') {
          throw in.error(sl, sc, "string is never closed");
        }
        char d = in.peek();
        in.skip();
        if (d == '"') {
          break;
        }
        if (d == '\\' && !in.atEnd()) {
          char e = in.peek();
          in.skip();
          sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        } else {
          sb.append(d);
        }
      }
      return new Str(sb.toString(), sl, sc);
    }
    if (c == '[') {
      int start = in.pos();
      int end = closingBracket(start, sl, sc);
      Shape shape = new Shape(numbers(text.substring(start + 1, end), sl, sc, true), sl, sc);
      while (in.pos() <= end) { // a shape may span lines: keep line:col right
        char d = in.peek();
        in.skip();
        if (d == '\n') {
          in.lineBreak();
        }
      }
      return shape;
    }
    if (c == ']' || c == ',') {
      throw in.error(sl, sc, "unexpected '" + c + "'");
    }
    String s = in.symbol(Vnnlib2Syntax::isSymbolChar);
    int[] index = null;
    if (!in.atEnd() && in.peek() == '[') {
      int open = in.pos();
      int end = closingBracket(open, in.line(), in.col());
      if (countLines(open, end + 1) > 0) {
        throw in.error(in.line(), in.col(), "an index must fit on one line");
      }
      index = numbers(text.substring(open + 1, end), in.line(), in.col(), false);
      while (in.pos() <= end) {
        in.skip();
      }
    }
    return new Sym(s, index, sl, sc);
  }

  private int closingBracket(int open, int line, int col) throws InputFormatException {
    int end = text.indexOf(']', open);
    int bad = -1;
    for (int k = open + 1; k < (end < 0 ? text.length() : end); k++) {
      char d = text.charAt(k);
      if (d == '(' || d == ')' || d == '[' || d == ';') {
        bad = k;
        break;
      }
    }
    if (end < 0 || bad >= 0) {
      throw new InputFormatException(file, line, col, "this '[' is never closed by ']'");
    }
    return end;
  }

  private int countLines(int from, int to) {
    int n = 0;
    for (int k = from; k < to; k++) {
      if (text.charAt(k) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The integers of a bracket: separated by commas (the grammar) or spaces (seen in the text). */
  private int[] numbers(String inside, int line, int col, boolean shape)
      throws InputFormatException {
    String t = inside.trim();
    if (t.isEmpty()) {
      return new int[0];
    }
    String[] parts = t.split("\\s*,\\s*|\\s+");
    int[] out = new int[parts.length];
    for (int k = 0; k < parts.length; k++) {
      String p = parts[k];
      if (!p.matches("[0-9]{1,9}")) {
        throw new InputFormatException(file, line, col, "bad " + (shape ? "dimension" : "index")
            + " '" + clip(p) + "' in [" + clip(inside) + "]: expected a non-negative integer");
      }
      out[k] = Integer.parseInt(p);
    }
    return out;
  }

  private static boolean isSymbolChar(int c) {
    return !Character.isWhitespace(c) && c != '(' && c != ')' && c != ';' && c != '"' && c != '['
        && c != ']' && !Character.isISOControl(c);
  }

  /** The symbol that starts {@code l}: its command, operator or declaration. */
  static Sym head(Path file, SList l, String what) throws InputFormatException {
    if (l.items().isEmpty()) {
      throw error(file, l, "empty '()' where " + what + " was expected");
    }
    Node h = l.items().get(0);
    if (!(h instanceof Sym s) || s.index() != null) {
      throw error(file, h, "expected " + what + " after '(', found " + describe(h));
    }
    return s;
  }

  static InputFormatException error(Path file, Node n, String problem) {
    return new InputFormatException(file, n.line(), n.col(), problem);
  }

  static String describe(Node n) {
    if (n instanceof Str s) {
      return "the string \"" + clip(s.text()) + "\"";
    }
    if (n instanceof Shape) {
      return "a bracket " + show(n);
    }
    return "'" + show(n) + "'";
  }

  static String show(Node n) {
    StringBuilder sb = new StringBuilder();
    render(n, sb);
    return clip(sb.toString());
  }

  private static void render(Node n, StringBuilder sb) {
    if (sb.length() > 200) {
      return;
    }
    if (n instanceof Sym s) {
      sb.append(s.text());
      if (s.index() != null) {
        sb.append(Arrays.toString(s.index()).replace(" ", ""));
      }
    } else if (n instanceof Str s) {
      sb.append('"').append(s.text()).append('"');
    } else if (n instanceof Shape s) {
      sb.append(Arrays.toString(s.dims()).replace(" ", ""));
    } else {
      sb.append('(');
      List<Node> items = ((SList) n).items();
      for (int k = 0; k < items.size(); k++) {
        if (k > 0) {
          sb.append(' ');
        }
        render(items.get(k), sb);
      }
      sb.append(')');
    }
  }
}
