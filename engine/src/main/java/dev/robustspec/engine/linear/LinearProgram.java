package dev.robustspec.engine.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A linear program's feasible set: variables with finite bounds {@code lo <= z <= hi} and sparse
 * rows {@code lo_r <= a_r . z <= hi_r} (either side may be infinite; equal sides make an
 * equality). The data are exact doubles: whoever builds the program states every row so that it
 * holds for the real-valued network, so a rigorous bound of the program is a rigorous bound of
 * the network ({@link DualBound}). Objectives are given separately, so one program serves many.
 */
public final class LinearProgram {
  private double[] varLower = new double[16];
  private double[] varUpper = new double[16];
  private int variables;
  private final List<Row> rows = new ArrayList<>();

  /** One constraint {@code lower <= sum coef[t] * z[index[t]] <= upper}. */
  public record Row(int[] index, double[] coef, double lower, double upper) {
    public Row {
      if (index.length != coef.length) {
        throw new IllegalArgumentException("row with " + index.length + " indices and "
            + coef.length + " coefficients");
      }
      if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
        throw new IllegalArgumentException("row bounds [" + lower + ", " + upper + "]");
      }
    }

    /** {@code a . z}, in double (for checks, not bounds). */
    public double value(double[] z) {
      double s = 0;
      for (int t = 0; t < index.length; t++) {
        s += coef[t] * z[index[t]];
      }
      return s;
    }
  }

  /** Adds a variable with finite bounds and returns its index. */
  public int addVariable(double lower, double upper) {
    if (!(Double.isFinite(lower) && Double.isFinite(upper)) || lower > upper) {
      throw new IllegalArgumentException("variable bounds must be finite with lower <= upper: ["
          + lower + ", " + upper + "]");
    }
    if (variables == varLower.length) {
      varLower = Arrays.copyOf(varLower, 2 * variables);
      varUpper = Arrays.copyOf(varUpper, 2 * variables);
    }
    varLower[variables] = lower;
    varUpper[variables] = upper;
    return variables++;
  }

  /** Adds {@code lower <= a . z <= upper}; zero coefficients are dropped. Returns its index. */
  public int addRow(int[] index, double[] coef, double lower, double upper) {
    int n = 0;
    for (double c : coef) {
      if (c != 0) {
        n++;
      }
    }
    int[] i2 = new int[n];
    double[] c2 = new double[n];
    int t = 0;
    for (int s = 0; s < coef.length; s++) {
      if (coef[s] != 0) {
        if (index[s] < 0 || index[s] >= variables) {
          throw new IllegalArgumentException("row refers to variable " + index[s]);
        }
        i2[t] = index[s];
        c2[t++] = coef[s];
      }
    }
    rows.add(new Row(i2, c2, lower, upper));
    return rows.size() - 1;
  }

  public int variables() {
    return variables;
  }

  public double variableLower(int j) {
    return varLower[j];
  }

  public double variableUpper(int j) {
    return varUpper[j];
  }

  /** Tightens variable j's bounds (intersection). */
  public void tightenVariable(int j, double lower, double upper) {
    varLower[j] = Math.max(varLower[j], lower);
    varUpper[j] = Math.min(varUpper[j], upper);
  }

  public List<Row> rows() {
    return rows;
  }

  /** Number of rows. */
  public int rowCount() {
    return rows.size();
  }
}
