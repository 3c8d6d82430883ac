package dev.robustspec.engine.linear;

import java.util.Arrays;

/**
 * A batch of linear lower bounds over the values {@code z} of one layer: for each row r and every
 * feasible {@code z}, {@code objective_r >= sum_j coef[r][j] z_j + constant[r] - slack[r]}. The
 * slack collects the rounding errors of every step so far (rigorous, see {@link Rounding}); the
 * constant is accumulated rounding down. Back-substitution rewrites a batch over a layer's output
 * into one over its input, layer by layer, until the network input, where it is concretised
 * over the box.
 *
 * <p>Storage is row-major and reused between steps (two batches swap roles), because a DeepPoly
 * bound on a 256-wide net rewrites megabytes of coefficients per layer.
 */
public final class SymbolicRows {
  private int rows;
  private int width;
  private double[] coef = new double[0];
  private double[] constant = new double[0];
  private double[] slack = new double[0];
  private SymbolicRows scratch;

  /** Resizes to {@code rows x width}, zeroing coefficients, constants and slacks. */
  public void reset(int rows, int width) {
    resize(rows, width, true);
  }

  /**
   * Resizes to {@code rows x width}, zeroing constants and slacks but leaving the coefficients
   * as they are (stale): for a rule that writes every coefficient itself.
   */
  public void resetForOverwrite(int rows, int width) {
    resize(rows, width, false);
  }

  private void resize(int rows, int width, boolean zeroCoefficients) {
    this.rows = rows;
    this.width = width;
    int n = rows * width;
    if (coef.length < n) {
      coef = new double[Math.max(n, coef.length + coef.length / 2)];
    } else if (zeroCoefficients) {
      Arrays.fill(coef, 0, n, 0.0);
    }
    if (constant.length < rows) {
      constant = new double[rows];
      slack = new double[rows];
    } else {
      Arrays.fill(constant, 0, rows, 0.0);
      Arrays.fill(slack, 0, rows, 0.0);
    }
  }

  /**
   * A second batch owned by this one, for a layer rule's intermediate rows (a
   * {@code network.CarryLayer}'s branch): reused across calls instead of allocated per layer.
   * Its content is the last user's; callers {@link #reset} it.
   */
  public SymbolicRows scratch() {
    if (scratch == null) {
      scratch = new SymbolicRows();
    }
    return scratch;
  }

  public int rows() {
    return rows;
  }

  public int width() {
    return width;
  }

  /** Coefficients, row-major, {@code rows * width} valid entries (the array may be longer). */
  public double[] coef() {
    return coef;
  }

  public double[] constant() {
    return constant;
  }

  public double[] slack() {
    return slack;
  }

  /** Copies constants and slacks of every row from {@code other} (same row count). */
  public void copyOffsets(SymbolicRows other) {
    System.arraycopy(other.constant, 0, constant, 0, rows);
    System.arraycopy(other.slack, 0, slack, 0, rows);
  }

  /**
   * Keeps only rows {@code keep[0..count-1]} (ascending), in that order, compacting in place.
   */
  public void keepRows(int[] keep, int count) {
    for (int t = 0; t < count; t++) {
      int r = keep[t];
      if (r != t) {
        System.arraycopy(coef, r * width, coef, t * width, width);
        constant[t] = constant[r];
        slack[t] = slack[r];
      }
    }
    rows = count;
  }

  /** Adds {@code value} to row r's constant, rounding down. */
  public void addConstant(int r, double value) {
    constant[r] = Math.nextDown(constant[r] + value);
  }

  /** Adds a rounding-error bound to row r's slack, rounding up. */
  public void addSlack(int r, double error) {
    slack[r] = Math.nextUp(slack[r] + error);
  }

  /**
   * For each row, a rigorous lower bound of {@code coef . z + constant - slack} over the box
   * {@code lower <= z <= upper}.
   */
  public double[] concretise(double[] lower, double[] upper) {
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      int off = r * width;
      double s = 0;
      double magnitude = 0;
      for (int j = 0; j < width; j++) {
        double a = coef[off + j];
        if (a == 0) {
          continue;
        }
        double lo = a * lower[j];
        double hi = a * upper[j];
        s += Math.min(lo, hi);
        magnitude += Math.max(Math.abs(lo), Math.abs(hi));
      }
      double err = Rounding.dotError(width, magnitude);
      double v = Math.nextDown(s + constant[r]);
      out[r] = Math.nextDown(v - Math.nextUp(slack[r] + err));
    }
    return out;
  }
}
