package dev.robustspec.engine.network;

/**
 * The kernel of {@link ConvLayer#backSubstitute}: each row {@code a} of coefficients over the
 * convolution's output becomes {@code a W} over its input by a transposed convolution, one row at
 * a time (the row and its result stay in cache), never through a matrix or a per-output tap list.
 *
 * <p>Each output channel's nonzero weights are listed once ({@code (ci, ky, kx)} ascending, the
 * order {@link ConvLayer}'s tap enumeration uses) with their offsets relative to the window's
 * corner, so an output position whose window lies inside the input scatters its coefficient with
 * one add per weight and no bounds test; only windows that overhang the padding test each tap.
 * Every input coefficient is the sum of the same products in the same order (outputs ascending)
 * as {@link SparseLinearRules}' tap-by-tap scatter, so the result is the same bit for bit and the
 * slack of that rule stays valid unchanged.
 */
final class ConvBackSubstitution {
  private final ConvGeometry g;
  private final int outPlane;
  private final int outPerGroup;
  private final int perGroup;
  /** Per output channel {@code oc}: its taps are {@code start[oc] .. start[oc+1]-1}. */
  private final int[] start;
  /** Input offset of each tap from the window corner {@code (icBase, h0, w0)}. */
  private final int[] offset;
  /** {@code ky * dilationH} and {@code kx * dilationW} of each tap (for windows at a border). */
  private final int[] dy;
  private final int[] dx;
  private final double[] weight;

  ConvBackSubstitution(ConvGeometry g, double[] weights) {
    this.g = g;
    this.outPlane = g.outHeight() * g.outWidth();
    this.outPerGroup = g.outChannels() / g.groups();
    this.perGroup = g.inChannels() / g.groups();
    int kh = g.kernelHeight();
    int kw = g.kernelWidth();
    int nonzero = 0;
    for (double w : weights) {
      nonzero += w != 0 ? 1 : 0;
    }
    start = new int[g.outChannels() + 1];
    offset = new int[nonzero];
    dy = new int[nonzero];
    dx = new int[nonzero];
    weight = new double[nonzero];
    int t = 0;
    for (int oc = 0; oc < g.outChannels(); oc++) {
      start[oc] = t;
      int wOff = oc * g.kernelSize();
      for (int c = 0; c < perGroup; c++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            double v = weights[wOff + (c * kh + y) * kw + x];
            if (v == 0) {
              continue; // the tap enumeration skips it too
            }
            dy[t] = y * g.dilationH();
            dx[t] = x * g.dilationW();
            offset[t] = (c * g.inHeight() + dy[t]) * g.inWidth() + dx[t];
            weight[t++] = v;
          }
        }
      }
    }
    start[g.outChannels()] = t;
  }

  /**
   * Adds {@code a[aOff ..] W} (a row over the outputs) into {@code out[oOff ..]} (a row over the
   * inputs, zero or holding earlier sums): a transposed convolution. Inputs marked in
   * {@code zero} (null: none) are left as they are (see {@link SparseLinearRules.RowScatter}).
   */
  void scatterRow(double[] a, int aOff, double[] out, int oOff, boolean[] zero) {
    int inH = g.inHeight();
    int inW = g.inWidth();
    int outW = g.outWidth();
    int spanH = (g.kernelHeight() - 1) * g.dilationH();
    int spanW = (g.kernelWidth() - 1) * g.dilationW();
    for (int oc = 0; oc < g.outChannels(); oc++) {
      int t0 = start[oc];
      int t1 = start[oc + 1];
      if (t0 == t1) {
        continue;
      }
      int icBase = oc / outPerGroup * perGroup;
      int rowOff = aOff + oc * outPlane;
      for (int p = 0; p < outPlane; p++) {
        double c = a[rowOff + p];
        if (c == 0) {
          continue;
        }
        int h0 = p / outW * g.strideH() - g.padTop();
        int w0 = p % outW * g.strideW() - g.padLeft();
        int corner = (icBase * inH + h0) * inW + w0; // may lie outside: offsets add up
        boolean inside = h0 >= 0 && w0 >= 0 && h0 + spanH < inH && w0 + spanW < inW;
        if (inside && zero == null) {
          for (int t = t0; t < t1; t++) {
            out[oOff + corner + offset[t]] += c * weight[t];
          }
        } else if (inside) {
          for (int t = t0; t < t1; t++) {
            int j = corner + offset[t];
            if (!zero[j]) {
              out[oOff + j] += c * weight[t];
            }
          }
        } else {
          for (int t = t0; t < t1; t++) {
            int ih = h0 + dy[t];
            int iw = w0 + dx[t];
            int j = corner + offset[t];
            if (ih >= 0 && ih < inH && iw >= 0 && iw < inW && (zero == null || !zero[j])) {
              out[oOff + j] += c * weight[t];
            }
          }
        }
      }
    }
  }
}
