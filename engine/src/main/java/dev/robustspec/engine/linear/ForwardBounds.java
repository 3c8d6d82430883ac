package dev.robustspec.engine.linear;

/**
 * Forward symbolic bounds of one layer's values as linear functions of the network input x
 * (Neurify's symbolic intervals): for each value z_i and every x in the input box,
 * {@code z_i >= lower_i(x)} and {@code -z_i >= negatedUpper_i(x)}, both stored as rows of a
 * {@link SymbolicRows} over the input (row i means {@code coef . x + constant - slack}, the slack
 * collecting every rounding error so far). Storing the upper bound negated makes both bounds
 * lower bounds, so each layer's forward rule treats them alike.
 *
 * <p>Also holds the input box's magnitudes {@code m_k = max(|lo_k|, |hi_k|)}: a coefficient
 * computed with error e costs at most {@code e * m_k} on the box, which the rules add to the
 * slack (see {@link #rowMagnitude}). The box must be finite.
 */
public final class ForwardBounds {
  private final SymbolicRows lower = new SymbolicRows();
  private final SymbolicRows negatedUpper = new SymbolicRows();
  private final double[] inputMagnitude;
  private final double underflowUnit;
  private double[] packedLower = new double[0];
  private double[] packedUpper = new double[0];
  private final double[] accumulator;
  private boolean[] zero = new boolean[0];

  /** Bounds over the box {@code [inLower, inUpper]} (finite), initially with no rows. */
  public ForwardBounds(double[] inLower, double[] inUpper) {
    inputMagnitude = new double[inLower.length];
    accumulator = new double[inLower.length + 3];
    double sum = 0;
    for (int k = 0; k < inLower.length; k++) {
      inputMagnitude[k] = Math.max(Math.abs(inLower[k]), Math.abs(inUpper[k]));
      sum = Math.nextUp(sum + inputMagnitude[k]);
    }
    // a product that underflows errs by at most MIN_VALUE / 2 absolutely; on the box, one per
    // coefficient costs MIN_VALUE / 2 * m_k, one per constant or slack term MIN_VALUE / 2
    underflowUnit = Math.nextUp(Double.MIN_VALUE * Math.nextUp(1 + sum));
  }

  private ForwardBounds(ForwardBounds box) {
    inputMagnitude = box.inputMagnitude;
    underflowUnit = box.underflowUnit;
    accumulator = new double[inputMagnitude.length + 3];
  }

  /** Bounds over the same box, with no rows. */
  public ForwardBounds emptyLike() {
    return new ForwardBounds(this);
  }

  /**
   * Bounds over the same box holding copies of this one's first {@code count} rows, ready for
   * {@link #combine} (a layer applied to a prefix of the values, {@code network.CarryLayer}).
   */
  public ForwardBounds prefix(int count) {
    ForwardBounds p = new ForwardBounds(this);
    p.reset(count);
    int d = width();
    for (SymbolicRows[] pair : new SymbolicRows[][] {{lower, p.lower},
        {negatedUpper, p.negatedUpper}}) {
      System.arraycopy(pair[0].coef(), 0, pair[1].coef(), 0, count * d);
      System.arraycopy(pair[0].constant(), 0, pair[1].constant(), 0, count);
      System.arraycopy(pair[0].slack(), 0, pair[1].slack(), 0, count);
    }
    p.computeMagnitudes();
    return p;
  }

  /** The input values themselves: row i is {@code x_i} both ways, exactly. */
  public void setIdentity() {
    int d = inputMagnitude.length;
    reset(d);
    for (int i = 0; i < d; i++) {
      lower.coef()[i * d + i] = 1;
      negatedUpper.coef()[i * d + i] = -1;
    }
  }

  /** Resizes to {@code size} values, all rows zero. */
  public void reset(int size) {
    lower.reset(size, inputMagnitude.length);
    negatedUpper.reset(size, inputMagnitude.length);
  }

  /** Number of values bounded. */
  public int size() {
    return lower.rows();
  }

  /** Input dimension (the width of every row). */
  public int width() {
    return inputMagnitude.length;
  }

  /** Lower bounds, one row per value. */
  public SymbolicRows lower() {
    return lower;
  }

  /** Lower bounds of the negated values (upper bounds negated), one row per value. */
  public SymbolicRows negatedUpper() {
    return negatedUpper;
  }

