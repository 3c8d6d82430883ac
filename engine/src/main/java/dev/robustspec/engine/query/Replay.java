package dev.robustspec.engine.query;

import dev.robustspec.engine.network.Float32Evaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.QueryLowering.Lowered;
import dev.robustspec.engine.query.VnnlibQuery.Atom;
import dev.robustspec.engine.query.VnnlibQuery.VarDecl;
import java.math.BigDecimal;
import java.util.List;

/**
 * Re-checks a counterexample against the original query before it is reported: the engine's
 * input point is rounded to float32 (so any tool can feed it to the model unchanged), every
 * declared variable is recomputed from it by evaluating each network on its own (not the
 * product), once in double and once in float32 ({@link Float32Evaluation}), and the query's
 * asserts are evaluated on both assignments in exact arithmetic, strict comparisons strict.
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
    double[] inDouble = assignment(lowered, x32, false);
    double[] inFloat = assignment(lowered, x32, true);
    boolean d = satisfies(q, inDouble);
    boolean f = satisfies(q, inFloat);
    if (d && f) {
      return new Result(true, inDouble, null);
    }
    if (!d && !f) {
      return new Result(false, null, "the counterexample found in double precision no longer"
          + " satisfies the query once its inputs are rounded to float32");
    }
    return new Result(false, null, "the counterexample satisfies the query in "
        + (d ? "double" : "float32") + " evaluation but not in " + (d ? "float32" : "double")
        + " evaluation of the networks");
  }

  /** Every slot's value: inputs from {@code x}, outputs from each network evaluated alone. */
  public static double[] assignment(Lowered lowered, double[] x, boolean float32) {
    VnnlibQuery q = lowered.query();
    double[] values = new double[q.slotCount()];
    for (int s = 0; s < values.length; s++) {
      if (lowered.productInput()[s] >= 0) {
        values[s] = x[lowered.productInput()[s]];
      }
    }
    for (QueryLowering.Lane lane : lowered.lanes()) {
      Network net = lane.network();
      VarDecl in = lane.input();
      double[] xi = new double[in.size()];
      for (int k = 0; k < xi.length; k++) {
        xi[k] = values[in.firstSlot() + k];
      }
      double[] y;
      if (float32) {
        float[] yf = Float32Evaluation.evaluate(net, xi);
        y = new double[yf.length];
        for (int k = 0; k < y.length; k++) {
          y[k] = yf[k];
        }
      } else {
        y = net.evaluate(xi);
      }
      System.arraycopy(y, 0, values, lane.output().firstSlot(), y.length);
    }
    return values;
  }

  /** True when {@code values} (one per slot) satisfy every assert, in exact arithmetic. */
  public static boolean satisfies(VnnlibQuery q, double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    for (int id : q.common()) {
      if (!holds(q.atoms().get(id), values)) {
        return false;
      }
    }
    for (List<int[]> group : q.disjunctive()) {
      boolean any = false;
      for (int[] term : group) {
        boolean all = true;
        for (int id : term) {
          if (!holds(q.atoms().get(id), values)) {
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

  static boolean holds(Atom a, double[] values) {
    BigDecimal s = BigDecimal.ZERO;
    for (int k = 0; k < a.slots().length; k++) {
      s = s.add(new BigDecimal(a.coefs()[k]).multiply(new BigDecimal(values[a.slots()[k]])));
    }
    int c = s.compareTo(new BigDecimal(a.bound()));
    return a.strict() ? c < 0 : c <= 0;
  }
}
