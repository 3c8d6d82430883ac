package dev.robustspec.engine.query;

import dev.robustspec.engine.io.VnnlibQuery.Atom;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.NoExactRuleException;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.RoundedEvaluation;
import dev.robustspec.engine.query.QueryLowering.Lowered;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Re-checks a counterexample against the original query before it is reported: the engine's
 * input point is rounded to float32 (so any tool can feed it to the model unchanged), every
 * declared variable is recomputed from it by evaluating each network on its own (not the
 * product): exactly ({@link ExactEvaluation}; for networks too large for that, in double with a
 * rigorous radius, {@link RoundedEvaluation}), so the violation certainly holds for the
 * real-valued networks; and in float32, layer by layer as a float32 runtime computes it. The
 * query's asserts are evaluated in exact arithmetic, strict comparisons strict. (A runtime that
 * sums in another order can differ from our float32 evaluation in the last bits; demanding a
 * violation for every order, with a rigorous float32 radius, rejected most real ACAS Xu
 * counterexamples, whose scores differ by 1e-4, so the float32 check is this one evaluation.)
 */
public final class Replay {
  private Replay() {}

  /** The outcome: {@code values} (double evaluation) per slot when confirmed, else the reason. */
  public record Result(boolean confirmed, double[] values, String reason) {}

  /**
   * Replays {@code engineInput}, a counterexample to unsafe case {@code caseIndex}. Each input is
   * rounded to the nearest float32, or to the next float32 inside the case's box when the
   * nearest one falls outside it (a point on the box's edge stays in the box).
   */
  public static Result check(Lowered lowered, double[] engineInput, int caseIndex) {
    VnnlibQuery q = lowered.query();
    dev.robustspec.engine.spec.Box box = lowered.spec().cases().get(caseIndex).region();
    double[] x32 = new double[engineInput.length];
    for (int i = 0; i < x32.length; i++) {
      float f = (float) engineInput[i];
      if (f < box.lower()[i]) {
        f = Math.nextUp(f);
      } else if (f > box.upper()[i]) {
        f = Math.nextDown(f);
      }
      x32[i] = f;
    }
    double[] radiusDouble = new double[q.slotCount()];
    BigDecimal[] exact = exactAssignment(lowered, x32);
    if (exact != null) {
      // real arithmetic decided exactly; the double values are what is printed
      double[] inDouble = assignment(lowered, x32, false);
      if (!satisfiesExactly(q, exact)) {
        return new Result(false, null, satisfies(q, inDouble)
            ? "the counterexample violates the property in double evaluation but not in exact"
                + " (real) arithmetic"
            : "the counterexample found in double precision no longer satisfies the query once"
                + " its inputs are rounded to float32");
      }
      return float32Check(lowered, x32, inDouble);
    }
    double[] inDouble = assignment(lowered, x32, false, radiusDouble);
    if (!satisfies(q, inDouble, radiusDouble)) {
      return new Result(false, null, satisfies(q, inDouble)
          ? "the counterexample violates the property in double evaluation, but by less than"
              + " the rounding error: it is not certain in real arithmetic"
          : "the counterexample found in double precision no longer satisfies the query once"
              + " its inputs are rounded to float32");
    }
    return float32Check(lowered, x32, inDouble);
  }

  /** The last step of both paths of {@link #check}: the violation must show in float32 too. */
  private static Result float32Check(Lowered lowered, double[] x32, double[] inDouble) {
    if (!satisfies(lowered.query(), assignment(lowered, x32, true))) {
      return new Result(false, null, "the counterexample satisfies the query in real"
          + " arithmetic but not in float32 evaluation of the networks");
    }
    return new Result(true, inDouble, null);
  }

  /** Every slot's exact value, or null when a network is too large to evaluate exactly or has no exact rule. */
  static BigDecimal[] exactAssignment(Lowered lowered, double[] x) {
    VnnlibQuery q = lowered.query();
    for (QueryLowering.Lane lane : lowered.lanes()) {
      if (!ExactEvaluation.affordable(lane.network())) {
        return null;
      }
    }
    BigDecimal[] values = new BigDecimal[q.slotCount()];
    for (int s = 0; s < values.length; s++) {
      if (lowered.productInput()[s] >= 0) {
        values[s] = new BigDecimal(x[lowered.productInput()[s]]);
      }
    }
    for (QueryLowering.Lane lane : lowered.lanes()) {
      if (lane.output().kind() == VnnlibQuery.Kind.INPUT) {
        continue;
      }
      VarDecl in = lane.input();
      double[] xi = new double[in.size()];
      for (int k = 0; k < xi.length; k++) {
        xi[k] = x[lowered.productInput()[in.firstSlot() + k]];
      }
      BigDecimal[] y;
      try {
        y = ExactEvaluation.evaluate(lane.network(), xi);
      } catch (NoExactRuleException e) {
        return null; // sigmoid, tanh: not evaluable exactly, as for a network too large
      }
      System.arraycopy(y, 0, values, lane.output().firstSlot(), y.length);
    }
    return values;
  }

