package dev.robustspec.compiler.check;

import static dev.robustspec.compiler.check.CheckContext.format;
import static dev.robustspec.compiler.check.CheckContext.kind;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.io.InputFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluates constant expressions: numbers, vectors, matrices, durations, lets, csv files. */
final class ValueEvaluator {
  private final CheckContext check;
  private final Map<String, Value> lets = new HashMap<>();
  private final Set<String> evaluating = new HashSet<>();
  private final Map<String, Double> overrides;
  /** Names bound by a quantifier (a data set's item and label), seen before the declarations. */
  private final Map<String, Value> bound = new HashMap<>();

  ValueEvaluator(CheckContext check) {
    this(check, Map.of());
  }

  /** {@code overrides}: values given on the command line for {@code param} declarations. */
  ValueEvaluator(CheckContext check, Map<String, Double> overrides) {
    this.check = check;
    this.overrides = Map.copyOf(overrides);
  }

  /** Binds {@code name} to {@code value} until {@link #unbind}, hiding a declaration. */
  void bind(String name, Value value) {
    bound.put(name, value);
  }

  void unbind(String name) {
    bound.remove(name);
  }

  Value letValue(String name, SourceRange useRange) {
    if (lets.containsKey(name)) {
      return lets.get(name);
    }
    Ast.LetDecl decl = (Ast.LetDecl) check.symbols.get(name);
    if (decl.param() && overrides.containsKey(name)) {
      Value v = new Value.Num(overrides.get(name));
      lets.put(name, v);
      return v;
    }
    if (!evaluating.add(name)) {
      check.report(SpecErrorCode.INVALID_NUMBER, useRange,
          "'" + name + "' is defined in terms of itself");
      check.failed.add(name);
      return null;
    }
    Value v = decl.value() == null ? null : eval(decl.value());
    evaluating.remove(name);
    lets.put(name, v);
    if (v == null) {
      check.failed.add(name);
    }
    return v;
  }

  Value eval(Ast.Expr e) {
    if (e == null) {
      return null;
    }
    if (e instanceof Ast.NumberLit n) {
      if (!Double.isFinite(n.value())) {
        check.report(SpecErrorCode.INVALID_NUMBER, n.range(),
            "this number is too large for a double");
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
      check.report(SpecErrorCode.TYPE_MISMATCH, o.range(),
          "network outputs can only appear in a property's formula");
      return null;
    }
    return null;
  }

  private Value nameValue(Ast.Ident id) {
    if (bound.containsKey(id.text())) {
      return bound.get(id.text());
    }
    Ast.NamedDecl d = check.symbols.get(id.text());
    if (d == null) {
      check.undefined(id, "value", Ast.LetDecl.class);
      return null;
    }
    check.used.add(id.text());
    if (!(d instanceof Ast.LetDecl)) {
      check.report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a " + kind(d)
          + ", not a value; values are declared with 'let'");
      return null;
    }
    return check.failed.contains(id.text()) ? null : letValue(id.text(), id.range());
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
        check.report(SpecErrorCode.INVALID_NUMBER, b.range(), b.op().equals("/") && y.value() == 0
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
        check.report(SpecErrorCode.INVALID_NUMBER, b.range(), "division by zero");
        return null;
      }
      return scale(l, b.op().equals("*") ? y.value() : 1 / y.value(), b.range());
    }
    if ((b.op().equals("+") || b.op().equals("-")) && l instanceof Value.Vec x
        && r instanceof Value.Vec y) {
      if (x.values().length != y.values().length) {
        check.report(SpecErrorCode.TYPE_MISMATCH, b.range(), "cannot " + (b.op().equals("+") ? "add"
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
    check.report(SpecErrorCode.TYPE_MISMATCH, b.range(), "cannot apply '" + b.op() + "' to "
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
    check.report(SpecErrorCode.TYPE_MISMATCH, range, "cannot scale " + v.describe());
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
          check.report(SpecErrorCode.LAYER_SHAPE, l.elements().get(i).range(), "row " + i + " has "
              + rows[i].length + " entries but row 0 has " + rows[0].length
              + "; every row of a matrix needs the same length");
          return null;
        }
      }
      return new Value.Mat(rows);
    }
    check.report(SpecErrorCode.TYPE_MISMATCH, l.range(),
        "a list holds numbers (a vector) or equal-length vectors (a matrix), not a mix");
    return null;
  }

  private Value fileCall(Ast.FileCall f) {
    if (!f.function().text().equals("csv")) {
      check.report(SpecErrorCode.UNKNOWN_SOURCE, f.function().range(), "unknown function '"
          + f.function().text() + "'; data files are read with csv(\"file.csv\")");
      return null;
    }
    Path p = check.baseDir.resolve(f.path());
    try {
      return new Value.Vec(check.loader.csv(p));
    } catch (InputFormatException e) {
      check.fileError(e, f.path(), p, f.pathRange());
      return null;
    }
  }

  Double number(Ast.Expr e, String what) {
    Value v = eval(e);
    if (v == null) {
      return null;
    }
    if (v instanceof Value.Num n) {
      return n.value();
    }
    check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), what + " must be a number, not "
        + v.describe());
    return null;
  }

  Integer integer(Ast.Expr e, String what, int min) {
    Double d = number(e, what);
    if (d == null) {
      return null;
    }
    if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
      check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), what + " must be a whole number"
          + (min > 0 ? " of at least " + min : min == 0 ? " of at least 0" : "") + ", not "
          + format(d));
      return null;
    }
    return d.intValue();
  }

}
