package dev.robustspec.engine.io;

import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a VNN-LIB property (the subset used by VNN-COMP: ACAS Xu, MNIST and alike) into a
 * {@link Specification}.
 *
 * <h2>Semantics</h2>
 * The file declares inputs {@code X_0 .. X_{n-1}} (flattened input index) and outputs
 * {@code Y_0 .. Y_{m-1}} with {@code (declare-const X_0 Real)}; declarations must have no gaps.
 * The conjunction of all top-level {@code (assert ...)} describes the <em>unsafe</em> set: the
 * property holds iff that conjunction is unsatisfiable. The reader brings the conjunction into
 * disjunctive normal form; every DNF term becomes one {@link UnsafeCase}: its atoms over a single
 * input and a constant give the case's box (every input must end up with finite lower and upper
 * bounds), its atoms over outputs give the case's {@link OutputConstraint}s. Terms whose box is
 * empty hold no point and are dropped.
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
 * token; no other exception escapes {@code read}. The DNF is capped at {@link #MAX_CASES} terms:
 * atoms asserted at the top level (MNIST has 1,568) are shared by every term instead of being
 * multiplied out, only the disjunctive asserts multiply.
 *
 * <p>The per-term information stays available in the result: {@link Specification#cases()} lists
 * one case per surviving DNF term, in a stable order (asserts in file order, disjuncts in source
 * order, the last disjunctive assert varying fastest), and cases over the same input term share
 * one {@link Box} instance ({@link Specification#regions()} gives the distinct ones).
 */
public final class VnnlibReader {
  /** Most unsafe cases (DNF terms) a file may expand to. */
  public static final int MAX_CASES = 100_000;
  /** Deepest parenthesis nesting accepted (VNN-COMP files nest about 4 deep). */
  static final int MAX_DEPTH = SExpressionReader.MAX_DEPTH;
  /** Total atom references the DNF may allocate, so a pathological file cannot exhaust memory. */
  private static final long MAX_ATOM_REFS = 10_000_000;
  /** Total box bounds (distinct boxes x inputs) the lowering may allocate. */
  private static final long MAX_BOX_DOUBLES = 20_000_000;
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

  /** A lowered atom: an input bound ({@code x_var <= value} or {@code >=}) or an output row. */
  private record Atom(boolean input, int var, boolean upper, double value, int[] outVars,
      double[] outCoefs, double bound, boolean strict) {}

  /** A linear term {@code sum coefs[v] * v + constant}; keys: input i -> i, output j -> ~j. */
  private static final class Lin {
    final LinkedHashMap<Integer, Double> coefs = new LinkedHashMap<>(4);
    double constant;

    Lin scaled(double k) {
      Lin r = new Lin();
      r.constant = constant * k;
      for (Map.Entry<Integer, Double> e : coefs.entrySet()) {
        r.coefs.put(e.getKey(), e.getValue() * k);
      }
      return r;
    }

    void add(Lin o) {
      constant += o.constant;
      for (Map.Entry<Integer, Double> e : o.coefs.entrySet()) {
        coefs.merge(e.getKey(), e.getValue(), Double::sum);
      }
    }
  }

  // ---- state ---------------------------------------------------------------------------------

  private final String text;
  private final Path file;
  private final Map<String, Var> vars = new HashMap<>();
  private final Map<Integer, Sym> inputDecls = new HashMap<>();
  private final Map<Integer, Sym> outputDecls = new HashMap<>();
  private final List<Atom> atoms = new ArrayList<>();
  private long atomRefBudget = MAX_ATOM_REFS;
  private int eofLine = 1;
  private int eofCol = 1;

  private VnnlibReader(String text, Path file) {
    this.text = text;
    this.file = file;
  }

  /** Reads and lowers {@code file} (UTF-8; bytes that are not are an error saying where). */
  public static Specification read(Path file) throws InputFormatException {
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
    return read(Utf8Text.decodeOrExplain(bytes, file), file);
  }

  /** Reads and lowers VNN-LIB {@code text}; {@code nameForMessages} only labels errors. */
  public static Specification read(String text, Path nameForMessages)
      throws InputFormatException {
    Objects.requireNonNull(text, "text");
    try {
      return new VnnlibReader(text, nameForMessages).run();
    } catch (RuntimeException e) {
      // Safety net so callers only ever see InputFormatException; tests treat it as a bug.
      throw new InputFormatException(nameForMessages, "internal error in the VNN-LIB reader: " + e);
    }
  }

  private Specification run() throws InputFormatException {
    List<SList> commands = parse();
    List<List<int[]>> asserts = new ArrayList<>();
    List<SList> assertNodes = new ArrayList<>();
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
          asserts.add(dnf(cmd.items().get(1)));
          assertNodes.add(cmd);
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
    if (asserts.isEmpty()) {
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
    return lower(n, m, asserts, assertNodes);
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

  // ---- formulas to DNF (lists of terms; a term is an array of atom ids) ----------------------

  private List<int[]> dnf(Node f) throws InputFormatException {
    if (f instanceof Sym s) {
      if (!s.literal() && s.text().equals("true")) {
        return List.of(new int[0]);
      }
      if (!s.literal() && s.text().equals("false")) {
        return List.of();
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
      case "and" -> {
        requireArgs(l, head);
        // Single-term children (atoms, conjunctions) are gathered first, so a long flat
        // (and ...) costs linear time; only the disjunctive children multiply.
        List<Integer> shared = new ArrayList<>();
        List<List<int[]>> multi = new ArrayList<>();
        for (int k = 1; k < l.items().size(); k++) {
          List<int[]> child = dnf(l.items().get(k));
          if (child.isEmpty()) {
            return List.of(); // a false conjunct makes the whole conjunction false
          } else if (child.size() == 1) {
            for (int id : child.get(0)) {
              shared.add(id);
            }
          } else {
            multi.add(child);
          }
        }
        int[] base = new int[shared.size()];
        for (int k = 0; k < base.length; k++) {
          base[k] = shared.get(k);
        }
        spendRefs(base.length, l);
        List<int[]> acc = List.of(base);
        for (List<int[]> child : multi) {
          acc = product(acc, child, l);
        }
        return acc;
      }
      case "or" -> {
        requireArgs(l, head);
        List<int[]> out = new ArrayList<>();
        for (int k = 1; k < l.items().size(); k++) {
          out.addAll(dnf(l.items().get(k)));
          if (out.size() > MAX_CASES) {
            throw err(l, "this 'or' expands to more than " + MAX_CASES + " cases");
          }
        }
        return out;
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

  private List<int[]> product(List<int[]> a, List<int[]> b, SList where)
      throws InputFormatException {
    if (a.size() == 1 && a.get(0).length == 0) {
      return b; // neutral element: avoids copying in the common (and ...) case
    }
    if ((long) a.size() * b.size() > MAX_CASES) {
      throw err(where, "this 'and' of disjunctions expands to more than " + MAX_CASES + " cases");
    }
    long refs = 0;
    for (int[] x : a) {
      refs += (long) x.length * b.size();
    }
    for (int[] y : b) {
      refs += (long) y.length * a.size();
    }
    spendRefs(refs, where);
    List<int[]> out = new ArrayList<>(a.size() * b.size());
    for (int[] x : a) {
      for (int[] y : b) {
        int[] t = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, t, x.length, y.length);
        out.add(t);
      }
    }
    return out;
  }

  private void spendRefs(long refs, Node where) throws InputFormatException {
    atomRefBudget -= refs;
    if (atomRefBudget < 0) {
      throw err(where, "the formula is too large to expand into cases");
    }
  }

  private void requireArgs(SList l, Sym head) throws InputFormatException {
    if (l.items().size() < 2) {
      throw err(l, "'" + head.text() + "' needs at least one argument");
    }
  }

  private List<int[]> comparison(SList l, Sym head) throws InputFormatException {
    if (l.items().size() != 3) {
      throw err(l, "'" + head.text() + "' takes exactly two arguments, found "
          + (l.items().size() - 1));
    }
    Lin left = term(l.items().get(1));
    Lin right = term(l.items().get(2));
    String op = head.text();
    // Everything becomes "lin <= 0" or, for < and >, "lin < 0" (see the class comment).
    if (op.equals("=")) {
      Lin le = difference(left, right);
      Lin ge = difference(right, left);
      List<int[]> a = atomOf(le, false, l);
      List<int[]> b = atomOf(ge, false, l);
      return product(a, b, l);
    }
    boolean lessThan = op.equals("<=") || op.equals("<");
    boolean strict = op.equals("<") || op.equals(">");
    return atomOf(lessThan ? difference(left, right) : difference(right, left), strict, l);
  }

  private static Lin difference(Lin a, Lin b) {
    Lin r = a.scaled(1);
    r.add(b.scaled(-1));
    return r;
  }

  /**
   * Lowers {@code lin <= 0} ({@code lin < 0} when {@code strict}) to a one-term DNF with one atom
   * (or true/false when constant).
   */
  private List<int[]> atomOf(Lin lin, boolean strict, SList where) throws InputFormatException {
    lin.coefs.values().removeIf(c -> c == 0.0);
    if (!Double.isFinite(lin.constant)) {
      throw err(where, "number out of range in " + show(where));
    }
    int inputs = 0;
    int outputs = 0;
    for (Map.Entry<Integer, Double> e : lin.coefs.entrySet()) {
      if (!Double.isFinite(e.getValue())) {
        throw err(where, "number out of range in " + show(where));
      }
      if (e.getKey() >= 0) {
        inputs++;
      } else {
        outputs++;
      }
    }
    if (inputs == 0 && outputs == 0) {
      boolean holds = strict ? lin.constant < 0 : lin.constant <= 0;
      return holds ? List.of(new int[0]) : List.of();
    }
    if (inputs > 0 && outputs > 0) {
      throw err(where, "constraints between two variables are not supported yet when they mix "
          + "an input and an output: " + show(where));
    }
    if (inputs > 1) {
      throw err(where, "input constraints between two variables are not supported yet: "
          + show(where));
    }
    Atom atom;
    if (inputs == 1) {
      Map.Entry<Integer, Double> e = lin.coefs.entrySet().iterator().next();
      double a = e.getValue();
      // a*x + c <= 0  ->  x <= -c/a (a > 0) or x >= -c/a (a < 0); "+ 0.0" turns -0.0 into 0.0.
      double value = (0.0 - lin.constant) / a + 0.0;
      if (!Double.isFinite(value)) {
        throw err(where, "number out of range in " + show(where));
      }
      atom = new Atom(true, e.getKey(), a > 0, value, null, null, 0, strict);
    } else {
      int[] outVars = new int[outputs];
      double[] outCoefs = new double[outputs];
      int k = 0;
      for (Map.Entry<Integer, Double> e : lin.coefs.entrySet()) {
        outVars[k] = ~e.getKey();
        outCoefs[k] = e.getValue() + 0.0;
        k++;
      }
      atom = new Atom(false, -1, false, 0, outVars, outCoefs, 0.0 - lin.constant + 0.0, strict);
    }
    atoms.add(atom);
    spendRefs(1, where);
    return List.of(new int[] {atoms.size() - 1});
  }

  // ---- linear terms --------------------------------------------------------------------------

  private Lin term(Node t) throws InputFormatException {
    if (t instanceof Sym s) {
      if (s.literal()) {
        throw err(s, "unexpected " + (s.text().startsWith("\"") ? "string " : "quoted symbol ")
            + clip(s.text()) + " in a term");
      }
      Lin r = new Lin();
      String x = s.text();
      if (NON_FINITE.contains(x.toLowerCase(Locale.ROOT))) {
        throw err(s, "NaN and infinite values are not allowed: '" + x + "'");
      }
      char c0 = x.charAt(0);
      boolean numeric = Character.isDigit(c0) || ((c0 == '-' || c0 == '+' || c0 == '.')
          && x.length() > 1 && (Character.isDigit(x.charAt(1)) || x.charAt(1) == '.'));
      if (numeric) {
        r.constant = number(s);
        return r;
      }
      Var v = vars.get(x);
      if (v == null) {
        throw err(s, variableIndex(x) >= 0
            ? "undeclared variable " + x + " (declare it first with (declare-const " + x + " Real))"
            : "undeclared variable or unknown symbol '" + clip(x) + "'");
      }
      r.coefs.put(v.input() ? v.index() : ~v.index(), 1.0);
      return r;
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
        Lin first = term(l.items().get(1));
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
        Lin sum = new Lin();
        for (int k = 1; k <= argc; k++) {
          sum.add(term(l.items().get(k)));
        }
        return sum;
      }
      case "*" -> {
        requireArgs(l, head);
        Lin prod = null;
        double factor = 1;
        for (int k = 1; k <= argc; k++) {
          Lin f = term(l.items().get(k));
          if (f.coefs.isEmpty()) {
            factor *= f.constant;
          } else if (prod == null) {
            prod = f;
          } else {
            throw err(l, "nonlinear term (a product of two variables): " + show(l));
          }
        }
        if (prod == null) {
          Lin r = new Lin();
          r.constant = factor;
          return r;
        }
        return prod.scaled(factor);
      }
      case "/" -> {
        if (argc != 2) {
          throw err(l, "'/' takes exactly two arguments");
        }
        Lin num = term(l.items().get(1));
        Lin den = term(l.items().get(2));
        if (!den.coefs.isEmpty() || den.constant == 0) {
          throw err(l.items().get(2), "'/' needs a non-zero constant divisor");
        }
        return num.scaled(1 / den.constant);
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

  // ---- lowering of the DNF into unsafe cases -------------------------------------------------

  private Specification lower(int n, int m, List<List<int[]>> asserts, List<SList> assertNodes)
      throws InputFormatException {
    // Single-term asserts (plain atoms, conjunctions) are shared by every case; only the
    // disjunctive ones multiply.
    List<Integer> common = new ArrayList<>();
    List<List<int[]>> disjunctive = new ArrayList<>();
    long total = 1;
    for (int a = 0; a < asserts.size(); a++) {
      List<int[]> terms = asserts.get(a);
      if (terms.isEmpty()) {
        return new Specification(n, m, List.of()); // an assert is false: nothing is unsafe
      }
      if (terms.size() == 1) {
        for (int id : terms.get(0)) {
          common.add(id);
        }
      } else {
        total *= terms.size();
        if (total > MAX_CASES) {
          throw err(assertNodes.get(a), "the asserts expand to more than " + MAX_CASES
              + " cases (disjunctions multiply)");
        }
        disjunctive.add(terms);
      }
    }

    double[] lower = new double[n];
    double[] upper = new double[n];
    Arrays.fill(lower, Double.NEGATIVE_INFINITY);
    Arrays.fill(upper, Double.POSITIVE_INFINITY);
    List<Integer> commonOutputs = new ArrayList<>();
    for (int id : common) {
      Atom atom = atoms.get(id);
      if (atom.input()) {
        apply(atom, lower, upper);
      } else {
        commonOutputs.add(id);
      }
    }
    Box commonBox = new Box(lower, upper);
    if (commonBox.isEmpty()) {
      return new Specification(n, m, List.of());
    }

    Map<List<Integer>, Box> boxes = new HashMap<>(); // by the term's input atoms; null = empty
    Map<Integer, OutputConstraint> rows = new HashMap<>();
    long boxDoubles = 2L * n;
    boolean commonChecked = false;
    List<UnsafeCase> cases = new ArrayList<>();
    int[] choice = new int[disjunctive.size()]; // odometer over one term per disjunctive assert
    while (true) {
      List<Integer> inputIds = new ArrayList<>();
      LinkedHashSet<Integer> outputIds = new LinkedHashSet<>(commonOutputs);
      for (int d = 0; d < choice.length; d++) {
        for (int id : disjunctive.get(d).get(choice[d])) {
          if (atoms.get(id).input()) {
            inputIds.add(id);
          } else {
            outputIds.add(id);
          }
        }
      }
      Box box;
      if (inputIds.isEmpty()) {
        box = commonBox;
        if (!commonChecked) {
          requireFiniteBounds(box);
          commonChecked = true;
        }
      } else {
        inputIds.sort(null);
        if (boxes.containsKey(inputIds)) {
          box = boxes.get(inputIds);
        } else {
          boxDoubles += 2L * n;
          if (boxDoubles > MAX_BOX_DOUBLES) {
            throw new InputFormatException(file, assertNodes.get(0).line(),
                assertNodes.get(0).col(), "the input region splits into too many boxes");
          }
          double[] lo = lower.clone();
          double[] hi = upper.clone();
          for (int id : inputIds) {
            apply(atoms.get(id), lo, hi);
          }
          box = new Box(lo, hi);
          if (box.isEmpty()) {
            box = null; // holds no point: every case over it is dropped
          } else {
            requireFiniteBounds(box);
          }
          boxes.put(inputIds, box);
        }
      }
      if (box != null) {
        List<OutputConstraint> constraints = new ArrayList<>(outputIds.size());
        for (int id : outputIds) {
          constraints.add(rows.computeIfAbsent(id, k -> row(atoms.get(k), m)));
        }
        cases.add(new UnsafeCase(box, constraints));
      }
      int d = choice.length - 1;
      while (d >= 0 && ++choice[d] == disjunctive.get(d).size()) {
        choice[d] = 0;
        d--;
      }
      if (d < 0) {
        break;
      }
    }
    return new Specification(n, m, cases);
  }

  private static void apply(Atom atom, double[] lower, double[] upper) {
    if (atom.upper()) {
      upper[atom.var()] = Math.min(upper[atom.var()], atom.value());
    } else {
      lower[atom.var()] = Math.max(lower[atom.var()], atom.value());
    }
  }

  private static OutputConstraint row(Atom atom, int m) {
    double[] c = new double[m];
    for (int k = 0; k < atom.outVars().length; k++) {
      c[atom.outVars()[k]] += atom.outCoefs()[k];
    }
    return new OutputConstraint(c, atom.bound(), atom.strict());
  }

  private void requireFiniteBounds(Box box) throws InputFormatException {
    for (int i = 0; i < box.dimension(); i++) {
      boolean noLower = box.lower()[i] == Double.NEGATIVE_INFINITY;
      if (noLower || box.upper()[i] == Double.POSITIVE_INFINITY) {
        String which = noLower ? "lower" : "upper";
        throw err(inputDecls.get(i), "input X_" + i + " has no " + which + " bound: add (assert ("
            + (noLower ? ">=" : "<=") + " X_" + i + " ...)) so the input region is a bounded box");
      }
    }
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
