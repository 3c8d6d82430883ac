package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.SExpressionReader.clip;
import static dev.robustspec.engine.io.Vnnlib2Syntax.describe;

import dev.robustspec.engine.io.Vnnlib2Syntax.Node;
import dev.robustspec.engine.io.Vnnlib2Syntax.SList;
import dev.robustspec.engine.io.Vnnlib2Syntax.Shape;
import dev.robustspec.engine.io.Vnnlib2Syntax.Str;
import dev.robustspec.engine.io.Vnnlib2Syntax.Sym;
import dev.robustspec.engine.io.VnnlibQuery.Equivalence;
import dev.robustspec.engine.io.VnnlibQuery.Kind;
import dev.robustspec.engine.io.VnnlibQuery.NetworkDecl;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads a VNN-LIB 2.0 / 2.1 query (grammar {@code syntax/grammar.cf} of the standard's repository
 * {@code VNNLIB/VNNLIB-Standard}) into a {@link VnnlibQuery}: network declarations with typed,
 * shaped inputs / hidden nodes / outputs, and the asserts linearised and brought into DNF.
 *
 * <p>Accepted: {@code (vnnlib-version <2.0>)} or {@code <2.1>} first; {@code declare-network}
 * with an optional {@code equal-to} / {@code isomorphic-to}, {@code declare-input} (2.1's
 * {@code initialized} option is parsed), {@code declare-hidden} (with its ONNX node name),
 * {@code declare-output}; element types {@code Real}/{@code real} and the ONNX type names;
 * tensor elements {@code X[0,2]} (scalars without brackets); numbers with an optional sign,
 * decimals and exponents; n-ary {@code + - *}, unary {@code -}; {@code and}, {@code or}; the six
 * comparisons {@code <= >= < > == !=} (also {@code =}). Strict comparisons stay strict in the
 * atoms: passes that bound a closed set are sound for them, and a counterexample is checked
 * against the strict form.
 *
 * <p>Rejected with a clear message (file:line:column): anything outside the grammar, unknown
 * names, indices out of range, products of two variables ("POLY"), and the constructs the
 * engine cannot verify yet, named by the standard's theory (see {@link Theories}). No exception
 * other than {@link InputFormatException} leaves {@link #read}.
 *
 * <p>This class reads the commands and declarations; the text's syntax tree is
 * {@link Vnnlib2Syntax}'s, the asserts' formulas and terms {@link Vnnlib2Terms}'.
 */
public final class Vnnlib2Reader {
  /** Most DNF terms one assert may expand to. */
  public static final int MAX_TERMS = 100_000;
  private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;
  /** Most tensor elements the declarations may add up to (slots). */
  private static final long MAX_SLOTS = 1L << 24;
  private static final Pattern VERSION = Pattern.compile("<([0-9]+)\\.([0-9]+)>");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final String text;
  private final Path file;
  private final Map<String, VarDecl> vars = new HashMap<>();
  private final Map<String, NetworkDecl> networks = new LinkedHashMap<>();
  private final List<VarDecl> order = new ArrayList<>();
  private final AssertTerms asserts;
  private final Vnnlib2Terms terms;
  private int slots;

  private Vnnlib2Reader(String text, Path file) {
    this.text = text;
    this.file = file;
    this.asserts = new AssertTerms(file, MAX_TERMS);
    this.terms = new Vnnlib2Terms(file, vars, networks.keySet(), asserts);
  }

  /**
   * True when the text starts (after comments and white space) with {@code (vnnlib-version}:
   * the version header decides between this reader and the VNN-COMP 1 {@link VnnlibReader}.
   */
  public static boolean hasVersionHeader(String text) {
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ';') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c) || c == '\uFEFF') {
        i++;
      } else {
        break;
      }
    }
    if (i >= n || text.charAt(i) != '(') {
      return false;
    }
    i++;
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return text.startsWith("vnnlib-version", i);
  }

  /** Reads a file (UTF-8). */
  public static VnnlibQuery read(Path file) throws InputFormatException {
    Objects.requireNonNull(file, "file");
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new InputFormatException(file, "file too large for a VNN-LIB query: " + size
            + " bytes");
      }
      return read(Utf8Text.decodeOrExplain(Files.readAllBytes(file), file), file);
    } catch (IOException | SecurityException e) {
      throw new InputFormatException(file, "cannot read the file: " + e);
    }
  }

  /** Reads {@code text}; {@code nameForMessages} labels errors. */
  public static VnnlibQuery read(String text, Path nameForMessages) throws InputFormatException {
    Objects.requireNonNull(text, "text");
    try {
      return new Vnnlib2Reader(text, nameForMessages).run();
    } catch (RuntimeException | StackOverflowError e) {
      // Safety net: callers only ever see InputFormatException; tests treat this as a bug.
      throw new InputFormatException(nameForMessages, "internal error in the VNN-LIB 2 reader: "
          + e);
    }
  }

  private VnnlibQuery run() throws InputFormatException {
    Vnnlib2Syntax syntax = new Vnnlib2Syntax(text, file);
    List<SList> commands = syntax.parse();
    if (commands.isEmpty()) {
      throw new InputFormatException(file, 1, 1, "the file is empty: expected (vnnlib-version"
          + " <2.0>), network declarations and asserts");
    }
    String version = version(commands.get(0));
    boolean sawAssert = false;
    for (int k = 1; k < commands.size(); k++) {
      SList cmd = commands.get(k);
      Sym head = head(cmd, "a command");
      switch (head.text()) {
        case "declare-network" -> {
          if (sawAssert) {
            throw err(cmd, "network declarations must come before the asserts (the standard"
                + " does not allow interleaving them)");
          }
          declareNetwork(cmd);
        }
        case "assert" -> {
          if (networks.isEmpty()) {
            throw err(cmd, "assert before any (declare-network ...)");
          }
          sawAssert = true;
          if (cmd.items().size() != 2) {
            throw err(cmd, "assert takes exactly one formula, found " + (cmd.items().size() - 1));
          }
          asserts.add(terms.formula(cmd.items().get(1)), new Pos(cmd.line(), cmd.col()));
        }
        case "vnnlib-version" -> throw err(cmd, "a second vnnlib-version");
        case "declare-const" -> throw err(head, "declare-const is VNN-LIB 1 syntax; in VNN-LIB "
            + version + " variables are declared inside (declare-network ...)");
        default -> throw err(head, "unknown command '" + clip(head.text())
            + "' (a VNN-LIB 2 query has declare-network and assert)");
      }
    }
    if (networks.isEmpty()) {
      throw new InputFormatException(file, syntax.eofLine(), syntax.eofCol(),
          "no (declare-network ...) in the query");
    }
    checkEquivalences();
    return new VnnlibQuery(file, version, List.copyOf(networks.values()), order,
        asserts.atoms(IntUnaryOperator.identity()), asserts.common(), asserts.disjunctive(),
        asserts.disjunctivePositions(), List.of());
  }

  private String version(SList cmd) throws InputFormatException {
    Node h = cmd.items().isEmpty() ? null : cmd.items().get(0);
    if (!(h instanceof Sym s) || !s.text().equals("vnnlib-version")) {
      throw err(cmd, "a VNN-LIB 2 query starts with (vnnlib-version <2.0>)");
    }
    if (cmd.items().size() != 2 || !(cmd.items().get(1) instanceof Sym v)) {
      throw err(cmd, "expected (vnnlib-version <MAJOR.MINOR>), e.g. (vnnlib-version <2.0>)");
    }
    var m = VERSION.matcher(v.text());
    if (!m.matches()) {
      throw err(v, "bad version '" + clip(v.text()) + "': expected <MAJOR.MINOR>, e.g. <2.0>");
    }
    String version = Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2));
    if (compareVersions(version, "2.0") < 0 || compareVersions(version, Theories.MAX_VERSION) > 0) {
      throw err(v, "unsupported VNN-LIB version " + version + " (supported: 2.0 to "
          + Theories.MAX_VERSION + " with this header, and the VNN-COMP 1 subset without one)");
    }
    return version;
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }

  // ---- declarations ---------------------------------------------------------------------------

  private void declareNetwork(SList cmd) throws InputFormatException {
    List<Node> it = cmd.items();
    if (it.size() < 2 || !(it.get(1) instanceof Sym name) || name.index() != null) {
      throw err(cmd, "expected (declare-network NAME (declare-input ...) ... (declare-output"
          + " ...))");
    }
    checkName(name);
    if (networks.containsKey(name.text()) || vars.containsKey(name.text())) {
      throw err(name, "the name " + name.text() + " is declared twice");
    }
    Equivalence eq = Equivalence.NONE;
    String target = null;
    List<VarDecl> in = new ArrayList<>();
    List<VarDecl> hid = new ArrayList<>();
    List<VarDecl> out = new ArrayList<>();
    for (int k = 2; k < it.size(); k++) {
      if (!(it.get(k) instanceof SList d)) {
        throw err(it.get(k), "expected (declare-input ...), (declare-hidden ...),"
            + " (declare-output ...), (equal-to ...) or (isomorphic-to ...)");
      }
      Sym h = head(d, "a declaration");
      switch (h.text()) {
        case "equal-to", "isomorphic-to" -> {
          if (eq != Equivalence.NONE) {
            throw err(d, "a network has at most one equal-to or isomorphic-to");
          }
          if (!in.isEmpty() || !out.isEmpty() || !hid.isEmpty()) {
            throw err(d, h.text() + " comes before the input and output declarations");
          }
          if (d.items().size() != 2 || !(d.items().get(1) instanceof Sym t)
              || t.index() != null) {
            throw err(d, "expected (" + h.text() + " NETWORK)");
          }
          NetworkDecl other = networks.get(t.text());
          if (other == null) {
            throw err(t, "no network named " + clip(t.text()) + " is declared before this one");
          }
          if (other.equivalence() != Equivalence.NONE) {
            throw err(t, h.text() + " must name a network that has no equal-to or isomorphic-to"
                + " itself (" + t.text() + " is " + word(other.equivalence()) + " "
                + other.target() + ")");
          }
          eq = h.text().equals("equal-to") ? Equivalence.EQUAL_TO : Equivalence.ISOMORPHIC_TO;
          target = t.text();
        }
        case "declare-input" -> in.add(declareVar(d, Kind.INPUT, name.text()));
        case "declare-hidden" -> hid.add(declareVar(d, Kind.HIDDEN, name.text()));
        case "declare-output" -> out.add(declareVar(d, Kind.OUTPUT, name.text()));
        default -> throw err(h, "unknown declaration '" + clip(h.text()) + "' in a network"
            + " (declare-input, declare-hidden, declare-output, equal-to, isomorphic-to)");
      }
    }
    if (in.isEmpty()) {
      throw err(cmd, "network " + name.text() + " declares no input");
    }
    if (out.isEmpty()) {
      throw err(cmd, "network " + name.text() + " declares no output");
    }
    networks.put(name.text(), new NetworkDecl(name.text(), eq, target, in, hid, out,
        new Pos(name.line(), name.col())));
  }

  private static String word(Equivalence e) {
    return e == Equivalence.EQUAL_TO ? "equal-to" : "isomorphic-to";
  }

  private VarDecl declareVar(SList d, Kind kind, String network) throws InputFormatException {
    String what = d.items().get(0) instanceof Sym s ? s.text() : "declaration";
    List<Node> it = d.items();
    String form = kind == Kind.HIDDEN ? "(" + what + " NAME TYPE [SHAPE] \"onnx-node\")"
        : "(" + what + " NAME TYPE [SHAPE])";
    if (it.size() < 4) {
      throw err(d, "expected " + form);
    }
    if (!(it.get(1) instanceof Sym name) || name.index() != null) {
      throw err(it.get(1), "expected a variable name in " + form);
    }
    checkName(name);
    if (vars.containsKey(name.text()) || networks.containsKey(name.text())) {
      throw err(name, "the name " + name.text() + " is declared twice");
    }
    if (!(it.get(2) instanceof Sym type)) {
      throw err(it.get(2), "expected an element type (Real or an ONNX type such as float32)");
    }
    int[] shape;
    if (type.index() != null) {
      shape = type.index(); // "Real[3]": the shape written without a space
    } else if (it.get(3) instanceof Shape s) {
      shape = s.dims();
    } else {
      throw err(it.get(3), "expected a shape such as [3], [1,28,28] or [] in " + form);
    }
    int next = type.index() != null ? 3 : 4;
    String elementType = elementType(type);
    String onnxName = null;
    boolean initialized = false;
    for (int k = next; k < it.size(); k++) {
      Node n = it.get(k);
      if (kind == Kind.HIDDEN && onnxName == null && n instanceof Str s) {
        onnxName = s.text();
      } else if (kind == Kind.INPUT && !initialized && n instanceof Sym s
          && s.text().equals("initialized") && s.index() == null) {
        initialized = true;
      } else {
        throw err(n, "unexpected " + describe(n) + " in " + form);
      }
    }
    if (kind == Kind.HIDDEN && onnxName == null) {
      throw err(d, "declare-hidden needs the ONNX node output name as a string: " + form);
    }
    long size = 1;
    for (int dim : shape) {
      if (dim == 0) {
        throw err(it.get(3), "a dimension of 0 declares no element");
      }
      size *= dim;
      if (size > MAX_SLOTS) {
        throw err(d, "the tensor is too large");
      }
    }
    if (slots + size > MAX_SLOTS) {
      throw err(d, "the declared tensors are too large together");
    }
    VarDecl v = new VarDecl(name.text(), kind, network, elementType, shape, onnxName, initialized,
        slots, new Pos(name.line(), name.col()));
    slots += (int) size;
    vars.put(name.text(), v);
    order.add(v);
    return v;
  }

  private String elementType(Sym type) throws InputFormatException {
    String t = type.text();
    if (t.equals("Real") || t.equals("real") || t.equals("REAL")) {
      return "real";
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (Theories.ONNX_ELEMENT_TYPES.contains(lower)) {
      return lower;
    }
    if (lower.equals("double")) {
      return "float64"; // ONNX's other name for float64
    }
    if (lower.equals("float")) {
      return "float32";
    }
    throw err(type, "unknown element type '" + clip(t) + "' (Real, or an ONNX element type such"
        + " as float32, float64, int64)");
  }

  private void checkName(Sym name) throws InputFormatException {
    if (!NAME.matcher(name.text()).matches()) {
      throw err(name, "bad name '" + clip(name.text()) + "': a name starts with a letter and"
          + " has only letters, digits and '_'");
    }
  }

  private void checkEquivalences() throws InputFormatException {
    for (NetworkDecl n : networks.values()) {
      if (n.equivalence() == Equivalence.NONE) {
        continue;
      }
      NetworkDecl t = networks.get(n.target());
      boolean typesMatter = n.equivalence() == Equivalence.EQUAL_TO;
      if (!sameInterface(n.inputs(), t.inputs(), typesMatter)
          || !sameInterface(n.outputs(), t.outputs(), typesMatter)) {
        throw new InputFormatException(file, n.pos().line(), n.pos().column(), "network "
            + n.name() + " is " + word(n.equivalence()) + " " + t.name() + " but its inputs and"
            + " outputs differ from " + t.name() + "'s (they must match in number and shape"
            + (typesMatter ? " and element type" : "") + ")");
      }
    }
  }

  private static boolean sameInterface(List<VarDecl> a, List<VarDecl> b, boolean types) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int k = 0; k < a.size(); k++) {
      if (!Arrays.equals(a.get(k).shape(), b.get(k).shape())
          || (types && !a.get(k).elementType().equals(b.get(k).elementType()))) {
        return false;
      }
    }
    return true;
  }

  private Sym head(SList l, String what) throws InputFormatException {
    return Vnnlib2Syntax.head(file, l, what);
  }

  private InputFormatException err(Node n, String problem) {
    return Vnnlib2Syntax.error(file, n, problem);
  }
}
