package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.base.Budget;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.ModelEntity;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;
import org.ojalgo.type.keyvalue.EntryPair;

/**
 * {@link LpSolver} on ojAlgo's {@link ExpressionsBasedModel} (pure Java, no licence, on Maven
 * Central). Row multipliers come from the result's matched multipliers, which ojAlgo signs as
 * positive for a tight lower side and negative (of ours) for a tight upper side or an equality;
 * a row with no multiplier gets 0, which {@link DualBound} accepts (it only loosens the bound).
 */
public final class OjAlgoLpSolver implements LpSolver {
  static {
    // ojAlgo's presolvers eliminate rows and variables and then report multipliers for the
    // reduced model, which no longer satisfy c = sum y_r a_r on ours (measured: the bound of a
    // 2-variable program came out 3 units loose). Without them the multipliers are exact. The
    // setting is global to ojAlgo in this JVM; RobustSpec is its only user here.
    ExpressionsBasedModel.clearPresolvers();
  }


  @Override
  public Solution minimise(LinearProgram program, double[] objective, Budget budget) {
    budget.check();
    ExpressionsBasedModel model = new ExpressionsBasedModel();
    int n = program.variables();
    Variable[] vars = new Variable[n];
    for (int j = 0; j < n; j++) {
      vars[j] = model.addVariable("z" + j)
          .lower(program.variableLower(j)).upper(program.variableUpper(j));
      if (objective[j] != 0) {
        vars[j].weight(objective[j]);
      }
    }
    List<LinearProgram.Row> rows = program.rows();
    Map<ModelEntity<?>, Integer> rowOf = new IdentityHashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      LinearProgram.Row row = rows.get(r);
      Expression e = model.addExpression("r" + r);
      int[] idx = row.index();
      double[] a = row.coef();
      for (int t = 0; t < idx.length; t++) {
        e.set(vars[idx[t]], a[t]);
      }
      if (row.lower() != Double.NEGATIVE_INFINITY) {
        e.lower(row.lower());
      }
      if (row.upper() != Double.POSITIVE_INFINITY) {
        e.upper(row.upper());
      }
      rowOf.put(e, r);
    }
    double left = budget.secondsLeft();
    if (left < 1e9) {
      model.options.time_abort = Math.max(1L, (long) (left * 1000));
    }
    Optimisation.Result result = model.minimise();
    budget.check();
    Optimisation.State state = result.getState();
    Status status;
    if (state.isOptimal()) {
      status = Status.OPTIMAL;
    } else if (state == Optimisation.State.INFEASIBLE) {
      status = Status.INFEASIBLE;
    } else if (state == Optimisation.State.UNBOUNDED) {
      status = Status.UNBOUNDED;
    } else {
      status = Status.FAILED;
    }
    double[] primal = new double[n];
    for (int j = 0; j < n && j < result.size(); j++) {
      primal[j] = result.doubleValue(j);
    }
    double[] multipliers = new double[rows.size()];
    for (EntryPair.KeyedPrimitive<EntryPair<ModelEntity<?>, Optimisation.ConstraintType>> m
        : result.getMatchedMultipliers()) {
      Integer r = rowOf.get(m.getKey().getKey());
      if (r != null) {
        boolean lowerSide = m.getKey().getValue() == Optimisation.ConstraintType.LOWER;
        multipliers[r] += lowerSide ? m.doubleValue() : -m.doubleValue();
      }
    }
    return new Solution(status, result.getValue(), primal, multipliers);
  }
}
