package dev.robustspec.compiler.check;

import static dev.robustspec.compiler.check.CheckContext.count;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledNetwork;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.compiler.plan.PropertyPlan;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks properties and lowers each to the engine's form: the negation of its formula in
 * disjunctive normal form, one unsafe case per term and input box.
 */
final class PropertyLowering {
  /** More unsafe cases than this from one property is an error (the DNF blew up). */
  static final int MAX_CASES = 10_000;

  private final CheckContext check;
  private final ValueEvaluator values;

  PropertyLowering(CheckContext check, ValueEvaluator values) {
    this.check = check;
    this.values = values;
  }

  CompiledProperty property(Ast.PropertyDecl p, PropertyPlan written) {
    String name = p.name().text();
    CompiledProperty cp = lowerProperty(p, name);
    if (cp == null) {
      return null;
    }
    PropertyPlan plan = written != null ? written
        : PropertyPlan.defaultPlan(cp.network().inputSize());
    return new CompiledProperty(cp.name(), cp.networkName(), cp.network(), cp.specification(),
        plan, cp.range(), cp.outputNames());
  }

  /** The property with its unsafe cases; the plan is filled in by the caller. */
  private CompiledProperty lowerProperty(Ast.PropertyDecl p, String name) {
    PropertyPlan plan = null;
    if (p instanceof Ast.FileProperty fp) {
      if (fp.source() == null || fp.network() == null) {
        return null;
      }
      Specification spec = check.vnnlib(fp.source());
      CompiledNetwork net = check.networkRef(fp.network());
      if (spec == null || net == null) {
        return null;
      }
      if (spec.inputSize() != net.network().inputSize()
          || spec.outputSize() != net.network().outputSize()) {
        check.report(SpecErrorCode.DIMENSION_MISMATCH, fp.network().range(),
            "'" + fp.source().path()
            + "' declares " + count(spec.inputSize(), "input") + " and "
            + count(spec.outputSize(), "output") + " but network '" + net.name() + "' has "
            + net.network().inputSize()
            + " and " + net.network().outputSize());
        return null;
      }
      return new CompiledProperty(name, net.name(), net.network(), spec, plan, p.range(),
          CaseText.names("Y_", "", net.network().outputSize()));
    }
    Ast.FormulaProperty f = (Ast.FormulaProperty) p;
    if (f.region() == null || f.variable() == null || f.formula() == null) {
      return null;
    }
    CompiledRegion region = check.regionRef(f.region());
    FormulaContext ctx = new FormulaContext(f.variable().text());
    Formula formula = formula(f.formula(), ctx);
    if (region == null || formula == null || ctx.failed) {
      return null;
    }
    if (ctx.network == null) {
      check.report(SpecErrorCode.UNSUPPORTED_FORMULA, f.formula().range(), "the formula mentions no"
          + " network output; write e.g. net(" + ctx.variable + ")[0] <= 1");
      return null;
    }
    Network net = ctx.network.network();
    if (region.dimension() != net.inputSize()) {
      check.regionDoesNotFit(region, ctx.network.name(), net.inputSize(), name,
          f.region().range());
      return null;
    }
    List<List<OutputConstraint>> terms;
    try {
      terms = Formula.unsafeTerms(formula, MAX_CASES);
    } catch (Formula.TooManyTerms e) {
      check.report(SpecErrorCode.TOO_MANY_CASES, f.formula().range(), "the negation of this formula"
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
      check.report(SpecErrorCode.TOO_MANY_CASES, f.formula().range(), "this property has "
          + cases.size() + " unsafe cases (more than " + MAX_CASES + ")");
      return null;
    }
    Specification spec = new Specification(net.inputSize(), net.outputSize(), cases);
    return new CompiledProperty(name, ctx.network.name(), net, spec, plan, p.range(),
        CaseText.names(ctx.network.name() + "(" + ctx.variable + ")[", "]", net.outputSize()));
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
      boolean strict = c.op().equals("<") || c.op().equals(">");
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
        check.report(SpecErrorCode.INVALID_NUMBER, c.range(), "this comparison's coefficients or"
            + " constant overflow (they are not finite numbers)");
        ctx.failed = true;
        return null;
      }
      if (coef == null || allZero(coef)) {
        // a comparison of constants: decide it now, as written
        return new Formula.Const(strict ? 0 < bound : 0 <= bound);
      }
      return new Formula.Atom(coef, bound, strict);
    }
    if (f instanceof Ast.ArgFormula a) {
      CompiledNetwork net = formulaNetwork(a.network(), a.variable(), a.range(), ctx);
      Integer label = a.label() == null ? null : values.integer(a.label(), "the class", 0);
      if (net == null || label == null) {
        ctx.failed = true;
        return null;
      }
      int m = net.network().outputSize();
      if (label >= m) {
        check.report(SpecErrorCode.INDEX_OUT_OF_RANGE, a.label().range(), "class " + label
            + " is out of range: network '" + net.name() + "' has " + count(m, "output") + " (0.."
            + (m - 1) + ")");
        ctx.failed = true;
        return null;
      }
      // argmax == c: y_c > y_j for every j != c (strict: y_j - y_c < 0, so a tie is unsafe);
      // argmin mirrors it
      boolean max = a.function().equals("argmax");
      List<Formula> atoms = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        if (j == label) {
          continue;
        }
        double[] coef = new double[m];
        coef[j] = max ? 1 : -1;
        coef[label] = max ? -1 : 1;
        atoms.add(new Formula.Atom(coef, 0, true));
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
      Integer index = o.index() == null ? null : values.integer(o.index(), "an output index", 0);
      if (net == null || index == null) {
        return null;
      }
      int m = net.network().outputSize();
      if (index >= m) {
        check.report(SpecErrorCode.INDEX_OUT_OF_RANGE, o.index().range(), "output " + index
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
          check.report(SpecErrorCode.UNSUPPORTED_FORMULA, b.range(), "this product of two network"
              + " outputs is not linear; properties are linear in the outputs");
          return null;
        default:
          if (r.coef() != null) {
            check.report(SpecErrorCode.UNSUPPORTED_FORMULA, b.range(),
                "dividing by a network output is not linear");
            return null;
          }
          if (r.constant() == 0) {
            check.report(SpecErrorCode.INVALID_NUMBER, b.range(), "division by zero");
            return null;
          }
          return scaleLin(l, 1 / r.constant());
      }
    }
    Value v = values.eval(e);
    if (v == null) {
      return null;
    }
    if (v instanceof Value.Num n) {
      return new Lin(null, n.value());
    }
    check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), "a formula compares numbers, not "
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
    CompiledNetwork net = check.networkRef(netId);
    if (net == null) {
      return null;
    }
    if (!var.text().equals(ctx.variable)) {
      check.report(SpecErrorCode.UNSUPPORTED_FORMULA, var.range(), "'" + var.text()
          + "' is not bound here; this property's variable is '" + ctx.variable + "'");
      return null;
    }
    if (ctx.network != null && !ctx.network.name().equals(net.name())) {
      check.report(SpecErrorCode.UNSUPPORTED_FORMULA, netId.range(), "this property already applies"
          + " network '" + ctx.network.name() + "'; a property is about one network");
      return null;
    }
    ctx.network = net;
    return net;
  }

}
