package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.io.dataset.DatasetReader;
import dev.robustspec.engine.io.dataset.RowRange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks {@code dataset} declarations and reads their items: the file (CSV with the label first,
 * {@code .npy} or IDX with {@code labels = npy("...")}/{@code idx("...")}), {@code scale} (a
 * number or a fraction such as {@code 1/255}, kept exact), per-channel {@code mean} and
 * {@code std}, the item {@code shape} and the inclusive {@code rows} range. The same options as
 * {@code robustspec certify}, with the same meaning.
 */
final class DatasetChecker {
  private static final List<String> KINDS = List.of("csv", "npy", "idx");
  private static final List<String> OPTIONS = List.of("scale", "mean", "std", "shape", "labels");

  /**
   * A data set that checked out: its items (raw stored values), the exact scale
   * {@code numerator / denominator}, and the normalisation (empty arrays: none).
   */
  record CompiledDataset(String name, Dataset data, BigDecimal scaleNumerator,
      BigDecimal scaleDenominator, BigDecimal[] mean, BigDecimal[] std) {}

  private final CheckContext check;
  private final ValueEvaluator values;
  private final Map<String, CompiledDataset> datasets = new HashMap<>();

  DatasetChecker(CheckContext check, ValueEvaluator values) {
    this.check = check;
    this.values = values;
  }

