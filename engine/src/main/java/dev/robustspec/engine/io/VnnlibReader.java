package dev.robustspec.engine.io;

import dev.robustspec.engine.io.VnnlibQuery.Equivalence;
import dev.robustspec.engine.io.VnnlibQuery.Kind;
import dev.robustspec.engine.io.VnnlibQuery.NetworkDecl;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import dev.robustspec.engine.logic.Comparison;
import dev.robustspec.engine.logic.Formula;
import dev.robustspec.engine.logic.LinearForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a VNN-COMP 1 property (the VNN-LIB subset of ACAS Xu, MNIST and alike: no version
 * header) into the one query model, a {@link VnnlibQuery} of version {@code "1.0"}: one network
 * with input {@code X [n]} and output {@code Y [m]}, each element declared on its own. Syntax
 * only: the asserts' normal form is the engine's one {@code logic.Dnf}, and the unsafe cases
 * are {@code query.QueryLowering}'s, as for VNN-LIB 2 ({@code query.VnnlibFiles} reads a file of
 * either version into a {@code Specification}).
 *
 * <h2>Semantics</h2>
 * The file declares inputs {@code X_0 .. X_{n-1}} (flattened input index) and outputs
 * {@code Y_0 .. Y_{m-1}} with {@code (declare-const X_0 Real)}; declarations must have no gaps.
 * The conjunction of all top-level {@code (assert ...)} describes the <em>unsafe</em> set: the
 * property holds iff that conjunction is unsatisfiable. Every term of its disjunctive normal
 * form becomes one unsafe case: its atoms over a single input and a constant give the case's
 * box (every input must end up with finite lower and upper bounds), its atoms over outputs the
 * case's output constraints. Terms whose box is empty hold no point and are dropped.
 *
 * <h2>Accepted subset</h2>
 * <ul>
 *   <li>{@code ;} comments, s-expressions, CRLF or LF line ends;
 *   <li>commands {@code declare-const NAME Real} (also {@code real}) and {@code assert}; the
 *       SMT-LIB commands {@code check-sat}, {@code get-model}, {@code exit}, {@code set-logic},
 *       {@code set-info}, {@code set-option} are accepted and ignored (they say nothing about the
 *       property);
 *   <li>formulas: {@code and}, {@code or} nested arbitrarily, {@code true}, {@code false}, and
 *       comparisons {@code <=, >=, <, >, =} of two linear terms. A strict comparison over outputs
 *       keeps its strictness in its {@link OutputConstraint} ({@code strict}): the passes close
 *       it, which only enlarges the unsafe set (proofs stay sound), and a counterexample is
 *       confirmed against the strict form. Strict bounds of a single input are closed in the
 *       box (a point on such a bound is still accepted); comparisons of constants are decided
 *       as written, strict ones strictly;
 *   <li>terms: variables, numbers (integers, decimals, scientific notation, a leading {@code -}),
 *       and the linear operators {@code (- t)}, {@code (- a b ...)}, {@code (+ ...)},
 *       {@code (* c t)} (at most one non-constant factor) and {@code (/ t c)}.
 * </ul>
 * Not supported yet: atoms relating two inputs, or an input and an output (clear error).
 *
 * <p>Errors are {@link InputFormatException}s with the 1-based line and column of the offending
 * token; no other exception escapes {@code query}. The DNF is capped at {@link #MAX_CASES} terms:
 * atoms asserted at the top level (MNIST has 1,568) are shared by every term instead of being
 * multiplied out, only the disjunctive asserts multiply. The cases come in a stable order
 * (asserts in file order, disjuncts in source order, the last disjunct varying fastest).
 */
public final class VnnlibReader {
  /** Most unsafe cases (DNF terms) a file may expand to. */
  public static final int MAX_CASES = 100_000;
  /** Deepest parenthesis nesting accepted (VNN-COMP files nest about 4 deep). */
  static final int MAX_DEPTH = SExpressionReader.MAX_DEPTH;
  /** Files larger than this are refused before reading (VNN-COMP MNIST files are ~75 KB). */
  private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf",
      "infinity", "+infinity", "-infinity");
  private static final Set<String> IGNORED_COMMANDS =
      Set.of("check-sat", "get-model", "exit", "set-logic", "set-info", "set-option");

  // ---- s-expressions -------------------------------------------------------------------------

  private sealed interface Node permits Sym, SList {
    int line();

    int col();
  }

  /** An atom token; {@code literal} marks a string {@code "..."} or quoted symbol {@code |...|}. */
  private record Sym(String text, boolean literal, int line, int col) implements Node {}

  private record SList(List<Node> items, int line, int col) implements Node {}

  /** A declared variable: input {@code X_index} or output {@code Y_index}. */
  private record Var(boolean input, int index, Sym declaration) {}

  // ---- state ---------------------------------------------------------------------------------

  private final String text;
  private final Path file;
  private final Map<String, Var> vars = new HashMap<>();
  private final Map<Integer, Sym> inputDecls = new HashMap<>();
  private final Map<Integer, Sym> outputDecls = new HashMap<>();
  private final AssertTerms asserts;
  private int eofLine = 1;
  private int eofCol = 1;

  private VnnlibReader(String text, Path file) {
    this.text = text;
    this.file = file;
    this.asserts = new AssertTerms(file, MAX_CASES);
  }

  /** The network name of a query read without one. */
  public static final String DEFAULT_NETWORK = "N";

  /** Reads {@code file} (UTF-8; bytes that are not are an error saying where). */
  public static VnnlibQuery query(Path file) throws InputFormatException {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new InputFormatException(file, "file too large for a VNN-LIB property: " + size
            + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      throw new InputFormatException(file, "cannot read the file: " + e);
    }
    return query(Utf8Text.decodeOrExplain(bytes, file), file, DEFAULT_NETWORK);
  }

  /**
   * Reads VNN-COMP 1 {@code text} as a query over the network {@code networkName};
   * {@code nameForMessages} only labels errors.
   */
  public static VnnlibQuery query(String text, Path nameForMessages, String networkName)
      throws InputFormatException {
    Objects.requireNonNull(text, "text");
    try {
      return new VnnlibReader(text, nameForMessages).run(networkName);
    } catch (RuntimeException e) {
      // Safety net so callers only ever see InputFormatException; tests treat it as a bug.
      throw new InputFormatException(nameForMessages, "internal error in the VNN-LIB reader: " + e);
    }
  }

  private VnnlibQuery run(String networkName) throws InputFormatException {
    List<SList> commands = parse();
    boolean sawAssert = false;
    for (SList cmd : commands) {
      if (cmd.items().isEmpty()) {
        throw err(cmd, "empty command '()'");
      }
      Sym head = headSymbol(cmd, "a command name");
      switch (head.text()) {
        case "declare-const" -> declare(cmd);
        case "assert" -> {
          if (cmd.items().size() != 2) {
            throw err(cmd, "assert takes exactly one formula, found " + (cmd.items().size() - 1));
          }
          asserts.add(formula(cmd.items().get(1)), new Pos(cmd.line(), cmd.col()));
          sawAssert = true;
        }
        default -> {
          if (!IGNORED_COMMANDS.contains(head.text())) {
            throw err(head, "unknown command '" + head.text()
                + "' (supported: declare-const, assert)");
          }
        }
      }
    }
    int n = checkContiguous(inputDecls, "X", "input");
    int m = checkContiguous(outputDecls, "Y", "output");
    if (!sawAssert) {
      throw new InputFormatException(file, eofLine, eofCol,
          "no (assert ...) in the file: there is no property to verify");
    }
    if (n == 0) {
      throw new InputFormatException(file, eofLine, eofCol,
          "no input variables declared (expected (declare-const X_0 Real) ...)");
    }
    if (m == 0) {
      throw new InputFormatException(file, eofLine, eofCol,
          "no output variables declared (expected (declare-const Y_0 Real) ...)");
    }
    return query(networkName, n, m);
  }

  /** The query model: X [n] and Y [m] of one network, every element at its declaration. */
  private VnnlibQuery query(String networkName, int n, int m) {
    Pos pos = new Pos(1, 1);
    VarDecl x = new VarDecl("X", Kind.INPUT, networkName, "real", new int[] {n}, null, false, 0,
        pos);
    VarDecl y = new VarDecl("Y", Kind.OUTPUT, networkName, "real", new int[] {m}, null, false, n,
        pos);
    NetworkDecl net = new NetworkDecl(networkName, Equivalence.NONE, null, List.of(x), List.of(),
        List.of(y), pos);
    List<Pos> elements = new ArrayList<>(n + m);
    for (int i = 0; i < n; i++) {
      elements.add(new Pos(inputDecls.get(i).line(), inputDecls.get(i).col()));
    }
    for (int j = 0; j < m; j++) {
      elements.add(new Pos(outputDecls.get(j).line(), outputDecls.get(j).col()));
    }
    // variable ids: input i is i, output j is ~j (the count of inputs is known only now)
    return new VnnlibQuery(file, "1.0", List.of(net), List.of(x, y),
        asserts.atoms(id -> id >= 0 ? id : n + ~id), asserts.common(), asserts.disjunctive(),
        asserts.disjunctivePositions(), elements);
  }

  // ---- s-expressions (structure shared with VNN-LIB 2 in SExpressionReader; atoms are ours) ---

  private List<SList> parse() throws InputFormatException {
    SExpressionReader<Node, SList> in = new SExpressionReader<>(text, file, SList::new,
        this::atom, sym -> err(sym, "expected '(' to start a command, found '"
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

  /** A symbol, or a string {@code "..."} / quoted symbol {@code |...|} kept with its quotes. */
  private Sym atom(SExpressionReader<Node, ?> in) throws InputFormatException {
    int startLine = in.line();
    int startCol = in.col();
    char c = in.peek();
    if (c != '"' && c != '|') {
      return new Sym(in.symbol(VnnlibReader::isSymbolChar), false, startLine, startCol);
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

  // ---- declarations --------------------------------------------------------------------------

  private void declare(SList cmd) throws InputFormatException {
    if (cmd.items().size() != 3) {
      throw err(cmd, "declare-const takes a name and a sort, e.g. (declare-const X_0 Real)");
    }
    if (!(cmd.items().get(1) instanceof Sym name) || name.literal()) {
      throw err(cmd.items().get(1), "expected a variable name such as X_0 or Y_0");
    }
    Node sortNode = cmd.items().get(2);
    if (!(sortNode instanceof Sym sort) || !(sort.text().equals("Real")
        || sort.text().equals("real"))) {
      throw err(sortNode, "unsupported sort " + show(sortNode) + ": only Real is supported");
    }
    int index = variableIndex(name.text());
    if (index < 0) {
      throw err(name, "unsupported variable name '" + clip(name.text())
          + "': variables are X_<i> (inputs) and Y_<j> (outputs), i and j without leading zeros");
    }
    Var previous = vars.get(name.text());
    if (previous != null) {
      throw err(name, "duplicate declaration of " + name.text() + " (first declared at line "
          + previous.declaration().line() + ", column " + previous.declaration().col() + ")");
    }
    boolean input = name.text().charAt(0) == 'X';
    vars.put(name.text(), new Var(input, index, name));
    (input ? inputDecls : outputDecls).put(index, name);
  }

  /** The index of {@code X_<i>} / {@code Y_<i>}, or -1 when the name has another shape. */
  private static int variableIndex(String s) {
    if (s.length() < 3 || s.length() > 10 || (s.charAt(0) != 'X' && s.charAt(0) != 'Y')
        || s.charAt(1) != '_') {
      return -1;
    }
    if (s.charAt(2) == '0' && s.length() > 3) {
      return -1; // X_01 would alias X_1
    }
    int v = 0;
    for (int k = 2; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0'); // at most 8 digits: no overflow
    }
    return v;
  }

  /** Returns the count, after checking the indices are exactly 0..count-1. */
  private int checkContiguous(Map<Integer, Sym> decls, String prefix, String kind)
      throws InputFormatException {
    int count = decls.size();
    for (int k = 0; k < count; k++) {
      if (!decls.containsKey(k)) {
        int next = Integer.MAX_VALUE;
        for (int idx : decls.keySet()) {
          if (idx > k && idx < next) {
            next = idx;
          }
        }
        throw err(decls.get(next), prefix + "_" + next + " is declared but " + prefix + "_" + k
            + " is not: " + kind + "s must be " + prefix + "_0 .. " + prefix + "_" + (count - 1)
            + " without gaps");
      }
    }
    return count;
  }

  // ---- formulas (their normal form is logic.Dnf's, through AssertTerms) --------------------

  private Formula formula(Node f) throws InputFormatException {
    if (f instanceof Sym s) {
      Pos pos = new Pos(s.line(), s.col());
      if (!s.literal() && s.text().equals("true")) {
        return new Formula.Const(true, pos);
      }
      if (!s.literal() && s.text().equals("false")) {
        return new Formula.Const(false, pos);
      }
      throw err(s, "expected a formula such as (<= X_0 1.0), (and ...) or (or ...), found '"
          + clip(s.text()) + "'");
    }
    SList l = (SList) f;
    if (l.items().isEmpty()) {
      throw err(l, "empty formula '()'");
    }
    Sym head = headSymbol(l, "a function symbol");
    switch (head.text()) {
      case "and", "or" -> {
        requireArgs(l, head);
        List<Formula> parts = new ArrayList<>(l.items().size() - 1);
        for (int k = 1; k < l.items().size(); k++) {
          parts.add(formula(l.items().get(k)));
        }
        Pos pos = new Pos(l.line(), l.col());
        return head.text().equals("and") ? new Formula.And(parts, pos)
            : new Formula.Or(parts, pos);
      }
      case "<=", ">=", "<", ">", "=" -> {
        return comparison(l, head);
      }
      case "not", "=>", "xor", "ite", "distinct" -> throw err(head,
          "'" + head.text() + "' is not supported (a formula uses and, or, <=, >=, <, >, =)");
      default -> throw err(head, "unknown function symbol '" + clip(head.text())
          + "' (a formula uses and, or, <=, >=, <, >, =)");
    }
  }

  private void requireArgs(SList l, Sym head) throws InputFormatException {
    if (l.items().size() < 2) {
      throw err(l, "'" + head.text() + "' needs at least one argument");
    }
  }

  /**
   * A comparison of two linear terms; the VNN-COMP 1 subset relates an input only to
   * constants, and outputs only to outputs and constants.
   */
  private Formula comparison(SList l, Sym head) throws InputFormatException {
    if (l.items().size() != 3) {
      throw err(l, "'" + head.text() + "' takes exactly two arguments, found "
          + (l.items().size() - 1));
    }
    LinearForm left = term(l.items().get(1));
    LinearForm right = term(l.items().get(2));
    Comparison op = Comparison.of(head.text());
    LinearForm d = op.difference(left, right);
    if (!d.isFinite()) {
      throw err(l, "number out of range in " + show(l));
    }
    int inputs = 0;
    int outputs = 0;
    for (Map.Entry<Integer, Double> e : d.coefficients().entrySet()) {
      if (e.getValue() != 0.0) {
        if (e.getKey() >= 0) {
          inputs++;
        } else {
          outputs++;
        }
      }
    }
    if (inputs > 0 && outputs > 0) {
      throw err(l, "constraints between two variables are not supported yet when they mix "
          + "an input and an output: " + show(l));
    }
    if (inputs > 1) {
      throw err(l, "input constraints between two variables are not supported yet: "
          + show(l));
    }
    return asserts.comparison(op, left, right, new Pos(l.line(), l.col()));
  }

  // ---- linear terms --------------------------------------------------------------------------

  private LinearForm term(Node t) throws InputFormatException {
    if (t instanceof Sym s) {
      if (s.literal()) {
        throw err(s, "unexpected " + (s.text().startsWith("\"") ? "string " : "quoted symbol ")
            + clip(s.text()) + " in a term");
      }
      String x = s.text();
      if (NON_FINITE.contains(x.toLowerCase(Locale.ROOT))) {
        throw err(s, "NaN and infinite values are not allowed: '" + x + "'");
      }
      char c0 = x.charAt(0);
      boolean numeric = Character.isDigit(c0) || ((c0 == '-' || c0 == '+' || c0 == '.')
          && x.length() > 1 && (Character.isDigit(x.charAt(1)) || x.charAt(1) == '.'));
      if (numeric) {
        return LinearForm.constant(number(s));
      }
      Var v = vars.get(x);
      if (v == null) {
        throw err(s, variableIndex(x) >= 0
            ? "undeclared variable " + x + " (declare it first with (declare-const " + x + " Real))"
            : "undeclared variable or unknown symbol '" + clip(x) + "'");
      }
      return LinearForm.variable(v.input() ? v.index() : ~v.index());
    }
    SList l = (SList) t;
    if (l.items().isEmpty()) {
      throw err(l, "empty term '()'");
    }
    Sym head = headSymbol(l, "a function symbol");
    int argc = l.items().size() - 1;
    switch (head.text()) {
      case "-" -> {
        requireArgs(l, head);
        LinearForm first = term(l.items().get(1));
        if (argc == 1) {
          return first.scaled(-1);
        }
        for (int k = 2; k <= argc; k++) {
          first.add(term(l.items().get(k)).scaled(-1));
        }
        return first;
      }
      case "+" -> {
        requireArgs(l, head);
        LinearForm sum = LinearForm.zero();
        for (int k = 1; k <= argc; k++) {
          sum.add(term(l.items().get(k)));
        }
        return sum;
      }
      case "*" -> {
        requireArgs(l, head);
        LinearForm prod = null;
        double factor = 1;
        for (int k = 1; k <= argc; k++) {
          LinearForm f = term(l.items().get(k));
          if (f.isConstant()) {
            factor *= f.constant();
          } else if (prod == null) {
            prod = f;
          } else {
            throw err(l, "nonlinear term (a product of two variables): " + show(l));
          }
        }
        if (prod == null) {
          return LinearForm.constant(factor);
        }
        return prod.scaled(factor);
      }
      case "/" -> {
        if (argc != 2) {
          throw err(l, "'/' takes exactly two arguments");
        }
        LinearForm num = term(l.items().get(1));
        LinearForm den = term(l.items().get(2));
        if (!den.isConstant() || den.constant() == 0) {
          throw err(l.items().get(2), "'/' needs a non-zero constant divisor");
        }
        return num.scaled(1 / den.constant());
      }
      default -> throw err(head, "unknown function symbol '" + clip(head.text())
          + "' in a term (supported: +, -, *, /)");
    }
  }

  private double number(Sym s) throws InputFormatException {
    if (!NUMBER.matcher(s.text()).matches()) {
      throw err(s, "bad number '" + clip(s.text()) + "'");
    }
    double d = Double.parseDouble(s.text());
    if (!Double.isFinite(d)) {
      throw err(s, "number out of range: " + clip(s.text()));
    }
    return d;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Sym headSymbol(SList l, String what) throws InputFormatException {
    Node head = l.items().get(0);
    if (!(head instanceof Sym s) || s.literal()) {
      throw err(head, "expected " + what + " after '(', found " + show(head));
    }
    return s;
  }

  private InputFormatException err(Node n, String problem) {
    return new InputFormatException(file, n.line(), n.col(), problem);
  }

  /** The node's source-like rendering, clipped for messages. */
  private static String show(Node n) {
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

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
