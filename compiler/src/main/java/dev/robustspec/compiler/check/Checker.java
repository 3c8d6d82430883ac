package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledNetwork;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.compiler.plan.PassInvocation;
import dev.robustspec.compiler.plan.PassRegistry;
import dev.robustspec.compiler.plan.PropertyPlan;
import dev.robustspec.compiler.syntax.SpecParser;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds and checks a parsed {@code .rspec} file and lowers it to the engine's form: networks,
 * regions as boxes, each property's negation as unsafe cases, and plans. Every problem becomes a
 * {@link SpecDiagnostic}; the checker never throws, and a declaration with an error is left out
 * of the model without stopping the others.
 */
public final class Checker {
  /** More unsafe cases than this from one property is an error (the DNF blew up). */
  static final int MAX_CASES = 10_000;

  private final String fileName;
  private final Path baseDir;
  private final FileLoader loader;
  private final List<SpecDiagnostic> diagnostics = new ArrayList<>();
  private final Map<String, Ast.NamedDecl> symbols = new LinkedHashMap<>();
  private final Map<String, Value> lets = new HashMap<>();
  private final Set<String> evaluating = new HashSet<>();
  private final Set<String> failed = new HashSet<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, CompiledNetwork> networks = new LinkedHashMap<>();
  private final Map<String, CompiledRegion> regions = new LinkedHashMap<>();

  private Checker(String fileName, Path baseDir, FileLoader loader) {
    this.fileName = fileName;
    this.baseDir = baseDir;
    this.loader = loader;
  }