  /** The checked data set {@code id} names, or null (reported) when it is not one. */
  CompiledDataset datasetRef(Ast.Ident id) {
    Ast.NamedDecl d = check.symbols.get(id.text());
    if (d == null) {
      check.undefined(id, "dataset", Ast.DatasetDecl.class);
      return null;
    }
    check.used.add(id.text());
    if (!(d instanceof Ast.DatasetDecl)) {
      check.report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a "
          + CheckContext.kind(d) + ", not a dataset");
      return null;
    }
    return datasets.get(id.text());
  }

  void dataset(Ast.DatasetDecl d) {
    CompiledDataset c = read(d);
    if (c == null) {
      check.failed.add(d.name().text());
    } else {
      datasets.put(d.name().text(), c);
    }
  }

  private CompiledDataset read(Ast.DatasetDecl d) {
    String kind = d.source().kind().text();
    if (!KINDS.contains(kind)) {
      check.report(SpecErrorCode.UNKNOWN_SOURCE, d.source().kind().range(), "unknown data set"
          + " format '" + kind + "'" + CheckContext.suggestion(kind, KINDS) + "; a data set is"
          + " csv(\"file.csv\") (label, then the values), npy(\"x.npy\", labels = npy(\"y.npy\"))"
          + " or idx(\"images-idx3-ubyte\", labels = idx(\"labels-idx1-ubyte\"))");
      return null;
    }
    BigDecimal[] scale = {BigDecimal.ONE, BigDecimal.ONE};
    BigDecimal[] mean = new BigDecimal[0];
    BigDecimal[] std = new BigDecimal[0];
    int[] shape = null;
    Path labels = null;
    boolean ok = true;
    Set<String> seen = new HashSet<>();
    for (Ast.Argument a : d.arguments()) {
      String n = a.name().text();
      if (!seen.add(n)) {
        check.report(SpecErrorCode.BAD_ARGUMENT, a.name().range(), "'" + n + "' is given twice");
        ok = false;
        continue;
      }
      if (a.value() == null) {
        check.report(SpecErrorCode.BAD_ARGUMENT, a.range(), "only rows takes a range (rows ="
            + " 0..99); " + n + " takes a value");
        ok = false;
        continue;
      }
      switch (n) {
        case "scale" -> ok &= (scale = scale(a.value())) != null;
        case "mean" -> ok &= (mean = decimals(a.value(), "mean")) != null;
        case "std" -> ok &= (std = decimals(a.value(), "std")) != null;
        case "shape" -> ok &= (shape = shape(a.value())) != null;
        case "labels" -> ok &= (labels = labels(a.value(), kind)) != null;
        default -> {
          check.report(SpecErrorCode.BAD_ARGUMENT, a.name().range(), "unknown option '" + n
              + "' of a data set" + CheckContext.suggestion(n, OPTIONS) + "; the options are "
              + String.join(", ", OPTIONS) + " and rows = A..B");
          ok = false;
        }
      }
    }
    if (!ok) {
      return null;
    }
    if (mean.length != std.length) {
      check.report(SpecErrorCode.BAD_ARGUMENT, d.range(), "give as many means as standard"
          + " deviations (" + mean.length + " and " + std.length + ")");
      return null;
    }
    for (BigDecimal s : std) {
      if (s.signum() <= 0) {
        check.report(SpecErrorCode.BAD_ARGUMENT, d.range(), "standard deviations must be"
            + " positive, got " + s.toPlainString());
        return null;
      }
    }
    if (!kind.equals("csv") && labels == null) {
      check.report(SpecErrorCode.BAD_ARGUMENT, d.source().range(), "a " + kind + " data set"
          + " needs its labels: add labels = " + kind + "(\"labels file\")");
      return null;
    }
    if (kind.equals("csv") && labels != null) {
      check.report(SpecErrorCode.BAD_ARGUMENT, d.source().range(), "a CSV data set carries its"
          + " labels in its first column: drop labels = ...");
      return null;
    }
    RowRange rows = RowRange.ALL;
    if (d.rowsFrom() != null || d.rowsTo() != null) {
      Integer from = values.integer(d.rowsFrom(), "the first row", 0);
      Integer to = values.integer(d.rowsTo(), "the last row", 0);
      if (from == null || to == null) {
        return null;
      }
      if (to < from) {
        check.report(SpecErrorCode.BAD_ARGUMENT, d.rowsRange(), "the rows " + from + ".." + to
            + " are empty; write the first row first (both are included)");
        return null;
      }
      rows = new RowRange(from, to);
    }
    Path file = check.baseDir.resolve(d.source().path());
    Dataset data;
    try {
      data = DatasetReader.read(new DatasetReader.Request(file, labels, shape, rows));
    } catch (InputFormatException e) {
      check.fileError(e, d.source().path(), file, d.source().pathRange());
      return null;
    }
    if (data.items().isEmpty()) {
      check.report(SpecErrorCode.BAD_ARGUMENT, d.rowsRange() != null ? d.rowsRange() : d.range(),
          "the data set has no item" + (rows == RowRange.ALL ? "" : " in rows " + rows.first()
          + ".." + rows.last()));
      return null;
    }
    return new CompiledDataset(d.name().text(), data, scale[0], scale[1], mean, std);
  }

  /** {@code 1/255} kept as the fraction it is written as; any other number as its decimal. */
  private BigDecimal[] scale(Ast.Expr e) {
    if (e instanceof Ast.Binary b && b.op().equals("/") && b.left() instanceof Ast.NumberLit n
        && b.right() instanceof Ast.NumberLit m && n.value() > 0 && m.value() > 0) {
      return new BigDecimal[] {BigDecimal.valueOf(n.value()), BigDecimal.valueOf(m.value())};
    }
    Double v = values.number(e, "the scale");
    if (v == null) {
      return null;
    }
    if (v <= 0) {
      check.report(SpecErrorCode.BAD_ARGUMENT, e.range(), "the scale must be positive (stored"
          + " values are multiplied by it, e.g. 1/255 for pixels)");
      return null;
    }
    return new BigDecimal[] {BigDecimal.valueOf(v), BigDecimal.ONE};
  }

  private BigDecimal[] decimals(Ast.Expr e, String what) {
    Value v = values.eval(e);
    if (v == null) {
      return null;
    }
    double[] xs;
    if (v instanceof Value.Num n) {
      xs = new double[] {n.value()};
    } else if (v instanceof Value.Vec vec && vec.values().length > 0) {
      xs = vec.values();
    } else {
      check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), what + " must be a number or a vector"
          + " (one per channel), not " + v.describe());
      return null;
    }
    return Arrays.stream(xs).mapToObj(BigDecimal::valueOf).toArray(BigDecimal[]::new);
  }

  private int[] shape(Ast.Expr e) {
    Value v = values.eval(e);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Value.Vec vec) || vec.values().length == 0) {
      check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), "shape must be a vector of sizes, e.g."
          + " [1, 28, 28], not " + v.describe());
      return null;
    }
    int[] s = new int[vec.values().length];
    for (int i = 0; i < s.length; i++) {
      double x = vec.values()[i];
      if (x != Math.rint(x) || x < 1 || x > Integer.MAX_VALUE) {
        check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), "the sizes of a shape are whole"
            + " numbers of at least 1, not " + CheckContext.format(x));
        return null;
      }
      s[i] = (int) x;
    }
    return s;
  }

  private Path labels(Ast.Expr e, String kind) {
    if (!(e instanceof Ast.FileCall f)) {
      check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), "labels names a file: labels = "
          + (kind.equals("idx") ? "idx" : "npy") + "(\"labels file\")");
      return null;
    }
    return check.baseDir.resolve(f.path());
  }
}
