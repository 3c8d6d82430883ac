package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.SExpressionReader.clip;

import java.nio.file.Path;
import java.util.List;

/**
 * The syntax tree of a VNN-COMP 1 property and its reading from text: the s-expressions'
 * structure is {@link SExpressionReader}'s (shared with VNN-LIB 2), the atoms are VNN-LIB 1's
 * (symbols, and strings / quoted symbols kept with their quotes); and the display of nodes in
 * {@link VnnlibReader}'s messages.
 */
final class Vnnlib1Syntax {
  sealed interface Node permits Sym, SList {
    int line();

    int col();
  }

  /** An atom token; {@code literal} marks a string {@code "..."} or quoted symbol {@code |...|}. */
  record Sym(String text, boolean literal, int line, int col) implements Node {}

  record SList(List<Node> items, int line, int col) implements Node {}

  private final String text;
  private final Path file;
  private int eofLine = 1;
  private int eofCol = 1;

  Vnnlib1Syntax(String text, Path file) {
    this.text = text;
    this.file = file;
  }

  // ---- s-expressions (structure shared with VNN-LIB 2 in SExpressionReader; atoms are ours) ---

  /** The top-level commands of the text; there is at least one. */
  List<SList> parse() throws InputFormatException {
    SExpressionReader<Node, SList> in = new SExpressionReader<>(text, file, SList::new,
        this::atom, sym -> error(file, sym, "expected '(' to start a command, found '"
            + clip(((Sym) sym).text()) + "'"));
    List<SList> top = in.parse();
    eofLine = in.line();
    eofCol = in.col();
    if (top.isEmpty()) { // any token either ends up in a top-level list or fails the parse
      throw new InputFormatException(file, 1, 1,
          "the file is empty: no declarations and no asserts");
    }
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

  /** A symbol, or a string {@code "..."} / quoted symbol {@code |...|} kept with its quotes. */
  private Sym atom(SExpressionReader<Node, ?> in) throws InputFormatException {
    int startLine = in.line();
    int startCol = in.col();
    char c = in.peek();
    if (c != '"' && c != '|') {
      return new Sym(in.symbol(Vnnlib1Syntax::isSymbolChar), false, startLine, startCol);
    }
    // String literal or quoted symbol: only so set-info & co. parse; may span lines.
    int start = in.pos();
    in.skip();
    while (true) {
      if (in.atEnd()) {
        throw in.error(startLine, startCol,
            (c == '"' ? "string" : "quoted symbol") + " is never closed");
      }
      char d = in.peek();
      in.skip();
      if (d == c) {
        if (c == '"' && !in.atEnd() && in.peek() == '"') {
          in.skip(); // "" escapes a quote inside a string
          continue;
        }
        break;
      }
      if (d == '\n' || (d == '\r' && (in.atEnd() || in.peek() != '\n'))) {
        in.lineBreak();
      }
    }
    return new Sym(text.substring(start, in.pos()), true, startLine, startCol);
  }

  private static boolean isSymbolChar(int c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '(' && c != ')'
        && c != ';' && c != '"' && c != '|' && !Character.isISOControl(c);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The symbol that starts the non-empty {@code l}: its command or function symbol. */
  static Sym headSymbol(Path file, SList l, String what) throws InputFormatException {
    Node head = l.items().get(0);
    if (!(head instanceof Sym s) || s.literal()) {
      throw error(file, head, "expected " + what + " after '(', found " + show(head));
    }
    return s;
  }

  static InputFormatException error(Path file, Node n, String problem) {
    return new InputFormatException(file, n.line(), n.col(), problem);
  }

  /** The node's source-like rendering, clipped for messages. */
  static String show(Node n) {
    StringBuilder sb = new StringBuilder();
    render(n, sb);
    return clip(sb.toString());
  }

  private static void render(Node n, StringBuilder sb) {
    if (sb.length() > 200) {
      return; // enough for a message; also bounds the work
    }
    if (n instanceof Sym s) {
      sb.append(s.text());
      return;
    }
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
