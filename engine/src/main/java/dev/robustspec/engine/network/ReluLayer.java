package dev.robustspec.engine.network;

import dev.robustspec.engine.relax.ForwardBounds;
import dev.robustspec.engine.relax.Rounding;
import dev.robustspec.engine.relax.SymbolicRows;

/**
 * {@code y[i] = max(0, x[i])}. Its back-substitution rule is DeepPoly's (Singh et al., "An
 * Abstract Domain for Certifying Neural Networks", POPL 2019; the same as CROWN's adaptive rule,
 * Zhang et al., NeurIPS 2018): on an unstable neuron ({@code l < 0 < u}) the upper line is the
 * chord {@code u (x - l) / (u - l)}, the lower line {@code y >= x} when {@code u > -l} and
 * {@code y >= 0} otherwise, the choice that minimises the relaxation's area.
 */
public record ReluLayer(String name, int size) implements Layer {

  public ReluLayer {
    if (size <= 0) {
      throw new IllegalArgumentException("relu layer " + name + ": size must be positive");
    }
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public boolean relaxed() {
    return true;
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = input[i] > 0 ? input[i] : 0.0;
    }
    return out;
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    for (int i = 0; i < size; i++) {
      outLower[i] = Math.max(inLower[i], 0.0);
      outUpper[i] = Math.max(inUpper[i], 0.0);
    }
  }

  /** Slope of the chord, rounded up so that the chord stays above the ReLU on [l, u]. */
  static double chordSlope(double l, double u) {
    double width = Math.nextDown(u - l); // at most the exact u - l
    return Math.min(1.0, Math.nextUp(u / width));
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int rows = overOutput.rows();
    overInput.reset(rows, size);
    overInput.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    double[] out = overInput.coef();
    double[] slope = new double[size];
    for (int i = 0; i < size; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      slope[i] = u <= 0 ? 0 : l >= 0 ? 1 : chordSlope(l, u);
    }
    for (int r = 0; r < rows; r++) {
      int off = r * size;
      double constant = 0;
      double magnitude = 0;
      for (int i = 0; i < size; i++) {
        double c = a[off + i];
        if (c == 0) {
          continue;
        }
        double l = inLower[i];
        double u = inUpper[i];
        if (u <= 0) {
          continue; // inactive: y = 0
        }
        if (l >= 0) {
          out[off + i] = c; // active: y = x, exact
          continue;
        }
        if (c > 0) {
          // lower line y >= x or y >= 0: exact slopes 1 or 0
          if (u > -l) {
            out[off + i] = c;
          }
        } else {
          // upper line y <= s (x - l): c*y >= c*s*x - c*s*l
          double cs = c * slope[i];
          out[off + i] = cs;
          double t = -cs * l; // negative: cs < 0, l < 0
          constant += t;
          magnitude += Math.abs(t) + Math.abs(cs) * Math.max(-l, u);
        }
      }
      if (magnitude != 0) {
        overInput.addConstant(r, constant);
        overInput.addSlack(r, Rounding.dotError(size + 4, magnitude));
      }
    }
  }

  /**
   * Neurify's forward rule with the bounds {@code [l, u]} of the input: inactive ({@code u <= 0})
   * gives 0 both ways, active ({@code l >= 0}) the input rows unchanged. Unstable: the upper row
   * is the chord applied to the input's upper function, {@code y <= s (upper(x) - l)} with the
   * slope {@code s >= u / (u - l)} rounded up ({@link #chordSlope}; sound because
   * {@code l <= z <= upper(x)} and {@code s >= 0}); the lower row is the input's lower function
   * ({@code y >= z}) when {@code u > -l}, else 0 ({@code y >= 0}), the area rule of
   * {@link #backSubstitute}.
   */
  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(size);
    int d = in.width();
    SymbolicRows[] src = {in.lower(), in.negatedUpper()};
    SymbolicRows[] dst = {out.lower(), out.negatedUpper()};
    for (int i = 0; i < size; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      if (u <= 0) {
        continue; // y = 0: rows stay zero
      }
      int off = i * d;
      boolean active = l >= 0;
      for (int p = 0; p < 2; p++) {
        if (active || (p == 0 && u > -l)) {
          System.arraycopy(src[p].coef(), off, dst[p].coef(), off, d);
          dst[p].constant()[i] = src[p].constant()[i];
          dst[p].slack()[i] = src[p].slack()[i];
        }
      }
      if (active) {
        continue;
      }
      double s = chordSlope(l, u);
      // -y >= -s (z - l) >= s (negatedUpper(x) + l): row s * N with constant s (c + l)
      double[] c = src[1].coef();
      double[] o = dst[1].coef();
      for (int k = 0; k < d; k++) {
        o[off + k] = s * c[off + k];
      }
      double sum = src[1].constant()[i] + l;
      double constant = s * sum;
      double slack = s * src[1].slack()[i];
      double magnitude = s * (in.rowMagnitude(true, i) - l);
      dst[1].constant()[i] = constant;
      dst[1].slack()[i] = Math.nextUp(slack + Math.nextUp(Rounding.dotError(3, magnitude)
          + in.underflow(3)));
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] g = new double[size];
    for (int i = 0; i < size; i++) {
      g[i] = input[i] > 0 ? gradOutput[i] : 0.0;
    }
    return g;
  }
}
