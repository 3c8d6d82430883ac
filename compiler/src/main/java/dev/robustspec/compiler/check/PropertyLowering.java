package dev.robustspec.compiler.check;

import static dev.robustspec.compiler.check.CheckContext.count;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledNetwork;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.plan.PropertyPlan;
import dev.robustspec.engine.logic.AtomTable;
import dev.robustspec.engine.logic.CaseLimitException;
import dev.robustspec.engine.logic.Comparison;
import dev.robustspec.engine.logic.Dnf;
import dev.robustspec.engine.logic.Formula;
import dev.robustspec.engine.logic.LinearAtom;
import dev.robustspec.engine.logic.LinearForm;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks properties and lowers each to the engine's form: the negation of its formula in
 * disjunctive normal form (the engine's one {@link Dnf}, over {@link LinearForm} comparisons as
 * VNN-LIB's), one unsafe case per term and input box.
 *
 * <p>Each atom keeps whether it is strict ({@code c . y < d}); negation flips it (the negation
 * of {@code c . y <= d} is {@code -c . y < -d}), so an unsafe case's constraints say exactly
 * which outputs violate the property. The passes close every constraint (the unsafe set can
 * only grow, so a proof stays a proof); the counterexample check honours strictness, so a point
 * where {@code y0 <= 1.5} holds with equality is never reported as violating it. Cases come
 * with the first operand of a conjunction varying fastest ({@link Dnf.Order#FIRST_VARIES_FASTEST}).
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
    return withPlan(cp, written);
  }

  /** The property with the plan written for it, or the default plan. */
  CompiledProperty withPlan(CompiledProperty cp, PropertyPlan written) {
    PropertyPlan plan = written != null ? written
        : PropertyPlan.defaultPlan(cp.network().inputSize());
    return cp.withPlan(plan);
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
    return lowerOver(name, region, f.region().range(), f.variable(), f.formula(), p.range());
  }

  /**
   * A formula property over {@code region} (null when the region had errors; the formula is
   * checked all the same): the negation of the formula in DNF, one unsafe case per term and box.
   */
  CompiledProperty lowerOver(String name, CompiledRegion region, SourceRange regionRange,
      Ast.Ident variable, Ast.Formula formulaAst, SourceRange range) {
    FormulaContext ctx = new FormulaContext(variable.text());
    AtomTable atoms = new AtomTable();
    Formula formula = formula(formulaAst, ctx, atoms);
    if (region == null || formula == null || ctx.failed) {
      return null;
    }
    if (ctx.network == null) {
      check.report(SpecErrorCode.UNSUPPORTED_FORMULA, formulaAst.range(), "the formula mentions no"
          + " network output; write e.g. net(" + ctx.variable + ")[0] <= 1");
      return null;
    }
    Network net = ctx.network.network();
    if (region.dimension() != net.inputSize()) {
      if (check.symbols.get(region.name()) instanceof Ast.RegionDecl) {
        check.regionDoesNotFit(region, ctx.network.name(), net.inputSize(), name, regionRange);
      } else { // a data item's ball: reported where the property writes it
        check.report(SpecErrorCode.DIMENSION_MISMATCH, regionRange, region.name() + " has "
            + region.dimension() + " dimension" + (region.dimension() == 1 ? "" : "s")
            + " but network '" + ctx.network.name() + "' takes " + net.inputSize() + " inputs");
      }
      return null;
    }
    List<List<OutputConstraint>> terms = new ArrayList<>();
    try {
      for (int[] t : new Dnf(atoms, MAX_CASES, Dnf.Order.FIRST_VARIES_FASTEST)
          .negationTerms(formula)) {
        List<OutputConstraint> term = new ArrayList<>(t.length);
        for (int id : t) {
          term.add(outputConstraint(atoms.get(id), net.outputSize()));
        }
        terms.add(term);
      }
    } catch (CaseLimitException e) {
      check.report(SpecErrorCode.TOO_MANY_CASES, formulaAst.range(), "the negation of this formula"
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
      check.report(SpecErrorCode.TOO_MANY_CASES, formulaAst.range(), "this property has "
          + cases.size() + " unsafe cases (more than " + MAX_CASES + ")");
      return null;
    }
    Specification spec = new Specification(net.inputSize(), net.outputSize(), cases);
    return new CompiledProperty(name, ctx.network.name(), net, spec, null, range,
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

  /** {@code atom} as a constraint over the {@code m} outputs (variables are output indices). */
  private static OutputConstraint outputConstraint(LinearAtom atom, int m) {
    double[] c = new double[m];
    for (int k = 0; k < atom.variables().length; k++) {
      c[atom.variables()[k]] = atom.coefficients()[k];
    }
    return new OutputConstraint(c, atom.bound(), atom.strict());
  }

  private Formula formula(Ast.Formula f, FormulaContext ctx, AtomTable atoms) {
    if (f == null) {
      ctx.failed = true;
      return null;
    }
    if (f instanceof Ast.Not n) {
      Formula o = formula(n.operand(), ctx, atoms);
      return o == null ? null : new Formula.Not(o, n.range());
    }
    if (f instanceof Ast.And a) {
      Formula l = formula(a.left(), ctx, atoms);
      Formula r = formula(a.right(), ctx, atoms);
      return l == null || r == null ? null : new Formula.And(List.of(l, r), a.range());
    }
    if (f instanceof Ast.Or o) {
      Formula l = formula(o.left(), ctx, atoms);
      Formula r = formula(o.right(), ctx, atoms);
      return l == null || r == null ? null : new Formula.Or(List.of(l, r), o.range());
    }
    if (f instanceof Ast.Implies i) {
      Formula l = formula(i.left(), ctx, atoms);
      Formula r = formula(i.right(), ctx, atoms);
      return l == null || r == null ? null
          : new Formula.Or(List.of(new Formula.Not(l, i.range()), r), i.range());
    }
    if (f instanceof Ast.Comparison c) {
      LinearForm l = linear(c.left(), ctx);
      LinearForm r = linear(c.right(), ctx);
      if (l == null || r == null) {
        ctx.failed = true;
        return null;
      }
      Formula atom = Comparison.of(c.op()).formula(l, r, atoms, c.range());
      if (atom == null) {
        // e.g. y / 1e-320 or 1e300 * 1e300: no OutputConstraint can hold it
        check.report(SpecErrorCode.INVALID_NUMBER, c.range(), "this comparison's coefficients or"
            + " constant overflow (they are not finite numbers)");
        ctx.failed = true;
        return null;
      }
      return atom; // a comparison of constants is decided now, as written
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
      List<Formula> parts = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        if (j == label) {
          continue;
        }
        int[] vars = j < label ? new int[] {j, label} : new int[] {label, j};
        double cj = max ? 1 : -1;
        double[] coefs = j < label ? new double[] {cj, -cj} : new double[] {-cj, cj};
        parts.add(new Formula.Atom(atoms.add(new LinearAtom(vars, coefs, 0, true)),
            a.range()));
      }
      Formula is = parts.size() == 1 ? parts.get(0) : new Formula.And(parts, a.range());
      if (parts.isEmpty()) {
        is = new Formula.Const(true, a.range());
      }
      return a.op().equals("==") ? is : new Formula.Not(is, a.range());
    }
    ctx.failed = true;
    return null;
  }

  /** A linear expression over the outputs of {@code ctx.network} (variables: output indices). */
  private LinearForm linear(Ast.Expr e, FormulaContext ctx) {
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
      return LinearForm.variable(index);
    }
    if (e instanceof Ast.Unary u) {
      LinearForm v = linear(u.operand(), ctx);
      return v == null ? null : u.op().equals("-") ? v.scaled(-1) : v;
    }
    if (e instanceof Ast.Binary b) {
      LinearForm l = linear(b.left(), ctx);
      LinearForm r = linear(b.right(), ctx);
      if (l == null || r == null) {
        return null;
      }
      switch (b.op()) {
        case "+":
          l.add(r);
          return l;
        case "-":
          return LinearForm.difference(l, r);
        case "*":
          if (l.isConstant()) {
            return r.scaled(l.constant());
          }
          if (r.isConstant()) {
            return l.scaled(r.constant());
          }
          check.report(SpecErrorCode.UNSUPPORTED_FORMULA, b.range(), "this product of two network"
              + " outputs is not linear; properties are linear in the outputs");
          return null;
        default:
          if (!r.isConstant()) {
            check.report(SpecErrorCode.UNSUPPORTED_FORMULA, b.range(),
                "dividing by a network output is not linear");
            return null;
          }
          if (r.constant() == 0) {
            check.report(SpecErrorCode.INVALID_NUMBER, b.range(), "division by zero");
            return null;
          }
          return l.scaled(1 / r.constant());
      }
    }
    Value v = values.eval(e);
    if (v == null) {
      return null;
    }
    if (v instanceof Value.Num n) {
      return LinearForm.constant(n.value());
    }
    check.report(SpecErrorCode.TYPE_MISMATCH, e.range(), "a formula compares numbers, not "
        + v.describe());
    return null;
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
