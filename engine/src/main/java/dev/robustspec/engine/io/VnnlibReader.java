package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.SExpressionReader.clip;
import static dev.robustspec.engine.io.Vnnlib1Syntax.headSymbol;
import static dev.robustspec.engine.io.Vnnlib1Syntax.show;

import dev.robustspec.engine.io.Vnnlib1Syntax.Node;
import dev.robustspec.engine.io.Vnnlib1Syntax.SList;
import dev.robustspec.engine.io.Vnnlib1Syntax.Sym;
import dev.robustspec.engine.io.VnnlibQuery.Equivalence;
import dev.robustspec.engine.io.VnnlibQuery.Kind;
import dev.robustspec.engine.io.VnnlibQuery.NetworkDecl;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 *
 * <p>This class reads the commands and declarations; the text's syntax tree is
 * {@link Vnnlib1Syntax}'s, the asserts' formulas and terms {@link Vnnlib1Terms}'.
 */
public final class VnnlibReader {
  /** Most unsafe cases (DNF terms) a file may expand to. */
  public static final int MAX_CASES = 100_000;
  /** Deepest parenthesis nesting accepted (VNN-COMP files nest about 4 deep). */
  static final int MAX_DEPTH = SExpressionReader.MAX_DEPTH;
  /** Files larger than this are refused before reading (VNN-COMP MNIST files are ~75 KB). */
  private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  private static final Set<String> IGNORED_COMMANDS =
      Set.of("check-sat", "get-model", "exit", "set-logic", "set-info", "set-option");

  /** A declared variable: input {@code X_index} or output {@code Y_index}. */
  record Var(boolean input, int index, Sym declaration) {}

  // ---- state ---------------------------------------------------------------------------------

  private final String text;
  private final Path file;
  private final Map<String, Var> vars = new HashMap<>();
  private final Map<Integer, Sym> inputDecls = new HashMap<>();
  private final Map<Integer, Sym> outputDecls = new HashMap<>();
  private final AssertTerms asserts;
  private final Vnnlib1Terms terms;

  private VnnlibReader(String text, Path file) {
    this.text = text;
    this.file = file;
    this.asserts = new AssertTerms(file, MAX_CASES);
    this.terms = new Vnnlib1Terms(file, vars, asserts);
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
    Vnnlib1Syntax syntax = new Vnnlib1Syntax(text, file);
    List<SList> commands = syntax.parse();
    boolean sawAssert = false;
    for (SList cmd : commands) {
      if (cmd.items().isEmpty()) {
        throw err(cmd, "empty command '()'");
      }
      Sym head = headSymbol(file, cmd, "a command name");
      switch (head.text()) {
        case "declare-const" -> declare(cmd);
        case "assert" -> {
          if (cmd.items().size() != 2) {
            throw err(cmd, "assert takes exactly one formula, found " + (cmd.items().size() - 1));
          }
          asserts.add(terms.formula(cmd.items().get(1)), new Pos(cmd.line(), cmd.col()));
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
      throw new InputFormatException(file, syntax.eofLine(), syntax.eofCol(),
          "no (assert ...) in the file: there is no property to verify");
    }
    if (n == 0) {
      throw new InputFormatException(file, syntax.eofLine(), syntax.eofCol(),
          "no input variables declared (expected (declare-const X_0 Real) ...)");
    }
    if (m == 0) {
      throw new InputFormatException(file, syntax.eofLine(), syntax.eofCol(),
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
  static int variableIndex(String s) {
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

  private InputFormatException err(Node n, String problem) {
    return Vnnlib1Syntax.error(file, n, problem);
  }
}
