package dev.robustspec.compiler.check;

import static dev.robustspec.compiler.check.CheckContext.format;
import static dev.robustspec.compiler.check.CheckContext.suggestion;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Checks region declarations and builds their boxes: box, linf (with clip), vnnlib. */
final class RegionChecker {
  private final CheckContext check;
  private final ValueEvaluator values;

  RegionChecker(CheckContext check, ValueEvaluator values) {
    this.check = check;
    this.values = values;
  }

  void region(Ast.RegionDecl r) {
    String name = r.name().text();
    List<Box> boxes = boxes(r.region());
    if (boxes == null) {
      check.failed.add(name);
      return;
    }
    check.regions.put(name, new CompiledRegion(name, boxes, boxes.get(0).dimension(), r.range()));
  }

  /** The boxes of a region expression (their union), or null (reported) when it has errors. */
  List<Box> boxes(Ast.RegionExpr region) {
    List<Box> boxes = null;
    if (region instanceof Ast.BoxRegion b) {
      Box box = box(b);
      boxes = box == null ? null : List.of(box);
    } else if (region instanceof Ast.LinfRegion l) {
      Box box = linf(l);
      boxes = box == null ? null : List.of(box);
    } else if (region instanceof Ast.FileRegion f) {
      Specification spec = check.vnnlib(f.file());
      if (spec != null && spec.cases().stream().anyMatch(c -> !c.inputConstraints().isEmpty())) {
        // a VNN-LIB 2 input polytope is not a union of boxes: as a region it would grow
        check.report(SpecErrorCode.MALFORMED_FILE, f.range(), "'" + f.file().path()
            + "' constrains its inputs by general linear constraints, which a box region cannot"
            + " express; use it as a whole property: property p = vnnlib(\"...\") on NETWORK");
      } else if (spec != null) {
        boxes = spec.regions();
        if (boxes.isEmpty()) {
          check.report(SpecErrorCode.EMPTY_BOX, f.range(), "'" + f.file().path()
              + "' describes no input region (no unsafe case)");
          boxes = null;
        }
      }
    }
    return boxes;
  }

  private Box box(Ast.BoxRegion b) {
    Map<Integer, double[]> ranges = new TreeMap<>();
    Map<Integer, Integer> lineOf = new HashMap<>();
    boolean ok = true;
    for (Ast.BoxItem item : b.items()) {
      Integer from = item.from() == null ? null : values.integer(item.from(), "an index", 0);
      Integer to = item.to() == null ? from : values.integer(item.to(), "an index", 0);
      Double lo = item.lower() == null ? null : values.number(item.lower(), "a lower bound");
      Double hi = item.upper() == null ? null : values.number(item.upper(), "an upper bound");
      if (from == null || to == null || lo == null || hi == null) {
        ok = false;
        continue;
      }
      if (to < from) {
        check.report(SpecErrorCode.INCOMPLETE_BOX, item.range(), "the index range " + from + ".."
            + to + " is empty; write the smaller index first");
        ok = false;
        continue;
      }
      if (lo > hi) {
        check.report(SpecErrorCode.EMPTY_BOX, item.range(), "the lower bound " + format(lo)
            + " is above the upper bound " + format(hi) + ": the box holds no point");
        ok = false;
        continue;
      }
      if (to > 10_000_000) {
        check.report(SpecErrorCode.INCOMPLETE_BOX, item.range(), "index " + to + " is too large");
        ok = false;
        continue;
      }
      for (int i = from; i <= to; i++) {
        if (ranges.containsKey(i)) {
          check.report(SpecErrorCode.INCOMPLETE_BOX, item.range(), variable(item) + "[" + i
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
      check.report(SpecErrorCode.INCOMPLETE_BOX, b.range(), "the box gives no range");
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
      check.report(SpecErrorCode.INCOMPLETE_BOX, b.range(),
          "no range for " + var + missing.subList(0,
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
        check.report(SpecErrorCode.BAD_ARGUMENT, a.name().range(), "'" + n + "' is given twice");
        ok = false;
        continue;
      }
      switch (n) {
        case "center" -> center = values.eval(a.value());
        case "eps" -> {
          eps = values.eval(a.value());
          epsArg = a;
        }
        default -> {
          check.report(SpecErrorCode.BAD_ARGUMENT, a.name().range(), "unknown argument '" + n
              + "' of linf" + suggestion(n, List.of("center", "eps"))
              + "; linf takes center = [...] or csv(\"...\"), and eps = number");
          ok = false;
        }
      }
    }
    if (!seen.contains("center") || !seen.contains("eps")) {
      if (ok) { // an unknown argument (a misspelt 'center', say) was reported: that is the cause
        String missing = !seen.contains("center") && !seen.contains("eps")
            ? "center = ... and eps = ..." : !seen.contains("center")
                ? "center = ... (the middle of the ball: [...] or csv(\"...\"))"
                : "eps = ... (the radius of the ball)";
        check.report(SpecErrorCode.BAD_ARGUMENT, l.range(), "linf needs " + missing);
      }
      return null;
    }
    if (!ok || center == null || eps == null) {
      return null;
    }
    if (!(center instanceof Value.Vec c)) {
      check.report(SpecErrorCode.TYPE_MISMATCH, l.range(), "the center must be a vector, not "
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
      check.report(SpecErrorCode.TYPE_MISMATCH, epsArg.value().range(), "eps must be a number (or a"
          + " vector of " + n + " numbers, one per dimension), not " + eps.describe());
      return null;
    }
    for (double x : e) {
      if (x < 0) {
        check.report(SpecErrorCode.NEGATIVE_EPS, epsArg.value().range(), "eps is " + format(x)
            + " but must be at least 0 (it is the radius of the ball)");
        return null;
      }
    }
    double clipLo = Double.NEGATIVE_INFINITY;
    double clipHi = Double.POSITIVE_INFINITY;
    if (l.clipLower() != null || l.clipUpper() != null) {
      Double a = values.number(l.clipLower(), "the clip lower bound");
      Double b = values.number(l.clipUpper(), "the clip upper bound");
      if (a == null || b == null) {
        return null;
      }
      if (a > b) {
        check.report(SpecErrorCode.EMPTY_BOX, l.range(), "clip [" + format(a) + ", " + format(b)
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
        check.report(SpecErrorCode.EMPTY_BOX, l.range(), "in dimension " + i + " the ball "
            + format(ci) + " ± " + format(e[i]) + " lies outside the clip range ["
            + format(clipLo) + ", " + format(clipHi) + "]: the region holds no point");
        return null;
      }
    }
    return new Box(lo, hi);
  }

}
