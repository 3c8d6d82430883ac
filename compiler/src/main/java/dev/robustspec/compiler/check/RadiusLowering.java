package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.check.Compilation.RadiusForm;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.LocalRobustness;
import java.math.BigDecimal;
import java.util.List;

/**
 * Checks the radius-search form ({@code largest eps in (from, to] tolerance t: forall x in
 * linf(center = ..., eps = eps) clip [lo, hi]: formula}) and lowers it: the property at radius
 * {@code to}, with the {@link RadiusForm} from which the search builds it at any radius.
 *
 * <p>The radius must be exactly the {@code eps} of an {@code linf} region, and appear nowhere
 * else: the regions are then nested (a certificate at r covers every smaller radius) and the
 * unsafe cases do not depend on the radius, which is what makes the bisection sound. The ball
 * is {@link LocalRobustness}'s, so a single region's ball and a data item's are the same
 * rounding of the same real ball (for a single region the centre is not scaled).
 */
final class RadiusLowering {
  /** The checked interval and tolerance. */
  record Bracket(String variable, double from, double to, double tolerance) {}

  private final CheckContext check;
  private final ValueEvaluator values;
  private final RegionChecker regions;
  private final PropertyLowering properties;

  RadiusLowering(CheckContext check, ValueEvaluator values, RegionChecker regions,
      PropertyLowering properties) {
    this.check = check;
    this.values = values;
    this.regions = regions;
    this.properties = properties;
  }

  /**
   * The interval and tolerance of {@code search}, checked with where the radius is used: as the
   * eps of the linf {@code region} and nowhere else. Null (reported) when something is wrong.
   */
  Bracket bracket(Ast.RadiusSearch search, Ast.RegionExpr region, Ast.Formula formula) {
    String r = search.variable().text();
    boolean ok = true;
    SourceRange inFormula = formula == null ? null : Mentions.in(formula, r);
    if (inFormula != null) {
      check.report(SpecErrorCode.BAD_RADIUS_SEARCH, inFormula, "the radius '" + r + "' is used"
          + " outside the region: the search varies only the region's eps, so the formula"
          + " cannot depend on it");
      ok = false;
    }
    if (region != null && !usesAsEps(region, r)) {
      SourceRange elsewhere = Mentions.in(region, r);
      check.report(SpecErrorCode.BAD_RADIUS_SEARCH, elsewhere != null ? elsewhere
          : region.range(), elsewhere != null ? "the radius '" + r + "' can only be the eps of"
          + " the ball: write linf(center = ..., eps = " + r + ")"
          : "the radius '" + r + "' is never used: the region must be linf(center = ..., eps = "
          + r + "), the ball whose radius the search finds");
      ok = false;
    }
    Double from = values.number(search.from(), "the start of the search interval");
    Double to = values.number(search.to(), "the end of the search interval");
    Double tolerance = search.tolerance() == null ? null
        : values.number(search.tolerance(), "the tolerance");
    if (from == null || to == null || (search.tolerance() != null && tolerance == null)) {
      return null;
    }
    if (from < 0 || !(to > from) || Double.isInfinite(to)) {
      check.report(SpecErrorCode.BAD_RADIUS_SEARCH, search.from().range().to(search.to()
          .range()), "the search interval (" + CheckContext.format(from) + ", "
          + CheckContext.format(to) + "] " + (from < 0 ? "starts below 0: a radius is at least 0"
          : "is empty: write (a, b] with 0 <= a < b, e.g. (0, 0.1]"));
      return null;
    }
    double tol = tolerance != null ? tolerance : (to - from) / 1000;
    if (!(tol > 0)) {
      check.report(SpecErrorCode.BAD_RADIUS_SEARCH, search.tolerance().range(), "the tolerance"
          + " is " + CheckContext.format(tol) + " but must be positive (the bisection stops when"
          + " the bracket is at most that wide)");
      return null;
    }
    return ok ? new Bracket(r, from, to, tol) : null;
  }

