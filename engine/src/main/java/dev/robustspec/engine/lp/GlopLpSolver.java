package dev.robustspec.engine.lp;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.base.Budget;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link LpSolver} on GLOP, Google OR-Tools' simplex solver (Maven Central, its native library
 * bundled for Linux x86-64). Chosen over ojAlgo after measurement: on the triangle LP of an ACAS
 * Xu network (580 variables, 837 rows) ojAlgo took 1.5-3 s, and 50 s once 4,000 cutting planes
 * were in. The model of the last program is kept, so the cutting-plane loop and successive
 * objectives re-solve incrementally from the previous basis (rows are only ever appended).
 * GLOP's duals follow our convention (d objective / d right-hand side).
 */
public final class GlopLpSolver implements LpSolver {
  /** Frees the native model when this solver becomes unreachable. */
  private static final Cleaner CLEANER = Cleaner.create();

  /** The native model, in a holder the cleaner can free without reaching this solver. */
  private static final class Model implements Runnable {
    MPSolver solver;

    @Override
    public synchronized void run() {
      if (solver != null) {
        solver.delete();
        solver = null;
      }
    }
  }

  private final Model model = new Model();
  private LinearProgram cached;
  private final List<MPVariable> vars = new ArrayList<>();
  private final List<MPConstraint> constraints = new ArrayList<>();

  /** True when the native library loads on this machine (else use {@link OjAlgoLpSolver}). */
  public static boolean available() {
    return Native.LOADED;
  }

  private static final class Native {
    static final boolean LOADED = load();

    private static boolean load() {
      try {
        Loader.loadNativeLibraries();
        return true;
      } catch (Throwable e) { // UnsatisfiedLinkError or a missing platform jar: fall back
        return false;
      }
    }
  }

  public GlopLpSolver() {
    CLEANER.register(this, model);
  }

  @Override
  public synchronized Solution minimise(LinearProgram program, double[] objective, Budget budget) {
    budget.check();
    boolean fresh = program != cached || vars.size() != program.variables();
    if (fresh) {
      reset(program);
    }
    Solution s = solve(program, objective, budget);
    if (s.status() == Status.FAILED && !fresh) {
      // GLOP's incremental re-solve can end ABNORMAL after many appended rows; from scratch
      // it usually succeeds
      reset(program);
      s = solve(program, objective, budget);
    }
    return s;
  }

  private Solution solve(LinearProgram program, double[] objective, Budget budget) {
    MPSolver solver = model.solver;
    List<LinearProgram.Row> rows = program.rows();
    for (int r = constraints.size(); r < rows.size(); r++) {
      LinearProgram.Row row = rows.get(r);
      MPConstraint c = solver.makeConstraint(bound(row.lower()), bound(row.upper()));
      for (int t = 0; t < row.index().length; t++) {
        c.setCoefficient(vars.get(row.index()[t]), row.coef()[t]);
      }
      constraints.add(c);
    }
    for (int j = 0; j < vars.size(); j++) {
      MPVariable v = vars.get(j);
      v.setBounds(program.variableLower(j), program.variableUpper(j));
      solver.objective().setCoefficient(v, objective[j]);
    }
    solver.objective().setMinimization();
    double left = budget.secondsLeft();
    if (left < 1e9) {
      solver.setTimeLimit(Math.max(1L, (long) (left * 1000)));
    }
    MPSolver.ResultStatus status = solver.solve();
    budget.check();
    Status s;
    if (status == MPSolver.ResultStatus.OPTIMAL) {
      s = Status.OPTIMAL;
    } else if (status == MPSolver.ResultStatus.INFEASIBLE) {
      s = Status.INFEASIBLE;
    } else if (status == MPSolver.ResultStatus.UNBOUNDED) {
      s = Status.UNBOUNDED;
    } else {
      s = Status.FAILED;
    }
    double[] primal = new double[vars.size()];
    double[] multipliers = new double[rows.size()];
    if (s == Status.OPTIMAL) {
      for (int j = 0; j < primal.length; j++) {
        primal[j] = vars.get(j).solutionValue();
      }
      for (int r = 0; r < multipliers.length; r++) {
        multipliers[r] = constraints.get(r).dualValue();
      }
    }
    double value = s == Status.OPTIMAL ? solver.objective().value() : Double.NaN;
    return new Solution(s, value, primal, multipliers);
  }

  private void reset(LinearProgram program) {
    model.run();
    if (!available()) {
      throw new IllegalStateException("GLOP's native library does not load on this machine");
    }
    model.solver = MPSolver.createSolver("GLOP");
    MPSolver solver = model.solver;
    solver.suppressOutput();
    vars.clear();
    constraints.clear();
    for (int j = 0; j < program.variables(); j++) {
      vars.add(solver.makeNumVar(program.variableLower(j), program.variableUpper(j), ""));
    }
    cached = program;
  }

  private static double bound(double v) {
    return v == Double.POSITIVE_INFINITY ? MPSolver.infinity()
        : v == Double.NEGATIVE_INFINITY ? -MPSolver.infinity() : v;
  }
}
