package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.check.Compilation.DataItem;
import dev.robustspec.compiler.check.Compilation.RadiusForm;
import dev.robustspec.compiler.check.DatasetChecker.CompiledDataset;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.LocalRobustness;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers a property quantified over a data set
 * ({@code property p: forall (image, label) in data: forall x in REGION: formula}) to one
 * property per item, named {@code p[index]}, with the item's values and label bound in the region
 * and the formula.
 *
 * <p>The usual region, {@code linf(center = image, eps = E) clip [lo, hi]}, is built exactly as
 * {@code robustspec certify} builds it ({@link LocalRobustness}: the ball and the clip range in
 * the scaled space, normalised by the data set's mean and std with outward rounding), so that a
 * property over a data set and {@code certify} agree item by item. Any other region sees the
 * item's values as the nearest doubles of the scaled values, and is refused when the data set is
 * normalised (the region's space would be ambiguous).
 *
 * <p>The first item is checked with its diagnostics shown; the others are checked quietly (their
 * diagnostics would repeat the first one's), and an item that fails alone (a label out of the
 * network's range, a value outside the clip range) is reported once, by index.
 */
final class DatasetLowering {
  private final CheckContext check;
  private final ValueEvaluator values;
  private final RegionChecker regions;
  private final PropertyLowering properties;
  private final DatasetChecker datasets;
  private final RadiusLowering radius;

  DatasetLowering(CheckContext check, ValueEvaluator values, RegionChecker regions,
      PropertyLowering properties, DatasetChecker datasets, RadiusLowering radius) {
    this.radius = radius;
    this.check = check;
    this.values = values;
    this.regions = regions;
    this.properties = properties;
    this.datasets = datasets;
  }

  List<CompiledProperty> expand(Ast.DatasetProperty p) {
    if (p.item() == null || p.label() == null || p.dataset() == null || p.variable() == null
        || p.region() == null || p.formula() == null) {
      return List.of();
    }
    CompiledDataset data = datasets.datasetRef(p.dataset());
    if (data == null) {
      return List.of();
    }
    if (p.radius() == null) {
      return expand(p, data, null);
    }
    RadiusLowering.Bracket bracket = radius.checked(p.radius(), p.region(), p.formula());
    if (bracket == null) {
      return List.of();
    }
    if (itemBall(p) == null) {
      check.report(SpecErrorCode.BAD_RADIUS_SEARCH, p.region().range(), "a radius search over a"
          + " data set varies the ball around each item: write linf(center = " + p.item().text()
          + ", eps = " + bracket.variable() + ")");
      Mentions.networks(p.formula(), check.used::add);
      return List.of();
    }
    // the property at the top of the interval; the search builds it at other radii
    values.bind(bracket.variable(), new Value.Num(bracket.to()));
    try {
      return expand(p, data, bracket);
    } finally {
      values.unbind(bracket.variable());
    }
  }

  private List<CompiledProperty> expand(Ast.DatasetProperty p, CompiledDataset data,
      RadiusLowering.Bracket bracket) {
    Ast.LinfRegion ball = itemBall(p);
    if (ball == null && data.mean().length > 0) {
      check.report(SpecErrorCode.BAD_ARGUMENT, p.region().range(), "data set '" + data.name()
          + "' is normalised (mean, std): its region must be linf(center = " + p.item().text()
          + ", eps = ...), the ball around each item in the scaled space");
      return List.of();
    }
    LocalRobustness robustness = ball == null ? null : robustness(data, ball);
    BigDecimal eps = ball == null ? null : eps(ball);
    if (ball != null && (robustness == null || eps == null)) {
      return List.of();
    }
    String name = p.name().text();
    List<CompiledProperty> out = new ArrayList<>();
    List<Integer> failedItems = new ArrayList<>();
    String firstFailure = null;
    for (Dataset.Item item : data.data().items()) {
      boolean first = item == data.data().items().get(0);
      int before = check.diagnostics.size();
      values.bind(p.item().text(), new Value.Vec(robustness != null
          ? robustness.center(item.values()) : scaled(data, item.values())));
      values.bind(p.label().text(), new Value.Num(item.label()));
      CompiledProperty cp;
      try {
        cp = lowerItem(p, name, item, data, ball, robustness, eps, bracket);
      } finally {
        values.unbind(p.item().text());
        values.unbind(p.label().text());
      }
      if (first && cp == null) {
        return List.of(); // the diagnostics of the first item say what is wrong with all
      }
      if (!first && check.diagnostics.size() > before) {
        List<SpecDiagnostic> extra = check.diagnostics.subList(before, check.diagnostics.size());
        if (cp == null && firstFailure == null) {
          firstFailure = extra.stream().filter(SpecDiagnostic::isError).findFirst()
              .map(SpecDiagnostic::message).orElse(null);
        }
        extra.clear();
      }
      if (cp == null) {
        failedItems.add(item.index());
      } else {
        out.add(cp);
      }
    }
    if (!failedItems.isEmpty()) {
      check.report(SpecErrorCode.BAD_ARGUMENT, p.name().range(), failedItems.size() + " item"
          + (failedItems.size() == 1 ? "" : "s") + " of '" + data.name() + "' cannot be checked"
          + " and are left out (rows " + rows(failedItems) + ")"
          + (firstFailure == null ? "" : ": " + firstFailure));
    }
    return out;
  }

  private CompiledProperty lowerItem(Ast.DatasetProperty p, String name, Dataset.Item item,
      CompiledDataset data, Ast.LinfRegion ball, LocalRobustness robustness, BigDecimal eps,
      RadiusLowering.Bracket bracket) {
    List<Box> boxes;
    if (ball != null) {
      // a radius search starts near 0: the item itself must lie in the clip range
      Box box = robustness.ball(item.values(), bracket != null ? BigDecimal.ZERO : eps, true);
      for (int i = 0; i < box.dimension(); i++) {
        if (box.lower()[i] > box.upper()[i]) {
          check.report(SpecErrorCode.EMPTY_BOX, p.region().range(), "item " + item.index()
              + " has value " + CheckContext.format(robustness.center(item.values())[i])
              + " in dimension " + i + ", outside the clip range");
          return null;
        }
      }
      boxes = List.of(bracket != null ? robustness.ball(item.values(), eps, true) : box);
    } else {
      boxes = regions.boxes(p.region());
      if (boxes == null) {
        return null;
      }
    }
    CompiledRegion region = new CompiledRegion("item " + item.index() + " of " + data.name(),
        boxes, boxes.get(0).dimension(), p.region().range());
    CompiledProperty cp = properties.lowerOver(name + "[" + item.index() + "]", region,
        p.region().range(), p.variable(), p.formula(), p.range());
    return cp == null ? null : new CompiledProperty(cp.name(), cp.networkName(), cp.network(),
        cp.specification(), cp.plan(), cp.range(), cp.outputNames(),
        new DataItem(name, item.index(), item.label(), robustness != null
            ? robustness.center(item.values()) : scaled(data, item.values())),
        bracket == null ? null : new RadiusForm(bracket.variable(), bracket.from(), bracket.to(),
            bracket.tolerance(), robustness, item.values()));
  }

  /** The region when it is {@code linf(center = ITEM, eps = ...) [clip [lo, hi]]}, else null. */
  private static Ast.LinfRegion itemBall(Ast.DatasetProperty p) {
    if (!(p.region() instanceof Ast.LinfRegion l) || l.arguments().size() != 2) {
      return null;
    }
    boolean center = false;
    boolean eps = false;
    for (Ast.Argument a : l.arguments()) {
      center |= a.name().text().equals("center") && a.value() instanceof Ast.NameRef r
          && r.name().text().equals(p.item().text());
      eps |= a.name().text().equals("eps");
    }
    return center && eps ? l : null;
  }

  private BigDecimal eps(Ast.LinfRegion l) {
    Ast.Argument a = l.arguments().stream().filter(x -> x.name().text().equals("eps"))
        .findFirst().orElseThrow();
    Double e = values.number(a.value(), "eps");
    if (e == null) {
      return null;
    }
    if (e < 0) {
      check.report(SpecErrorCode.NEGATIVE_EPS, a.value().range(), "eps is "
          + CheckContext.format(e) + " but must be at least 0 (it is the radius of the ball)");
      return null;
    }
    return BigDecimal.valueOf(e); // the decimal written (0.03), as certify --eps reads it
  }

  private LocalRobustness robustness(CompiledDataset data, Ast.LinfRegion l) {
    BigDecimal lo = BigDecimal.valueOf(-Double.MAX_VALUE);
    BigDecimal hi = BigDecimal.valueOf(Double.MAX_VALUE);
    if (l.clipLower() != null || l.clipUpper() != null) {
      Double a = values.number(l.clipLower(), "the clip lower bound");
      Double b = values.number(l.clipUpper(), "the clip upper bound");
      if (a == null || b == null) {
        return null;
      }
      if (a > b) {
        check.report(SpecErrorCode.EMPTY_BOX, l.range(), "clip [" + CheckContext.format(a) + ", "
            + CheckContext.format(b) + "] is empty");
        return null;
      }
      lo = BigDecimal.valueOf(a);
      hi = BigDecimal.valueOf(b);
    }
    BigDecimal[] mean = data.mean().length > 0 ? data.mean() : new BigDecimal[] {BigDecimal.ZERO};
    BigDecimal[] std = data.std().length > 0 ? data.std() : new BigDecimal[] {BigDecimal.ONE};
    return new LocalRobustness(data.scaleNumerator(), data.scaleDenominator(), mean, std, lo, hi);
  }

  /** The stored values times the scale, to the nearest double (no normalisation). */
  private static double[] scaled(CompiledDataset data, double[] raw) {
    LocalRobustness identity = new LocalRobustness(data.scaleNumerator(),
        data.scaleDenominator(), new BigDecimal[] {BigDecimal.ZERO},
        new BigDecimal[] {BigDecimal.ONE}, BigDecimal.ZERO, BigDecimal.ZERO);
    return identity.center(raw);
  }

  private static String rows(List<Integer> rows) {
    List<String> shown = rows.stream().limit(10).map(String::valueOf).toList();
    return String.join(", ", shown) + (rows.size() > 10 ? ", ..." : "");
  }
}