  /** True when the exact values satisfy every assert. */
  static boolean satisfiesExactly(VnnlibQuery q, BigDecimal[] values) {
    return satisfiesAsserts(q, id -> holdsExactly(q.atoms().get(id), values));
  }

  static boolean holdsExactly(Atom a, BigDecimal[] values) {
    BigDecimal s = BigDecimal.ZERO;
    for (int k = 0; k < a.slots().length; k++) {
      s = s.add(new BigDecimal(a.coefs()[k]).multiply(values[a.slots()[k]]));
    }
    int c = s.compareTo(new BigDecimal(a.bound()));
    return a.strict() ? c < 0 : c <= 0;
  }

  /** Every slot's value: inputs from {@code x}, outputs from each network evaluated alone. */
  public static double[] assignment(Lowered lowered, double[] x, boolean float32) {
    return assignment(lowered, x, float32, new double[lowered.query().slotCount()]);
  }

  /**
   * Like {@link #assignment(Lowered, double[], boolean)}, and fills {@code radius} with each
   * slot's rigorous distance to the real-valued networks' value ({@link RoundedEvaluation}).
   */
  public static double[] assignment(Lowered lowered, double[] x, boolean float32,
      double[] radius) {
    VnnlibQuery q = lowered.query();
    double[] values = new double[q.slotCount()];
    for (int s = 0; s < values.length; s++) {
      if (lowered.productInput()[s] >= 0) {
        values[s] = x[lowered.productInput()[s]];
      }
    }
    for (QueryLowering.Lane lane : lowered.lanes()) {
      if (lane.output().kind() == VnnlibQuery.Kind.INPUT) {
        continue; // an identity lane that copies an input: the input's value is exact
      }
      Network net = lane.network();
      VarDecl in = lane.input();
      double[] xi = new double[in.size()];
      for (int k = 0; k < xi.length; k++) {
        xi[k] = values[in.firstSlot() + k];
      }
      RoundedEvaluation.Result r = RoundedEvaluation.evaluate(net, xi, float32);
      System.arraycopy(r.values(), 0, values, lane.output().firstSlot(), r.values().length);
      System.arraycopy(r.radius(), 0, radius, lane.output().firstSlot(), r.radius().length);
    }
    return values;
  }

  /** True when {@code values} (one per slot) satisfy every assert, in exact arithmetic. */
  public static boolean satisfies(VnnlibQuery q, double[] values) {
    return satisfies(q, values, new double[values.length]);
  }

  /**
   * True when every assignment within {@code radius} of {@code values} (slot by slot)
   * satisfies the asserts: each atom {@code c . v <= b} is checked as
   * {@code c . v + |c| . radius <= b}, exactly.
   */
  public static boolean satisfies(VnnlibQuery q, double[] values, double[] radius) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return satisfiesAsserts(q, id -> holds(q.atoms().get(id), values, radius));
  }

  /**
   * The asserts' structure, shared by the exact and the radius checks: every common atom holds,
   * and each disjunctive assert has a term whose atoms all hold ({@code holds} tests one atom id).
   */
  private static boolean satisfiesAsserts(VnnlibQuery q, IntPredicate holds) {
    for (int id : q.common()) {
      if (!holds.test(id)) {
        return false;
      }
    }
    for (List<int[]> group : q.disjunctive()) {
      boolean any = false;
      for (int[] term : group) {
        boolean all = true;
        for (int id : term) {
          if (!holds.test(id)) {
            all = false;
            break;
          }
        }
        if (all) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  static boolean holds(Atom a, double[] values, double[] radius) {
    BigDecimal s = BigDecimal.ZERO;
    for (int k = 0; k < a.slots().length; k++) {
      int slot = a.slots()[k];
      if (!Double.isFinite(radius[slot])) {
        return false;
      }
      s = s.add(new BigDecimal(a.coefs()[k]).multiply(new BigDecimal(values[slot])));
      s = s.add(new BigDecimal(Math.abs(a.coefs()[k])).multiply(new BigDecimal(radius[slot])));
    }
    int c = s.compareTo(new BigDecimal(a.bound()));
    return a.strict() ? c < 0 : c <= 0;
  }
}
