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
  /** When not null: the only columns that may be nonzero in some row (ascending). */
  private int[] nonzeroColumns;
  private SymbolicRows scratch;

  /** Resizes to {@code rows x width}, zeroing coefficients, constants and slacks. */
  public void reset(int rows, int width) {
    resize(rows, width, true);
  }

  /**
   * Resizes to {@code rows x width} like {@link #reset}, zeroing constants and slacks but leaving
   * the coefficients as they are (stale): for a rule that writes every coefficient itself.
   */
  public void resize(int rows, int width) {
    resize(rows, width, false);
  }

  private void resize(int rows, int width, boolean zeroCoefficients) {
    this.rows = rows;
    this.width = width;
    this.nonzeroColumns = null;
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
   * Records that every column not among {@code columns[0..count-1]} (ascending) is 0 in every
   * row, as the writer of the coefficients knows (e.g. a ReLU's inactive neurons), so that
   * {@link #concretise} visits only those. Cleared by {@link #reset} and {@link #resize}.
   */
  public void markNonzeroColumns(int[] columns, int count) {
    nonzeroColumns = java.util.Arrays.copyOf(columns, count);
  }

  /**
   * Takes {@code from}'s {@link #markNonzeroColumns} (none when it has none): for a writer that
   * copies {@code from}'s coefficients column for column (a reshape).
   */
  public void copyNonzeroColumns(SymbolicRows from) {
    nonzeroColumns = from.nonzeroColumns == null ? null : from.nonzeroColumns.clone();
  }

  /** The columns {@link #markNonzeroColumns} recorded (a copy), or null when none are. */
  public int[] nonzeroColumns() {
    return nonzeroColumns == null ? null : nonzeroColumns.clone();
  }

  /** Forgets {@link #markNonzeroColumns}: for a writer that adds coefficients outside it. */
  public void clearNonzeroColumns() {
    nonzeroColumns = null;
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
    // A column that is 0 in every row (e.g. an inactive neuron's) adds exactly 0 to every sum,
    // so when the writer marked the others only those are visited: the same sums, same order.
    int n = nonzeroColumns == null ? width : nonzeroColumns.length;
    int[] column = new int[n];
    double[] lo = new double[n];
    double[] hi = new double[n];
    // with finite bounds a zero coefficient adds exactly 0 to both sums: no test per entry
    boolean finite = true;
    for (int t = 0; t < n; t++) {
      int j = nonzeroColumns == null ? t : nonzeroColumns[t];
      column[t] = j;
      lo[t] = lower[j];
      hi[t] = upper[j];
      finite &= Double.isFinite(lower[j]) && Double.isFinite(upper[j]);
    }
    int r = 0;
    if (finite && rows >= 4) {
      int tiles = (n + TILE - 1) / TILE;
      double[][] loTile = new double[tiles][];
      double[][] hiTile = new double[tiles][];
      for (int k = 0; k < tiles; k++) {
        loTile[k] = Arrays.copyOfRange(lo, k * TILE, Math.min(n, (k + 1) * TILE));
        hiTile[k] = Arrays.copyOfRange(hi, k * TILE, Math.min(n, (k + 1) * TILE));
      }
      double[][] terms = new double[12][Math.min(n, TILE)];
      for (; r + 4 <= rows; r += 4) {
        concretiseFour(r, column, loTile, hiTile, n, out, terms);
      }
    }
    for (; r < rows; r++) {
      int off = r * width;
      double s = 0;
      double magnitude = 0;
      for (int t = 0; t < n; t++) {
        double a = coef[off + column[t]];
        if (!finite && a == 0) {
          continue; // 0 times an infinite bound would be NaN
        }
        double l = a * lo[t];
        double u = a * hi[t];
        s += Math.min(l, u);
        magnitude += Math.max(Math.abs(l), Math.abs(u));
      }
      out[r] = finish(r, s, magnitude);
    }
    return out;
  }

  /** Columns per tile of {@link #concretiseFour}: its 12 term buffers then stay in L1 cache. */
  private static final int TILE = 256;

  /**
   * Rows {@code r..r+3} of {@link #concretise} over finite bounds, on the n used columns, a tile
   * of {@link #TILE} columns at a time ({@code lower[k]}, {@code upper[k]}: tile k's bounds).
   * Each row's terms {@code min(a l, a u)} and {@code max(|a l|, |a u|)} are formed in 0-based
   * buffers (a loop the JIT vectorises), then added to running sums in the same order as one
   * row alone (so the same numbers, whatever the tiling), four rows side by side so that their
   * chains of additions overlap.
   */
  private void concretiseFour(int r, int[] column, double[][] lower, double[][] upper, int n,
      double[] out, double[][] terms) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double m0 = 0;
    double m1 = 0;
    double m2 = 0;
    double m3 = 0;
    for (int k = 0; k * TILE < n; k++) {
      int base = k * TILE;
      int len = Math.min(TILE, n - base);
      double[] lo = lower[k];
      double[] hi = upper[k];
      for (int q = 0; q < 4; q++) {
        double[] a = terms[q];
        double[] low = terms[4 + q];
        double[] mag = terms[8 + q];
        int off = (r + q) * width;
        if (n == width) {
          System.arraycopy(coef, off + base, a, 0, len);
        } else {
          for (int t = 0; t < len; t++) {
            a[t] = coef[off + column[base + t]];
          }
        }
        for (int t = 0; t < len; t++) {
          double l = a[t] * lo[t];
          double u = a[t] * hi[t];
          low[t] = Math.min(l, u);
          mag[t] = Math.max(Math.abs(l), Math.abs(u));
        }
      }
      double[] l0 = terms[4];
      double[] l1 = terms[5];
      double[] l2 = terms[6];
      double[] l3 = terms[7];
      double[] g0 = terms[8];
      double[] g1 = terms[9];
      double[] g2 = terms[10];
      double[] g3 = terms[11];
      for (int t = 0; t < len; t++) {
        s0 += l0[t];
        m0 += g0[t];
        s1 += l1[t];
        m1 += g1[t];
        s2 += l2[t];
        m2 += g2[t];
        s3 += l3[t];
        m3 += g3[t];
      }
    }
    out[r] = finish(r, s0, m0);
    out[r + 1] = finish(r + 1, s1, m1);
    out[r + 2] = finish(r + 2, s2, m2);
    out[r + 3] = finish(r + 3, s3, m3);
  }

  /** Row r's bound from its sum over the box and the magnitude of that sum's terms. */
  private double finish(int r, double s, double magnitude) {
    double err = Rounding.dotError(width, magnitude);
    double v = Math.nextDown(s + constant[r]);
    return Math.nextDown(v - Math.nextUp(slack[r] + err));
  }
}
