package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.run.RadiusSearch;
import dev.robustspec.engine.verify.Verdict;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The quick fix "Set eps to R (largest radius certified for ...)" on a falsified or unknown
 * local-robustness property whose ball is {@code linf(center = ..., eps = E)} with E a literal or
 * the name of a {@code let}/{@code param} with a literal value (issue 16).
 *
 * <p>R comes from the engine's radius search ({@link RadiusSearch}) in (0, eps]: each probe is
 * the document recompiled with that literal replaced by the probed radius, its property verified
 * as the editor verifies it; R is the largest certified radius, rounded down to 3 significant
 * digits (a smaller ball: still certified). For a property over a data set the rule is: every
 * item certified at R, leaving out the items not certified at radius 0 (misclassified at their
 * centre: no radius certifies them), which the fix names.
 */
public final class RadiusFixes {
  /** Bisection stops when the bracket is narrower than eps / this. */
  static final int TOLERANCE_DIVISOR = 64;

  private RadiusFixes() {}

  /** The edit: replace {@code range} (the literal) by {@code newText}; {@code title} says why. */
  public record Fix(String title, String property, SourceRange range, String newText,
      double radius) {}

  /** Where eps is written: the literal's range and value, and the name the user knows it by. */
  record EpsLiteral(String name, SourceRange range, double value) {}

  /** The eps literal of a property's ball, or null when it is not a linf ball over a literal. */
  static EpsLiteral epsOf(Analysis a, String property) {
    Ast.RegionExpr region = null;
    for (Ast.Decl d : a.ast().declarations()) {
      if (d instanceof Ast.DatasetProperty p && p.name().text().equals(property)) {
        region = p.region();
      } else if (d instanceof Ast.FormulaProperty p && p.name().text().equals(property)
          && p.region() != null) {
        region = regionNamed(a.ast(), p.region().text());
      }
    }
    if (!(region instanceof Ast.LinfRegion l)) {
      return null;
    }
    Ast.Expr eps = l.arguments().stream().filter(x -> x.name().text().equals("eps"))
        .map(Ast.Argument::value).findFirst().orElse(null);
    if (eps instanceof Ast.NumberLit n) {
      return new EpsLiteral("eps", n.range(), n.value());
    }
    if (eps instanceof Ast.NameRef r) {
      for (Ast.Decl d : a.ast().declarations()) {
        if (d instanceof Ast.LetDecl let && let.name().text().equals(r.name().text())
            && let.value() instanceof Ast.NumberLit n) {
          return new EpsLiteral(let.name().text(), n.range(), n.value());
        }
      }
    }
    return null;
  }

  private static Ast.RegionExpr regionNamed(Ast.SpecFile file, String name) {
    for (Ast.Decl d : file.declarations()) {
      if (d instanceof Ast.RegionDecl r && r.name().text().equals(name)) {
        return r.region();
      }
    }
    return null;
  }

  /**
   * Runs the radius search for {@code property} (a declared name: an ordinary property or a
   * data-set property) within {@code limit}; null when no radius above 0 was certified.
   */
  static Fix fix(Analysis a, String property, EpsLiteral eps, Duration limit,
      Function<String, Compilation> compile, LanguageService.PropertyVerifier verifier) {
    if (!(eps.value() > 0)) {
      return null;
    }
    Budget budget = Budget.of(limit);
    // the items of a data-set property not certified at radius 0 can never be: left out
    List<String> all = targets(a.compilation(), property);
    List<String> leftOut = new ArrayList<>();
    Probe atZero = probe(a, eps, 0, all, List.of(), compile, verifier, budget, limit);
    if (atZero.names().isEmpty() || atZero.outcome() == RadiusSearch.Outcome.ERROR) {
      return null;
    }
    boolean dataset = all.size() != 1 || !all.get(0).equals(property);
    if (!dataset && atZero.outcome() != RadiusSearch.Outcome.CERTIFIED) {
      return null;
    }
    leftOut.addAll(atZero.uncertified());
    if (leftOut.size() == atZero.names().size()) {
      return null;
    }
    double tolerance = eps.value() / TOLERANCE_DIVISOR;
    double seconds = budget.secondsLeft();
    RadiusSearch.Result<Probe> r = RadiusSearch.search(0, eps.value(), tolerance, seconds,
        (radius, s) -> {
          Probe p = probe(a, eps, radius, all, leftOut, compile, verifier, budget,
              Duration.ofNanos((long) (s * 1e9)));
          return new RadiusSearch.Step<>(p.outcome(), Double.NaN, p);
        });
    if (r.certified() == null) {
      return null;
    }
    BigDecimal down = new BigDecimal(r.certified()).round(new MathContext(3,
        RoundingMode.FLOOR));
    String text = down.stripTrailingZeros().toPlainString();
    String who = dataset ? "every item of " + property
        + (leftOut.isEmpty() ? "" : " but " + leftOut.size() + " not certified at radius 0 ("
            + String.join(", ", leftOut) + ")") : property;
    return new Fix("Set " + eps.name() + " to " + text + " (largest radius certified for " + who
        + ", searched to " + Verdicts.number(tolerance) + ")", property, eps.range(), text,
        down.doubleValue());
  }

  /** The compiled properties of a declared name: itself, or its data set's items. */
  private static List<String> targets(Compilation c, String property) {
    List<String> out = new ArrayList<>();
    for (CompiledProperty p : c.properties()) {
      if (p.name().equals(property)
          || p.item() != null && p.item().property().equals(property)) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** A probe: its outcome, the names verified, and those not certified. */
  record Probe(RadiusSearch.Outcome outcome, List<String> names, List<String> uncertified) {}

  /** The document at radius {@code radius}, its target properties verified one by one. */
  private static Probe probe(Analysis a, EpsLiteral eps, double radius, List<String> names,
      List<String> leftOut, Function<String, Compilation> compile,
      LanguageService.PropertyVerifier verifier, Budget budget, Duration limit) {
    String text = a.text().substring(0, eps.range().startOffset()) + BigDecimal.valueOf(radius)
        .toPlainString() + a.text().substring(eps.range().endOffset());
    Compilation c = compile.apply(text);
    List<String> verified = new ArrayList<>();
    List<String> uncertified = new ArrayList<>();
    boolean falsified = false;
    Budget step = budget.capped(limit);
    for (String name : names) {
      if (leftOut.contains(name)) {
        continue;
      }
      CompiledProperty p = c.properties().stream().filter(x -> x.name().equals(name))
          .findFirst().orElse(null);
      if (p == null) {
        return new Probe(RadiusSearch.Outcome.ERROR, verified, uncertified);
      }
      verified.add(name);
      Verdict v;
      try {
        v = verifier.verify(p, step).verdict();
      } catch (RuntimeException e) {
        v = null; // a failed run decides nothing: open, as a timeout
      }
      if (!(v instanceof Verdict.Certified)) {
        uncertified.add(name);
        falsified |= v instanceof Verdict.Falsified;
      }
    }
    RadiusSearch.Outcome o = uncertified.isEmpty() ? RadiusSearch.Outcome.CERTIFIED
        : falsified ? RadiusSearch.Outcome.FALSIFIED : RadiusSearch.Outcome.OPEN;
    return new Probe(o, verified, uncertified);
  }
}
