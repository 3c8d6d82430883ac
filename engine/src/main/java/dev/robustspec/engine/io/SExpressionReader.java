package dev.robustspec.engine.io;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * The S-expression layer shared by {@link VnnlibReader} (VNN-LIB 1) and {@link Vnnlib2Reader}
 * (VNN-LIB 2): byte order mark, LF / CR / CRLF line ends, {@code ;} comments, parentheses and
 * 1-based line:column positions for errors.
 *
 * <p>The atoms differ between the two languages ({@code "..."} strings with different escapes,
 * {@code |quoted|} symbols, {@code X[0,2]} indices, {@code [2,3]} shapes), so each reader lexes
 * its own atoms through the cursor methods below and builds its own node types; this class only
 * owns the structure. One pass, iterative: nesting lives on an explicit stack, capped at
 * {@link #MAX_DEPTH} so the readers' recursive descent over the tree cannot overflow the stack.
 * The little the two languages' atoms do share (numbers, tokens quoted in messages) is here too,
 * so the readers word them alike.
 *
 * @param <N> the reader's node type
 * @param <L> the reader's list node type
 */
final class SExpressionReader<N, L extends N> {
  /** Deepest parenthesis nesting accepted (VNN-COMP files nest about 4 deep). */
  static final int MAX_DEPTH = 200;

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  /** Builds a list node from its items and the position of its {@code (}. */
  @FunctionalInterface
  interface ListFactory<N, L> {
    L list(List<N> items, int line, int col);
  }

  /**
   * Lexes the atom starting at the cursor (a character that is not white space, {@code ;},
   * {@code (} or {@code )}) and leaves the cursor after it.
   */
  @FunctionalInterface
  interface AtomLexer<N> {
    N atom(SExpressionReader<N, ?> in) throws InputFormatException;
  }

  private static final class Open<N> {
    final int line;
    final int col;
    final List<N> items = new ArrayList<>();

    Open(int line, int col) {
      this.line = line;
      this.col = col;
    }
  }

  private final String text;
  private final Path file;
  private final ListFactory<N, L> lists;
  private final AtomLexer<N> atoms;
  private final Function<N, InputFormatException> outsideList;
  private int pos;
  private int line = 1;
  private int col = 1;

  /**
   * @param outsideList the error for an atom that stands outside any list (each language words
   *     it its own way)
   */
  SExpressionReader(String text, Path file, ListFactory<N, L> lists, AtomLexer<N> atoms,
      Function<N, InputFormatException> outsideList) {
    this.text = text;
    this.file = file;
    this.lists = lists;
    this.atoms = atoms;
    this.outsideList = outsideList;
  }

  /**
   * The top-level lists, in file order (possibly none); afterwards {@link #line()} and
   * {@link #col()} are the end-of-file position.
   */
  List<L> parse() throws InputFormatException {
    List<L> top = new ArrayList<>();
    Deque<Open<N>> stack = new ArrayDeque<>();
    int len = text.length();
    if (len > 0 && text.charAt(0) == '\uFEFF') {
      pos = 1; // byte order mark
    }
    while (pos < len) {
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        lineBreak();
      } else if (c == '\r') {
        pos++;
        if (pos < len && text.charAt(pos) == '\n') {
          pos++;
        }
        lineBreak();
      } else if (c == ' ' || c == '\t' || c == '\f') {
        skip();
      } else if (c == ';') {
        while (pos < len && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
          skip();
        }
      } else if (c == '(') {
        if (stack.size() >= MAX_DEPTH) {
          throw error(line, col, "parentheses nested deeper than " + MAX_DEPTH + " levels");
        }
        stack.push(new Open<>(line, col));
        skip();
      } else if (c == ')') {
        if (stack.isEmpty()) {
          throw error(line, col, "unbalanced parentheses: this ')' has no matching '('");
        }
        Open<N> open = stack.pop();
        L list = lists.list(List.copyOf(open.items), open.line, open.col);
        if (stack.isEmpty()) {
          top.add(list);
        } else {
          stack.peek().items.add(list);
        }
        skip();
      } else {
        N atom = atoms.atom(this);
        if (stack.isEmpty()) {
          throw outsideList.apply(atom);
        }
        stack.peek().items.add(atom);
      }
    }
    if (!stack.isEmpty()) {
      // The outermost unclosed '(' names the command that swallowed the rest of the file.
      Open<N> outer = stack.peekLast();
      throw error(outer.line, outer.col, "unbalanced parentheses: this '(' is never closed ("
          + stack.size() + " ')' missing at the end of the file)");
    }
    return top;
  }

  // ---- cursor, for the atom lexers ------------------------------------------------------------

  boolean atEnd() {
    return pos >= text.length();
  }

  /** The character at the cursor; only when not {@link #atEnd()}. */
  char peek() {
    return text.charAt(pos);
  }

  int pos() {
    return pos;
  }

  int line() {
    return line;
  }

  int col() {
    return col;
  }

  /** Moves over one character of the current line. */
  void skip() {
    pos++;
    col++;
  }

  /** Notes that the characters just skipped ended a line. */
  void lineBreak() {
    line++;
    col = 1;
  }

  /**
   * Reads a plain symbol: the longest run of {@code symbolChar}s from the cursor, after refusing a
   * control character where the symbol would start.
   */
  String symbol(IntPredicate symbolChar) throws InputFormatException {
    char c = peek();
    if (Character.isISOControl(c)) {
      throw error(line, col, String.format("unexpected control character U+%04X", (int) c));
    }
    int start = pos;
    while (pos < text.length() && symbolChar.test(text.charAt(pos))) {
      skip();
    }
    if (pos == start) {
      // A character that is neither a separator of this loop nor a symbol character (VNN-LIB 2
      // refuses all Unicode white space, e.g. U+2003, in symbols): without this the parse would
      // add empty symbols forever.
      throw error(line, col, String.format("unexpected character U+%04X", (int) c));
    }
    return text.substring(start, pos);
  }

  InputFormatException error(int line, int col, String problem) {
    return new InputFormatException(file, line, col, problem);
  }

  // ---- atoms both languages share -------------------------------------------------------------

  /**
   * Whether symbol {@code x} is meant as a number: a digit, or a sign or point before a digit or
   * point. Such a symbol is read by {@link #number} (a malformed one is an error, not a name);
   * {@code -} and {@code +} alone stay operators.
   */
  static boolean numeric(String x) {
    char c0 = x.charAt(0);
    return Character.isDigit(c0) || ((c0 == '-' || c0 == '+' || c0 == '.')
        && x.length() > 1 && (Character.isDigit(x.charAt(1)) || x.charAt(1) == '.'));
  }

  /** The value of the {@link #numeric} symbol {@code x} written at {@code line:col}. */
  static double number(Path file, int line, int col, String x) throws InputFormatException {
    if (!NUMBER.matcher(x).matches()) {
      throw new InputFormatException(file, line, col, "bad number '" + clip(x) + "'");
    }
    double d = Double.parseDouble(x);
    if (!Double.isFinite(d)) {
      throw new InputFormatException(file, line, col, "number out of range: " + clip(x));
    }
    return d;
  }

  /** A token as the messages quote it: a long one cut, so it cannot swamp the message. */
  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
