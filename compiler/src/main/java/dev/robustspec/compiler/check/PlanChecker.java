package dev.robustspec.compiler.check;

import static dev.robustspec.compiler.check.CheckContext.format;
import static dev.robustspec.compiler.check.CheckContext.kind;
import static dev.robustspec.compiler.check.CheckContext.suggestion;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.plan.PassRegistry;
import dev.robustspec.engine.plan.PlanValidator;
import dev.robustspec.engine.plan.PropertyPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks verify statements: property names, pass names and their parameters. */
final class PlanChecker {
  private final CheckContext check;
  private final ValueEvaluator values;

  PlanChecker(CheckContext check, ValueEvaluator values) {
    this.check = check;
    this.values = values;
  }

  void verify(Ast.VerifyDecl v, Map<String, PropertyPlan> plans) {
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
    PropertyPlan plan = v.passes().isEmpty() ? null : new PropertyPlan(passes, false);
    for (Ast.Ident t : v.targets()) {
      Ast.NamedDecl d = check.symbols.get(t.text());
      if (d == null) {
        check.undefined(t, "property", Ast.PropertyDecl.class);
        continue;
      }
      if (!(d instanceof Ast.PropertyDecl)) {
        check.report(SpecErrorCode.WRONG_KIND, t.range(), "'" + t.text() + "' is a " + kind(d)
            + ", not a property; verify names properties");
        continue;
      }
      if (plans.containsKey(t.text())) {
        check.report(SpecErrorCode.VERIFIED_TWICE, t.range(), "property '" + t.text()
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
    PlanValidator.Lookup<PassRegistry.PassSpec> found = PlanValidator.pass(name);
    if (found.problem() instanceof PlanValidator.Problem.UnknownPass u) {
      check.report(SpecErrorCode.UNKNOWN_PASS, call.name().range(), "unknown pass '" + name + "'"
          + suggestion(name, u.known()) + "; the passes are " + String.join(", ", u.known()));
      return null;
    }
    PassRegistry.PassSpec spec = found.found();
    Map<String, Double> given = new LinkedHashMap<>();
    boolean ok = true;
    for (Ast.Argument a : call.arguments()) {
      String pn = a.name().text();
      PlanValidator.Lookup<PassRegistry.ParamSpec> param = PlanValidator.parameter(spec, pn);
      PassRegistry.ParamSpec ps = param.found();
      if (param.problem() instanceof PlanValidator.Problem.UnknownParameter u) {
        List<String> names = u.known();
        check.report(SpecErrorCode.BAD_PASS_PARAMETER, a.name().range(), "unknown parameter '" + pn
            + "' of " + name + suggestion(pn, names) + "; its parameters are "
            + String.join(", ", names));
        ok = false;
        continue;
      }
      if (given.containsKey(pn)) {
        check.report(SpecErrorCode.BAD_PASS_PARAMETER, a.name().range(), "'" + pn
            + "' is given twice");
        ok = false;
        continue;
      }
      Value v = values.eval(a.value());
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
        check.report(SpecErrorCode.BAD_PASS_PARAMETER, a.value().range(), name + "'s " + pn
            + " must be " + want + ", not " + v.describe());
        ok = false;
        continue;
      }
      if (PlanValidator.range(spec, ps, x) != null) {
        check.report(SpecErrorCode.BAD_PASS_PARAMETER, a.value().range(), name + "'s " + pn + " is "
            + format(x) + " but must lie in [" + format(ps.min()) + ", " + format(ps.max())
            + "]");
        ok = false;
        continue;
      }
      given.put(pn, x);
    }
    return ok ? new PassInvocation(spec, PassRegistry.withDefaults(spec, given))
        : null;
  }

}