  /** Compiles the file at {@code file}; an unreadable file is a diagnostic, not an exception. */
  public static Compilation compileFile(Path file, FileLoader loader) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      String why = Files.exists(file) ? "cannot read the file: " + e.getMessage()
          : "no such file";
      return new Compilation(file.toString(), "", new Ast.SpecFile(List.of()),
          List.of(SpecDiagnostic.of(SpecErrorCode.FILE_NOT_FOUND, SourceRange.NONE, why)),
          Map.of(), Map.of(), List.of());
    }
    Path dir = file.toAbsolutePath().getParent();
    return compile(file.toString(), text, dir, loader);
  }

  /**
   * Compiles {@code text}; relative paths in it are resolved against {@code baseDir}.
   */
  public static Compilation compile(String fileName, String text, Path baseDir,
      FileLoader loader) {
    SpecParser.Result parsed = SpecParser.parse(text);
    Checker c = new Checker(fileName, baseDir, loader);
    c.diagnostics.addAll(parsed.diagnostics());
    List<CompiledProperty> properties = new ArrayList<>();
    try {
      properties = c.check(parsed.file());
    } catch (RuntimeException e) {
      c.diagnostics.add(SpecDiagnostic.of(SpecErrorCode.INTERNAL, SourceRange.NONE,
          "internal error in the checker (please report it): " + e));
    }
    c.diagnostics.sort((a, b) -> a.range().startOffset() != b.range().startOffset()
        ? Integer.compare(a.range().startOffset(), b.range().startOffset())
        : a.code().compareTo(b.code()));
    return new Compilation(fileName, text, parsed.file(), c.diagnostics, c.networks, c.regions,
        properties);
  }

  // ---------------------------------------------------------------------------------------------

  private List<CompiledProperty> check(Ast.SpecFile file) {
    for (Ast.Decl d : file.declarations()) {
      if (d instanceof Ast.NamedDecl n) {
        Ast.NamedDecl previous = symbols.get(n.name().text());
        if (previous != null) {
          report(SpecErrorCode.DUPLICATE_NAME, n.name().range(), "'" + n.name().text()
              + "' is already declared as a " + kind(previous) + " on line "
              + previous.name().range().startLine() + "; choose another name");
          continue;
        }
        symbols.put(n.name().text(), n);
      }
    }
    Map<String, PropertyPlan> plans = new HashMap<>();
    for (Ast.Decl d : file.declarations()) {
      guarded(d, () -> {
        if (d instanceof Ast.LetDecl l && symbols.get(l.name().text()) == l) {
          letValue(l.name().text(), l.name().range());
        } else if (d instanceof Ast.NetworkDecl n && symbols.get(n.name().text()) == n) {
          network(n);
        } else if (d instanceof Ast.RegionDecl r && symbols.get(r.name().text()) == r) {
          region(r);
        } else if (d instanceof Ast.VerifyDecl v) {
          verify(v, plans);
        }
      });
    }
    List<CompiledProperty> properties = new ArrayList<>();
    for (Ast.Decl d : file.declarations()) {
      if (d instanceof Ast.PropertyDecl p && symbols.get(p.name().text()) == p) {
        guarded(d, () -> {
          CompiledProperty cp = property(p, plans.get(p.name().text()));
          if (cp != null) {
            properties.add(cp);
          }
        });
      }
    }
    for (Ast.NamedDecl n : symbols.values()) {
      if (!(n instanceof Ast.PropertyDecl) && !used.contains(n.name().text())
          && !failed.contains(n.name().text())) {
        report(SpecErrorCode.UNUSED, n.name().range(), "the " + kind(n) + " '"
            + n.name().text() + "' is never used");
      }
    }
    return properties;
  }

  private void guarded(Ast.Decl d, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      report(SpecErrorCode.INTERNAL, d.range(),
          "internal error while checking this declaration (please report it): " + e);
    }
  }

  // --- lets and constant expressions -----------------------------------------------------------

  private Value letValue(String name, SourceRange useRange) {
    if (lets.containsKey(name)) {
      return lets.get(name);
    }
    Ast.LetDecl decl = (Ast.LetDecl) symbols.get(name);
    if (!evaluating.add(name)) {
      report(SpecErrorCode.INVALID_NUMBER, useRange,
          "'" + name + "' is defined in terms of itself");
      failed.add(name);
      return null;
    }
    Value v = decl.value() == null ? null : eval(decl.value());
    evaluating.remove(name);
    lets.put(name, v);
    if (v == null) {
      failed.add(name);
    }
    return v;
  }

  private Value eval(Ast.Expr e) {
    if (e == null) {
      return null;
    }
    if (e instanceof Ast.NumberLit n) {
      if (!Double.isFinite(n.value())) {
        report(SpecErrorCode.INVALID_NUMBER, n.range(), "this number is too large for a double");
        return null;
      }
      return new Value.Num(n.value());
    }
    if (e instanceof Ast.DurationLit d) {
      return new Value.Dur(d.seconds());
    }
    if (e instanceof Ast.NameRef r) {
      return nameValue(r.name());
    }
    if (e instanceof Ast.Unary u) {
      Value v = eval(u.operand());
      return v == null ? null : u.op().equals("-") ? scale(v, -1, u.range()) : v;
    }
    if (e instanceof Ast.Binary b) {
      return binary(b);
    }
    if (e instanceof Ast.ListExpr l) {
      return list(l);
    }
    if (e instanceof Ast.FileCall f) {
      return fileCall(f);
    }
    if (e instanceof Ast.OutputRef o) {
      report(SpecErrorCode.TYPE_MISMATCH, o.range(),
          "network outputs can only appear in a property's formula");
      return null;
    }
    return null;
  }

  private Value nameValue(Ast.Ident id) {
    Ast.NamedDecl d = symbols.get(id.text());
    if (d == null) {
      undefined(id, "value", Ast.LetDecl.class);
      return null;
    }
    used.add(id.text());
    if (!(d instanceof Ast.LetDecl)) {
      report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a " + kind(d)
          + ", not a value; values are declared with 'let'");
      return null;
    }
    return failed.contains(id.text()) ? null : letValue(id.text(), id.range());
  }

  private Value binary(Ast.Binary b) {
    Value l = eval(b.left());
    Value r = eval(b.right());
    if (l == null || r == null) {
      return null;
    }
    if (l instanceof Value.Num x && r instanceof Value.Num y) {
      double v = switch (b.op()) {
        case "+" -> x.value() + y.value();
        case "-" -> x.value() - y.value();
        case "*" -> x.value() * y.value();
        default -> y.value() == 0 ? Double.NaN : x.value() / y.value();
      };
      if (!Double.isFinite(v)) {
        report(SpecErrorCode.INVALID_NUMBER, b.range(), b.op().equals("/") && y.value() == 0
            ? "division by zero" : "the result is not a finite number");
        return null;
      }
      return new Value.Num(v);
    }
    if (b.op().equals("*") && l instanceof Value.Num x) {
      return scale(r, x.value(), b.range());
    }
    if ((b.op().equals("*") || b.op().equals("/")) && r instanceof Value.Num y) {
      if (b.op().equals("/") && y.value() == 0) {
        report(SpecErrorCode.INVALID_NUMBER, b.range(), "division by zero");
        return null;
      }
      return scale(l, b.op().equals("*") ? y.value() : 1 / y.value(), b.range());
    }
    if ((b.op().equals("+") || b.op().equals("-")) && l instanceof Value.Vec x
        && r instanceof Value.Vec y) {
      if (x.values().length != y.values().length) {
        report(SpecErrorCode.TYPE_MISMATCH, b.range(), "cannot " + (b.op().equals("+") ? "add"
            : "subtract") + " vectors of lengths " + x.values().length + " and "
            + y.values().length);
        return null;
      }
      double[] v = new double[x.values().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = b.op().equals("+") ? x.values()[i] + y.values()[i] : x.values()[i] - y.values()[i];
      }
      return new Value.Vec(v);
    }
    report(SpecErrorCode.TYPE_MISMATCH, b.range(), "cannot apply '" + b.op() + "' to "
        + l.describe() + " and " + r.describe());
    return null;
  }

  private Value scale(Value v, double f, SourceRange range) {
    if (v instanceof Value.Num n) {
      return new Value.Num(n.value() * f);
    }
    if (v instanceof Value.Vec x) {
      double[] out = x.values().clone();
      for (int i = 0; i < out.length; i++) {
        out[i] *= f;
      }
      return new Value.Vec(out);
    }
    if (v instanceof Value.Mat m) {
      double[][] out = new double[m.rows().length][];
      for (int i = 0; i < out.length; i++) {
        out[i] = m.rows()[i].clone();
        for (int j = 0; j < out[i].length; j++) {
          out[i][j] *= f;
        }
      }
      return new Value.Mat(out);
    }
    report(SpecErrorCode.TYPE_MISMATCH, range, "cannot scale " + v.describe());
    return null;
  }

  private Value list(Ast.ListExpr l) {
    List<Value> values = new ArrayList<>();
    for (Ast.Expr e : l.elements()) {
      Value v = eval(e);
      if (v == null) {
        return null;
      }
      values.add(v);
    }
    if (values.stream().allMatch(v -> v instanceof Value.Num)) {
      return new Value.Vec(values.stream().mapToDouble(v -> ((Value.Num) v).value()).toArray());
    }
    if (values.stream().allMatch(v -> v instanceof Value.Vec)) {
      double[][] rows = values.stream().map(v -> ((Value.Vec) v).values()).toArray(double[][]::new);
      for (int i = 1; i < rows.length; i++) {
        if (rows[i].length != rows[0].length) {
          report(SpecErrorCode.LAYER_SHAPE, l.elements().get(i).range(), "row " + i + " has "
              + rows[i].length + " entries but row 0 has " + rows[0].length
              + "; every row of a matrix needs the same length");
          return null;
        }
      }
      return new Value.Mat(rows);
    }
    report(SpecErrorCode.TYPE_MISMATCH, l.range(),
        "a list holds numbers (a vector) or equal-length vectors (a matrix), not a mix");
    return null;
  }

  private Value fileCall(Ast.FileCall f) {
    if (!f.function().text().equals("csv")) {
      report(SpecErrorCode.UNKNOWN_SOURCE, f.function().range(), "unknown function '"
          + f.function().text() + "'; data files are read with csv(\"file.csv\")");
      return null;
    }
    Path p = baseDir.resolve(f.path());
    try {
      return new Value.Vec(loader.csv(p));
    } catch (InputFormatException e) {
      fileError(e, f.path(), p, f.pathRange());
      return null;
    }
  }

  private Double number(Ast.Expr e, String what) {
    Value v = eval(e);
    if (v == null) {
      return null;
    }
    if (v instanceof Value.Num n) {
      return n.value();
    }
    report(SpecErrorCode.TYPE_MISMATCH, e.range(), what + " must be a number, not "
        + v.describe());
    return null;
  }

  private Integer integer(Ast.Expr e, String what, int min) {
    Double d = number(e, what);
    if (d == null) {
      return null;
    }
    if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
      report(SpecErrorCode.TYPE_MISMATCH, e.range(), what + " must be a whole number"
          + (min > 0 ? " of at least " + min : min == 0 ? " of at least 0" : "") + ", not "
          + format(d));
      return null;
    }
    return d.intValue();
  }

  // --- networks --------------------------------------------------------------------------------

  private void network(Ast.NetworkDecl n) {
    String name = n.name().text();
    if (n.source() instanceof Ast.ImportedNetwork imp) {
      Ast.FileSource src = imp.file();
      String kind = src.kind().text();
      Path p = baseDir.resolve(src.path());
      try {
        Network net = switch (kind) {
          case "onnx" -> loader.onnx(p);
          case "nnet" -> loader.nnet(p);
          default -> null;
        };
        if (net == null) {
          report(SpecErrorCode.UNKNOWN_SOURCE, src.kind().range(), "unknown network format '"
              + kind + "'; networks come from onnx(\"file.onnx\") or nnet(\"file.nnet\"), or are"
              + " written inline in { }");
          failed.add(name);
          return;
        }
        networks.put(name, new CompiledNetwork(name, net, src.path(), n.range()));
      } catch (InputFormatException e) {
        fileError(e, src.path(), p, src.pathRange());
        failed.add(name);
      }
    } else if (n.source() instanceof Ast.InlineNetwork inline) {
      Network net = inlineNetwork(name, inline, n.name().range());
      if (net == null) {
        failed.add(name);
      } else {
        networks.put(name, new CompiledNetwork(name, net, "inline", n.range()));
      }
    } else {
      failed.add(name); // syntax error already reported
    }
  }

  private Network inlineNetwork(String name, Ast.InlineNetwork inline, SourceRange nameRange) {
    List<Ast.LayerSyntax> syntax = inline.layers();
    if (syntax.isEmpty() || !(syntax.get(0) instanceof Ast.InputLayer input)) {
      report(SpecErrorCode.LAYER_SHAPE, syntax.isEmpty() ? nameRange : syntax.get(0).range(),
          "an inline network starts with its input, e.g. 'input x[2]'");
      return null;
    }
    Integer size = input.size() == null ? null : integer(input.size(), "the input size", 1);
    if (size == null) {
      return null;
    }
    List<Layer> layers = new ArrayList<>();
    int width = size;
    int dense = 0;
    int relu = 0;
    boolean ok = true;
    for (int i = 1; i < syntax.size(); i++) {
      Ast.LayerSyntax l = syntax.get(i);
      if (l instanceof Ast.InputLayer) {
        report(SpecErrorCode.LAYER_SHAPE, l.range(),
            "a network has one input, declared first");
        ok = false;
      } else if (l instanceof Ast.ReluLayerSyntax) {
        layers.add(new ReluLayer(name + ".relu" + (++relu), width));
      } else if (l instanceof Ast.DenseLayerSyntax d) {
        Value w = eval(d.weights());
        Value b = eval(d.bias());
        if (w == null || b == null) {
          ok = false;
          continue;
        }
        if (!(w instanceof Value.Mat m)) {
          report(SpecErrorCode.TYPE_MISMATCH, d.weights().range(), "dense weights must be a"
              + " matrix [[...], ...] with one row per output, not " + w.describe());
          ok = false;
          continue;
        }
        int rows = m.rows().length;
        int cols = rows == 0 ? 0 : m.rows()[0].length;
        if (rows == 0 || cols == 0) {
          report(SpecErrorCode.LAYER_SHAPE, d.weights().range(), "the weight matrix is empty");
          ok = false;
          continue;
        }
        if (cols != width) {
          report(SpecErrorCode.LAYER_SHAPE, d.weights().range(), "this matrix has " + cols
              + " column" + (cols == 1 ? "" : "s") + " but the layer receives " + width
              + " value" + (width == 1 ? "" : "s") + "; it needs one column per input");
          ok = false;
          width = rows;
          continue;
        }
        double[] bias;
        if (b instanceof Value.Vec v) {
          bias = v.values();
        } else if (b instanceof Value.Num num && rows == 1) {
          bias = new double[] {num.value()};
        } else {
          report(SpecErrorCode.TYPE_MISMATCH, d.bias().range(), "the bias must be a vector of "
              + rows + " numbers, not " + b.describe());
          ok = false;
          width = rows;
          continue;
        }
        if (bias.length != rows) {
          report(SpecErrorCode.LAYER_SHAPE, d.bias().range(), "the bias has " + bias.length
              + " entries but the matrix has " + rows + " rows; they must match");
          ok = false;
          width = rows;
          continue;
        }
        double[] flat = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(m.rows()[r], 0, flat, r * cols, cols);
        }
        layers.add(new DenseLayer(name + ".dense" + (++dense), cols, rows, flat, bias));
        width = rows;
      }
    }
    if (!ok) {
      return null;
    }
    if (layers.isEmpty()) {
      report(SpecErrorCode.LAYER_SHAPE, nameRange,
          "network '" + name + "' has no layers after its input");
      return null;
    }
    return new Network(name, new int[] {size}, layers);
  }

  // --- regions ---------------------------------------------------------------------------------

  private void region(Ast.RegionDecl r) {
    String name = r.name().text();
    List<Box> boxes = null;
    if (r.region() instanceof Ast.BoxRegion b) {
      Box box = box(b);
      boxes = box == null ? null : List.of(box);
    } else if (r.region() instanceof Ast.LinfRegion l) {
      Box box = linf(l);
      boxes = box == null ? null : List.of(box);
    } else if (r.region() instanceof Ast.FileRegion f) {
      Specification spec = vnnlib(f.file());
      if (spec != null) {
        boxes = spec.regions();
        if (boxes.isEmpty()) {
          report(SpecErrorCode.EMPTY_BOX, f.range(), "'" + f.file().path()
              + "' describes no input region (no unsafe case)");
          boxes = null;
        }
      }
    }
    if (boxes == null) {
      failed.add(name);
      return;
    }
    regions.put(name, new CompiledRegion(name, boxes, boxes.get(0).dimension(), r.range()));
  }

  private Box box(Ast.BoxRegion b) {
    Map<Integer, double[]> ranges = new TreeMap<>();
    Map<Integer, Integer> lineOf = new HashMap<>();
    boolean ok = true;
    for (Ast.BoxItem item : b.items()) {
      Integer from = item.from() == null ? null : integer(item.from(), "an index", 0);
      Integer to = item.to() == null ? from : integer(item.to(), "an index", 0);
      Double lo = item.lower() == null ? null : number(item.lower(), "a lower bound");
      Double hi = item.upper() == null ? null : number(item.upper(), "an upper bound");
      if (from == null || to == null || lo == null || hi == null) {
        ok = false;
        continue;
      }
      if (to < from) {
        report(SpecErrorCode.INCOMPLETE_BOX, item.range(), "the index range " + from + ".."
            + to + " is empty; write the smaller index first");
        ok = false;
        continue;
      }
      if (lo > hi) {
        report(SpecErrorCode.EMPTY_BOX, item.range(), "the lower bound " + format(lo)
            + " is above the upper bound " + format(hi) + ": the box holds no point");
        ok = false;
        continue;
      }
      if (to > 10_000_000) {
        report(SpecErrorCode.INCOMPLETE_BOX, item.range(), "index " + to + " is too large");
        ok = false;
        continue;
      }
      for (int i = from; i <= to; i++) {
        if (ranges.containsKey(i)) {
          report(SpecErrorCode.INCOMPLETE_BOX, item.range(), variable(item) + "[" + i
              + "] already has a range on line " + lineOf.get(i) + "; give each index one range");
          ok = false;
          break;
        }
        ranges.put(i, new double[] {lo, hi});
        lineOf.put(i, item.range().startLine());
      }
    }
    if (!ok) {
      return null;
    }
    if (ranges.isEmpty()) {
      report(SpecErrorCode.INCOMPLETE_BOX, b.range(), "the box gives no range");
      return null;
    }
    int n = ((TreeMap<Integer, double[]>) ranges).lastKey() + 1;
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!ranges.containsKey(i)) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      String var = b.items().isEmpty() ? "x" : variable(b.items().get(0));
      report(SpecErrorCode.INCOMPLETE_BOX, b.range(), "no range for " + var + missing.subList(0,
          Math.min(5, missing.size())) + (missing.size() > 5 ? " and more" : "")
          + "; every index from 0 to " + (n - 1) + " needs one, e.g. " + var + "[0.." + (n - 1)
          + "] in [lo, hi]");
      return null;
    }
    double[] lo = new double[n];
    double[] hi = new double[n];
    for (int i = 0; i < n; i++) {
      lo[i] = ranges.get(i)[0];
      hi[i] = ranges.get(i)[1];
    }
    return new Box(lo, hi);
  }

  private static String variable(Ast.BoxItem item) {
    return item.variable() == null ? "x" : item.variable().text();
  }

  private Box linf(Ast.LinfRegion l) {
    Value center = null;
    Value eps = null;
    Ast.Argument epsArg = null;
    boolean ok = true;
    Set<String> seen = new HashSet<>();
    for (Ast.Argument a : l.arguments()) {
      String n = a.name().text();
      if (!seen.add(n)) {
        report(SpecErrorCode.BAD_ARGUMENT, a.name().range(), "'" + n + "' is given twice");
        ok = false;
        continue;
      }
      switch (n) {
        case "center" -> center = eval(a.value());
        case "eps" -> {
          eps = eval(a.value());
          epsArg = a;
        }
        default -> {
          report(SpecErrorCode.BAD_ARGUMENT, a.name().range(), "unknown argument '" + n
              + "' of linf" + suggestion(n, List.of("center", "eps"))
              + "; linf takes center = [...] or csv(\"...\"), and eps = number");
          ok = false;
        }
      }
    }
    if (!seen.contains("center") || !seen.contains("eps")) {
      report(SpecErrorCode.BAD_ARGUMENT, l.range(), "linf needs both center = ... and eps = ...");
      return null;
    }
    if (!ok || center == null || eps == null) {
      return null;
    }
    if (!(center instanceof Value.Vec c)) {
      report(SpecErrorCode.TYPE_MISMATCH, l.range(), "the center must be a vector, not "
          + center.describe());
      return null;
    }
    int n = c.values().length;
    double[] e = new double[n];
    if (eps instanceof Value.Num num) {
      java.util.Arrays.fill(e, num.value());
    } else if (eps instanceof Value.Vec v && v.values().length == n) {
      e = v.values();
    } else {
      report(SpecErrorCode.TYPE_MISMATCH, epsArg.value().range(), "eps must be a number (or a"
          + " vector of " + n + " numbers, one per dimension), not " + eps.describe());
      return null;
    }
    for (double x : e) {
      if (x < 0) {
        report(SpecErrorCode.NEGATIVE_EPS, epsArg.value().range(), "eps is " + format(x)
            + " but must be at least 0 (it is the radius of the ball)");
        return null;
      }
    }
    double clipLo = Double.NEGATIVE_INFINITY;
    double clipHi = Double.POSITIVE_INFINITY;
    if (l.clipLower() != null || l.clipUpper() != null) {
      Double a = number(l.clipLower(), "the clip lower bound");
      Double b = number(l.clipUpper(), "the clip upper bound");
      if (a == null || b == null) {
        return null;
      }
      if (a > b) {
        report(SpecErrorCode.EMPTY_BOX, l.range(), "clip [" + format(a) + ", " + format(b)
            + "] is empty");
        return null;
      }
      clipLo = a;
      clipHi = b;
    }
    double[] lo = new double[n];
    double[] hi = new double[n];
    for (int i = 0; i < n; i++) {
      double ci = c.values()[i];
      // outward rounding: the box contains the whole real ball
      double down = ci - e[i];
      if (new BigDecimal(down).compareTo(new BigDecimal(ci).subtract(new BigDecimal(e[i]))) > 0) {
        down = Math.nextDown(down);
      }
      double up = ci + e[i];
      if (new BigDecimal(up).compareTo(new BigDecimal(ci).add(new BigDecimal(e[i]))) < 0) {
        up = Math.nextUp(up);
      }
      lo[i] = Math.max(down, clipLo);
      hi[i] = Math.min(up, clipHi);
      if (lo[i] > hi[i]) {
        report(SpecErrorCode.EMPTY_BOX, l.range(), "in dimension " + i + " the ball ["
            + format(down) + ", " + format(up) + "] lies outside the clip range");
        return null;
      }
    }
    return new Box(lo, hi);
  }

  private Specification vnnlib(Ast.FileSource src) {
    if (!src.kind().text().equals("vnnlib")) {
      report(SpecErrorCode.UNKNOWN_SOURCE, src.kind().range(), "unknown source '"
          + src.kind().text() + "'; regions and properties come from vnnlib(\"file.vnnlib\")");
      return null;
    }
    Path p = baseDir.resolve(src.path());
    try {
      return loader.vnnlib(p);
    } catch (InputFormatException e) {
      fileError(e, src.path(), p, src.pathRange());
      return null;
    }
  }

  // --- properties ------------------------------------------------------------------------------

  private CompiledProperty property(Ast.PropertyDecl p, PropertyPlan written) {
    String name = p.name().text();
    CompiledProperty cp = lowerProperty(p, name);
    if (cp == null) {
      return null;
    }
    PropertyPlan plan = written != null ? written
        : PropertyPlan.defaultPlan(cp.network().inputSize());
    return new CompiledProperty(cp.name(), cp.networkName(), cp.network(), cp.specification(),
        plan, cp.range());
  }

  /** The property with its unsafe cases; the plan is filled in by the caller. */
  private CompiledProperty lowerProperty(Ast.PropertyDecl p, String name) {
    PropertyPlan plan = null;
    if (p instanceof Ast.FileProperty fp) {
      if (fp.source() == null || fp.network() == null) {
        return null;
      }
      Specification spec = vnnlib(fp.source());
      CompiledNetwork net = networkRef(fp.network());
      if (spec == null || net == null) {
        return null;
      }
      if (spec.inputSize() != net.network().inputSize()
          || spec.outputSize() != net.network().outputSize()) {
        report(SpecErrorCode.DIMENSION_MISMATCH, fp.network().range(), "'" + fp.source().path()
            + "' declares " + count(spec.inputSize(), "input") + " and "
            + count(spec.outputSize(), "output") + " but network '" + net.name() + "' has "
            + net.network().inputSize()
            + " and " + net.network().outputSize());
        return null;
      }
      return new CompiledProperty(name, net.name(), net.network(), spec, plan, p.range());
    }
    Ast.FormulaProperty f = (Ast.FormulaProperty) p;
    if (f.region() == null || f.variable() == null || f.formula() == null) {
      return null;
    }
    CompiledRegion region = regionRef(f.region());
    FormulaContext ctx = new FormulaContext(f.variable().text());
    Formula formula = formula(f.formula(), ctx);
    if (region == null || formula == null || ctx.failed) {
      return null;
    }
    if (ctx.network == null) {
      report(SpecErrorCode.UNSUPPORTED_FORMULA, f.formula().range(), "the formula mentions no"
          + " network output; write e.g. net(" + ctx.variable + ")[0] <= 1");
      return null;
    }
    Network net = ctx.network.network();
    if (region.dimension() != net.inputSize()) {
      report(SpecErrorCode.DIMENSION_MISMATCH, f.region().range(), "region '" + region.name()
          + "' has " + region.dimension() + " dimension" + (region.dimension() == 1 ? "" : "s")
          + " but network '" + ctx.network.name() + "' takes " + net.inputSize() + " inputs");
      return null;
    }
    List<List<OutputConstraint>> terms;
    try {
      terms = Formula.unsafeTerms(formula, MAX_CASES);
    } catch (Formula.TooManyTerms e) {
      report(SpecErrorCode.TOO_MANY_CASES, f.formula().range(), "the negation of this formula"
          + " has more than " + MAX_CASES + " cases; split the property into several");
      return null;
    }
    List<UnsafeCase> cases = new ArrayList<>();
    for (Box box : region.boxes()) {
      for (List<OutputConstraint> t : terms) {
        cases.add(new UnsafeCase(box, t));
      }
    }
    if (cases.size() > MAX_CASES) {
      report(SpecErrorCode.TOO_MANY_CASES, f.formula().range(), "this property has "
          + cases.size() + " unsafe cases (more than " + MAX_CASES + ")");
      return null;
    }
    Specification spec = new Specification(net.inputSize(), net.outputSize(), cases);
    return new CompiledProperty(name, ctx.network.name(), net, spec, plan, p.range());
  }

  /** What a formula is about: its bound variable and the one network it applies. */
  private static final class FormulaContext {
    final String variable;
    CompiledNetwork network;
    boolean failed;

    FormulaContext(String variable) {
      this.variable = variable;
    }
  }

  /** A linear expression over the outputs of {@code ctx.network}: {@code coef . y + constant}. */
  private record Lin(double[] coef, double constant) {}

  private Formula formula(Ast.Formula f, FormulaContext ctx) {
    if (f == null) {
      ctx.failed = true;
      return null;
    }
    if (f instanceof Ast.Not n) {
      Formula o = formula(n.operand(), ctx);
      return o == null ? null : new Formula.NotF(o);
    }
    if (f instanceof Ast.And a) {
      Formula l = formula(a.left(), ctx);
      Formula r = formula(a.right(), ctx);
      return l == null || r == null ? null : new Formula.AndF(List.of(l, r));
    }
    if (f instanceof Ast.Or o) {
      Formula l = formula(o.left(), ctx);
      Formula r = formula(o.right(), ctx);
      return l == null || r == null ? null : new Formula.OrF(List.of(l, r));
    }
    if (f instanceof Ast.Implies i) {
      Formula l = formula(i.left(), ctx);
      Formula r = formula(i.right(), ctx);
      return l == null || r == null ? null : new Formula.OrF(List.of(new Formula.NotF(l), r));
    }
    if (f instanceof Ast.Comparison c) {
      Lin l = linear(c.left(), ctx);
      Lin r = linear(c.right(), ctx);
      if (l == null || r == null) {
        ctx.failed = true;
        return null;
      }
      Lin d = subtract(l, r); // left - right
      boolean lessThan = c.op().startsWith("<");
      double[] coef = d.coef() == null ? null : d.coef().clone();
      double bound = -d.constant();
      if (!lessThan) {
        if (coef != null) {
          for (int j = 0; j < coef.length; j++) {
            coef[j] = -coef[j];
          }
        }
        bound = -bound;
      }
      if (!Double.isFinite(bound) || coef != null && !allFinite(coef)) {
        // e.g. y / 1e-320 or 1e300 * 1e300: no OutputConstraint can hold it
        report(SpecErrorCode.INVALID_NUMBER, c.range(), "this comparison's coefficients or"
            + " constant overflow (they are not finite numbers)");
        ctx.failed = true;
        return null;
      }
      if (coef == null || allZero(coef)) {
        // a comparison of constants: decide it now (closed, as every atom)
        return new Formula.Const(0 <= bound);
      }
      return new Formula.Atom(coef, bound);
    }
    if (f instanceof Ast.ArgFormula a) {
      CompiledNetwork net = formulaNetwork(a.network(), a.variable(), a.range(), ctx);
      Integer label = a.label() == null ? null : integer(a.label(), "the class", 0);
      if (net == null || label == null) {
        ctx.failed = true;
        return null;
      }
      int m = net.network().outputSize();
      if (label >= m) {
        report(SpecErrorCode.INDEX_OUT_OF_RANGE, a.label().range(), "class " + label
            + " is out of range: network '" + net.name() + "' has " + count(m, "output") + " (0.."
            + (m - 1) + ")");
        ctx.failed = true;
        return null;
      }
      // argmax == c: y_c > y_j for every j != c (closed: y_j - y_c <= 0); argmin mirrors it
      boolean max = a.function().equals("argmax");
      List<Formula> atoms = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        if (j == label) {
          continue;
        }
        double[] coef = new double[m];
        coef[j] = max ? 1 : -1;
        coef[label] = max ? -1 : 1;
        atoms.add(new Formula.Atom(coef, 0));
      }
      Formula is = atoms.size() == 1 ? atoms.get(0) : new Formula.AndF(atoms);
      if (atoms.isEmpty()) {
        is = new Formula.Const(true);
      }
      return a.op().equals("==") ? is : new Formula.NotF(is);
    }
    ctx.failed = true;
    return null;
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  private static boolean allZero(double[] v) {
    for (double x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private Lin linear(Ast.Expr e, FormulaContext ctx) {
    if (e == null) {
      return null;
    }
    if (e instanceof Ast.OutputRef o) {
      CompiledNetwork net = formulaNetwork(o.network(), o.variable(), o.range(), ctx);
      Integer index = o.index() == null ? null : integer(o.index(), "an output index", 0);
      if (net == null || index == null) {
        return null;
      }
      int m = net.network().outputSize();
      if (index >= m) {
        report(SpecErrorCode.INDEX_OUT_OF_RANGE, o.index().range(), "output " + index
            + " is out of range: network '" + net.name() + "' has " + m + " output"
            + (m == 1 ? "" : "s") + " (0.." + (m - 1) + ")");
        return null;
      }
      double[] coef = new double[m];
      coef[index] = 1;
      return new Lin(coef, 0);
    }
    if (e instanceof Ast.Unary u) {
      Lin v = linear(u.operand(), ctx);
      return v == null ? null : u.op().equals("-") ? scaleLin(v, -1) : v;
    }
    if (e instanceof Ast.Binary b) {
      Lin l = linear(b.left(), ctx);
      Lin r = linear(b.right(), ctx);
      if (l == null || r == null) {
        return null;
      }
      switch (b.op()) {
        case "+":
          return add(l, r, 1);
        case "-":
          return subtract(l, r);
        case "*":
          if (l.coef() == null) {
            return scaleLin(r, l.constant());
          }
          if (r.coef() == null) {
            return scaleLin(l, r.constant());
          }
          report(SpecErrorCode.UNSUPPORTED_FORMULA, b.range(), "this product of two network"
              + " outputs is not linear; properties are linear in the outputs");
          return null;
        default:
          if (r.coef() != null) {
            report(SpecErrorCode.UNSUPPORTED_FORMULA, b.range(),
                "dividing by a network output is not linear");
            return null;
          }
          if (r.constant() == 0) {
            report(SpecErrorCode.INVALID_NUMBER, b.range(), "division by zero");
            return null;
          }
          return scaleLin(l, 1 / r.constant());
      }
    }
    Value v = eval(e);
    if (v == null) {
      return null;
    }
    if (v instanceof Value.Num n) {
      return new Lin(null, n.value());
    }
    report(SpecErrorCode.TYPE_MISMATCH, e.range(), "a formula compares numbers, not "
        + v.describe());
    return null;
  }

  private static Lin scaleLin(Lin v, double f) {
    double[] c = null;
    if (v.coef() != null) {
      c = v.coef().clone();
      for (int j = 0; j < c.length; j++) {
        c[j] *= f;
      }
    }
    return new Lin(c, v.constant() * f);
  }

  private static Lin subtract(Lin l, Lin r) {
    return add(l, r, -1);
  }

  private static Lin add(Lin l, Lin r, double sign) {
    double[] c;
    if (l.coef() == null && r.coef() == null) {
      c = null;
    } else {
      int m = l.coef() != null ? l.coef().length : r.coef().length;
      c = new double[m];
      for (int j = 0; j < m; j++) {
        c[j] = (l.coef() == null ? 0 : l.coef()[j]) + sign * (r.coef() == null ? 0 : r.coef()[j]);
      }
    }
    return new Lin(c, l.constant() + sign * r.constant());
  }

  private CompiledNetwork formulaNetwork(Ast.Ident netId, Ast.Ident var, SourceRange range,
      FormulaContext ctx) {
    if (netId == null || var == null) {
      return null;
    }
    CompiledNetwork net = networkRef(netId);
    if (net == null) {
      return null;
    }
    if (!var.text().equals(ctx.variable)) {
      report(SpecErrorCode.UNSUPPORTED_FORMULA, var.range(), "'" + var.text()
          + "' is not bound here; this property's variable is '" + ctx.variable + "'");
      return null;
    }
    if (ctx.network != null && !ctx.network.name().equals(net.name())) {
      report(SpecErrorCode.UNSUPPORTED_FORMULA, netId.range(), "this property already applies"
          + " network '" + ctx.network.name() + "'; a property is about one network");
      return null;
    }
    ctx.network = net;
    return net;
  }

  private CompiledNetwork networkRef(Ast.Ident id) {
    Ast.NamedDecl d = symbols.get(id.text());
    if (d == null) {
      undefined(id, "network", Ast.NetworkDecl.class);
      return null;
    }
    used.add(id.text());
    if (!(d instanceof Ast.NetworkDecl)) {
      report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a " + kind(d)
          + ", not a network");
      return null;
    }
    return networks.get(id.text()); // null when the network itself had errors
  }

  private CompiledRegion regionRef(Ast.Ident id) {
    Ast.NamedDecl d = symbols.get(id.text());
    if (d == null) {
      undefined(id, "region", Ast.RegionDecl.class);
      return null;
    }
    used.add(id.text());
    if (!(d instanceof Ast.RegionDecl)) {
      report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a " + kind(d)
          + ", not a region");
      return null;
    }
    return regions.get(id.text());
  }

  // --- verify statements -----------------------------------------------------------------------

  private void verify(Ast.VerifyDecl v, Map<String, PropertyPlan> plans) {
    List<PassInvocation> passes = new ArrayList<>();
    boolean ok = true;
    for (Ast.PassCall call : v.passes()) {
      PassInvocation p = pass(call);
      if (p == null) {
        ok = false;
      } else {
        passes.add(p);
      }
    }
    // no passes: the default plan, which depends on the network (chosen in property())
    PropertyPlan plan = v.passes().isEmpty() ? null : new PropertyPlan(passes, false, v.range());
    for (Ast.Ident t : v.targets()) {
      Ast.NamedDecl d = symbols.get(t.text());
      if (d == null) {
        undefined(t, "property", Ast.PropertyDecl.class);
        continue;
      }
      if (!(d instanceof Ast.PropertyDecl)) {
        report(SpecErrorCode.WRONG_KIND, t.range(), "'" + t.text() + "' is a " + kind(d)
            + ", not a property; verify names properties");
        continue;
      }
      if (plans.containsKey(t.text())) {
        report(SpecErrorCode.VERIFIED_TWICE, t.range(), "property '" + t.text()
            + "' already has a plan in an earlier verify statement; this one is ignored");
        continue;
      }
      if (ok) {
        plans.put(t.text(), plan); // null: the default plan
      }
    }
  }

  private PassInvocation pass(Ast.PassCall call) {
    String name = call.name().text();
    PassRegistry.PassSpec spec = PassRegistry.get(name);
    if (spec == null) {
      report(SpecErrorCode.UNKNOWN_PASS, call.name().range(), "unknown pass '" + name + "'"
          + suggestion(name, PassRegistry.names()) + "; the passes are "
          + String.join(", ", PassRegistry.names()));
      return null;
    }
    Map<String, Double> given = new LinkedHashMap<>();
    boolean ok = true;
    for (Ast.Argument a : call.arguments()) {
      String pn = a.name().text();
      PassRegistry.ParamSpec ps = spec.param(pn);
      if (ps == null) {
        List<String> names = spec.params().stream().map(PassRegistry.ParamSpec::name).toList();
        report(SpecErrorCode.BAD_PASS_PARAMETER, a.name().range(), "unknown parameter '" + pn
            + "' of " + name + suggestion(pn, names) + "; its parameters are "
            + String.join(", ", names));
        ok = false;
        continue;
      }
      if (given.containsKey(pn)) {
        report(SpecErrorCode.BAD_PASS_PARAMETER, a.name().range(), "'" + pn
            + "' is given twice");
        ok = false;
        continue;
      }
      Value v = eval(a.value());
      if (v == null) {
        ok = false;
        continue;
      }
      Double x = null;
      if (ps.type() == PassRegistry.ParamType.DURATION) {
        if (v instanceof Value.Dur d) {
          x = d.seconds();
        } else if (v instanceof Value.Num n) {
          x = n.value();
        }
      } else if (v instanceof Value.Num n) {
        x = n.value();
      }
      if (x == null || ps.type() == PassRegistry.ParamType.INTEGER && x != Math.rint(x)) {
        String want = switch (ps.type()) {
          case INTEGER -> "a whole number";
          case NUMBER -> "a number";
          case DURATION -> "a duration such as 30s, 500ms or 2min";
        };
        report(SpecErrorCode.BAD_PASS_PARAMETER, a.value().range(), name + "'s " + pn
            + " must be " + want + ", not " + v.describe());
        ok = false;
        continue;
      }
      if (x < ps.min() || x > ps.max()) {
        report(SpecErrorCode.BAD_PASS_PARAMETER, a.value().range(), name + "'s " + pn + " is "
            + format(x) + " but must lie in [" + format(ps.min()) + ", " + format(ps.max())
            + "]");
        ok = false;
        continue;
      }
      given.put(pn, x);
    }
    return ok ? new PassInvocation(spec, PassRegistry.withDefaults(spec, given), call.range())
        : null;
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void fileError(InputFormatException e, String written, Path resolved,
      SourceRange range) {
    String problem = e.problem();
    if (problem.equals("no such file") || problem.equals("not a readable file")) {
      report(SpecErrorCode.FILE_NOT_FOUND, range, "cannot read '" + written + "': " + problem
          + " (looked for " + resolved.normalize() + "; paths are relative to this file)");
    } else if (problem.contains("unsupported ONNX operator")) {
      report(SpecErrorCode.UNSUPPORTED_OPERATOR, range, "'" + written + "': " + problem);
    } else {
      String where = e.line() > 0 ? ":" + e.line() + (e.column() > 0 ? ":" + e.column() : "")
          : "";
      report(SpecErrorCode.MALFORMED_FILE, range, "'" + written + where + "': " + problem);
    }
  }

  private void undefined(Ast.Ident id, String what, Class<?> kind) {
    List<String> candidates = new ArrayList<>();
    for (Ast.NamedDecl d : symbols.values()) {
      if (kind.isInstance(d)) {
        candidates.add(d.name().text());
      }
    }
    report(SpecErrorCode.UNDEFINED_NAME, id.range(), "no " + what + " named '" + id.text()
        + "'" + suggestion(id.text(), candidates));
  }

  /** " (did you mean 'x'?)" for the closest candidate within a small edit distance, else "". */
  static String suggestion(String name, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(1, Math.min(3, name.length() / 3))
        ? " (did you mean '" + best + "'?)" : "";
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static String kind(Ast.NamedDecl d) {
    if (d instanceof Ast.LetDecl) {
      return "value";
    }
    if (d instanceof Ast.NetworkDecl) {
      return "network";
    }
    if (d instanceof Ast.RegionDecl) {
      return "region";
    }
    return "property";
  }

  /** "1 output", "5 outputs". */
  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private void report(SpecErrorCode code, SourceRange range, String message) {
    diagnostics.add(SpecDiagnostic.of(code, range == null ? SourceRange.NONE : range, message));
  }
}