  /** {@code negated ? negatedUpper() : lower()}. */
  public SymbolicRows rows(boolean negated) {
    return negated ? negatedUpper : lower;
  }

  /**
   * Bound on the absolute rounding error, on the box, of a sum of {@code terms} products that
   * underflowed (coefficients, constant and slack together).
   */
  public double underflow(int terms) {
    return Math.nextUp(terms * underflowUnit);
  }

  /**
   * Prepares the rows for {@link #combine}: packs each row of both batches as
   * {@code (coef_1..coef_d, constant, slack, M + |constant| + slack)} with
   * {@code M = sum_k |coef_k| m_k} rounded up (a relative error e on each coefficient of the row
   * costs at most e M on the box), so that a nonnegative combination of rows is one contiguous
   * multiply-add loop. Call after the rows are final.
   */
  public void computeMagnitudes() {
    int n = size();
    int d = width();
    int stride = d + 3;
    if (packedLower.length < n * stride) {
      packedLower = new double[n * stride];
      packedUpper = new double[n * stride];
      zero = new boolean[n];
    }
    java.util.Arrays.fill(zero, 0, n, true);
    double factor = 1 + 4 * Rounding.gamma(d);
    for (int pass = 0; pass < 2; pass++) {
      SymbolicRows rows = pass == 0 ? lower : negatedUpper;
      double[] c = rows.coef();
      double[] out = pass == 0 ? packedLower : packedUpper;
      for (int i = 0; i < n; i++) {
        int off = i * d;
        int pOff = i * stride;
        double s = 0;
        for (int k = 0; k < d; k++) {
          double a = c[off + k];
          out[pOff + k] = a;
          s += Math.abs(a) * inputMagnitude[k];
          zero[i] &= a == 0;
        }
        double constant = rows.constant()[i];
        double slack = rows.slack()[i];
        zero[i] &= constant == 0 && slack == 0;
        out[pOff + d] = constant;
        out[pOff + d + 1] = slack;
        out[pOff + d + 2] = Math.nextUp(s * factor) + Math.abs(constant) + slack;
      }
    }
  }

  /**
   * {@code M + |constant| + slack} of row i (M rounded up), as of {@link #computeMagnitudes}:
   * bounds the magnitude of every term of the row on the box.
   */
  public double rowMagnitude(boolean negated, int i) {
    return (negated ? packedUpper : packedLower)[i * (width() + 3) + width() + 2];
  }

  /** True when row i is zero in both batches (an inactive ReLU): it adds nothing. */
  public boolean isZero(int i) {
    return zero[i];
  }

  /**
   * {@code target.row(r) = sum_j w[j] * source_j + offset}, where {@code source_j} is row
   * {@code index[j]} of {@code rows(negated[j])} and every {@code w[j] >= 0}; the rounding error
   * (coefficients, constant and slack) goes into the slack. Used by the affine rules and the
   * objectives; {@code target} must have width {@link #width()} and row r zero.
   *
   * <p>Error: each coefficient is a sum of {@code count} products, off by at most
   * {@code gamma_count sum_j w_j |coef_jk|}, so by {@code gamma_count sum_j w_j M_j} on the box
   * with {@code M_j} the source row's {@link #rowMagnitude}; the constant and the slack
   * sums err by {@code gamma_(count+1)} times their magnitudes; {@link Rounding#dotError} over the
   * total magnitude covers all three, plus the underflow terms.
   */
  public void combine(SymbolicRows target, int r, int count, double[] w, int[] index,
      boolean[] negated, double offset) {
    int d = width();
    int stride = d + 3;
    double[] acc = accumulator;
    java.util.Arrays.fill(acc, 0.0);
    for (int t = 0; t < count; t++) {
      double a = w[t];
      if (a == 0) {
        continue;
      }
      double[] src = negated[t] ? packedUpper : packedLower;
      int sOff = index[t] * stride;
      for (int k = 0; k < stride; k++) {
        acc[k] += a * src[sOff + k];
      }
    }
    // acc[d + 2] sums w_j (M_j + |c_j| + s_j), the magnitude of every product above
    double magnitude = acc[d + 2] + Math.abs(offset);
    System.arraycopy(acc, 0, target.coef(), r * d, d);
    target.constant()[r] = acc[d] + offset;
    target.slack()[r] = Math.nextUp(acc[d + 1] + Math.nextUp(Rounding.dotError(count + 1,
        magnitude) + underflow(count + 1)));
  }
}