  /**
   * {@link #bracket}, and when it fails the formula's networks count as used all the same (the
   * property is left out for its search, not because the network is unused).
   */
  Bracket checked(Ast.RadiusSearch search, Ast.RegionExpr region, Ast.Formula formula) {
    Bracket b = bracket(search, region, formula);
    if (b == null && formula != null) {
      Mentions.networks(formula, check.used::add);
    }
    return b;
  }

  /** {@code property p: largest r in (a, b]: forall x in linf(...): formula}. */
  CompiledProperty property(Ast.RadiusProperty p) {
    if (p.variable() == null || p.region() == null || p.formula() == null) {
      return null;
    }
    Bracket b = checked(p.radius(), p.region(), p.formula());
    if (b == null) {
      return null;
    }
    Ast.LinfRegion linf = (Ast.LinfRegion) p.region();
    values.bind(b.variable(), new Value.Num(b.to()));
    try {
      List<Box> boxes = regions.boxes(p.region());
      if (boxes == null) {
        return null;
      }
      LocalRobustness ball = ball(linf);
      double[] center = center(linf);
      if (ball == null || center == null) {
        return null;
      }
      if (ball.ball(center, BigDecimal.ZERO, true).isEmpty()) {
        check.report(SpecErrorCode.EMPTY_BOX, p.region().range(), "the centre lies outside the"
            + " clip range: the ball is empty at small radii");
        return null;
      }
      CompiledRegion region = new CompiledRegion("ball of " + p.name().text(), boxes,
          boxes.get(0).dimension(), p.region().range());
      CompiledProperty cp = properties.lowerOver(p.name().text(), region, p.region().range(),
          p.variable(), p.formula(), p.range());
      return cp == null ? null : new CompiledProperty(cp.name(), cp.networkName(), cp.network(),
          cp.specification(), cp.plan(), cp.range(), cp.outputNames(), null,
          new RadiusForm(b.variable(), b.from(), b.to(), b.tolerance(), ball, center));
    } finally {
      values.unbind(b.variable());
    }
  }

  /** The linf region's centre (checked already by the region's own lowering). */
  private double[] center(Ast.LinfRegion l) {
    for (Ast.Argument a : l.arguments()) {
      if (a.name().text().equals("center") && values.eval(a.value()) instanceof Value.Vec v) {
        return v.values();
      }
    }
    return null;
  }

  /** The ball of a single region: no scale, no normalisation, its clip range. */
  private LocalRobustness ball(Ast.LinfRegion l) {
    BigDecimal lo = BigDecimal.valueOf(-Double.MAX_VALUE);
    BigDecimal hi = BigDecimal.valueOf(Double.MAX_VALUE);
    if (l.clipLower() != null) {
      Double a = values.number(l.clipLower(), "the clip lower bound");
      Double b = values.number(l.clipUpper(), "the clip upper bound");
      if (a == null || b == null) {
        return null;
      }
      lo = new BigDecimal(a); // the double the region's own box clips to
      hi = new BigDecimal(b);
    }
    BigDecimal[] zero = {BigDecimal.ZERO};
    BigDecimal[] one = {BigDecimal.ONE};
    return new LocalRobustness(BigDecimal.ONE, BigDecimal.ONE, zero, one, lo, hi);
  }

  /** True when {@code region} is linf whose eps is exactly the name {@code r}, used nowhere else. */
  private static boolean usesAsEps(Ast.RegionExpr region, String r) {
    if (!(region instanceof Ast.LinfRegion l)) {
      return false;
    }
    boolean eps = false;
    for (Ast.Argument a : l.arguments()) {
      if (a.name().text().equals("eps") && a.value() instanceof Ast.NameRef n
          && n.name().text().equals(r)) {
        eps = true;
      } else if (a.value() != null && Mentions.in(a.value(), r) != null) {
        return false;
      }
    }
    return eps && Mentions.in(l.clipLower(), r) == null && Mentions.in(l.clipUpper(), r) == null;
  }
}
