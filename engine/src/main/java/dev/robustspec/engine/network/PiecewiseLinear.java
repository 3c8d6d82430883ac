package dev.robustspec.engine.network;

/**
 * The piecewise-linear activations other than ReLU. Their values are exact up to one product
 * ({@code alpha x}), rounded outward; every piece is linear, so {@link ActivationLines} checks a
 * line at the interval's ends and breakpoints only, which is exact for such functions.
 */
final class PiecewiseLinear {
  private PiecewiseLinear() {}

  /** {@code x >= 0 ? x : alpha x}: convex for {@code alpha <= 1}, concave above. */
  record LeakyRelu(double alpha) implements ScalarActivation {
    @Override
    public double value(double x) {
      return x >= 0 ? x : alpha * x;
    }

    @Override
    public double derivative(double x) {
      return x >= 0 ? 1 : alpha;
    }

    @Override
    public double valueLower(double x) {
      return x >= 0 ? x : Directed.mulDown(alpha, x);
    }

    @Override
    public double valueUpper(double x) {
      return x >= 0 ? x : Directed.mulUp(alpha, x);
    }

    @Override
    public double derivativeLower(double x) {
      return derivative(x);
    }

    @Override
    public double derivativeUpper(double x) {
      return derivative(x);
    }

    @Override
    public double[] breakpoints() {
      return new double[] {0.0};
    }

    @Override
    public Curvature curvature(int piece) {
      return Curvature.LINEAR;
    }

    /**
     * Stable intervals: the piece's own slope both ways. Across 0: the chord on the side the
     * kink bends away from, and on the other side the slope of the longer piece (ReLU's area
     * rule, {@link ReluLayer}).
     */
    @Override
    public double[] slopes(double l, double u) {
      if (l >= 0) {
        return new double[] {1, 1};
      }
      if (u <= 0) {
        return new double[] {alpha, alpha};
      }
      double chord = (u - alpha * l) / (u - l);
      double longer = u > -l ? 1 : alpha;
      return alpha <= 1 ? new double[] {longer, chord} : new double[] {chord, longer};
    }
  }

  /** {@code min(max(x, min), max)}: convex at {@code min}, concave at {@code max}. */
  record Clip(double min, double max) implements ScalarActivation {
    @Override
    public double value(double x) {
      return x < min ? min : x > max ? max : x;
    }

    @Override
    public double derivative(double x) {
      return x < min || x > max ? 0 : 1;
    }

    @Override
    public double valueLower(double x) {
      return value(x);
    }

    @Override
    public double valueUpper(double x) {
      return value(x);
    }

    @Override
    public double derivativeLower(double x) {
      return derivative(x);
    }

    @Override
    public double derivativeUpper(double x) {
      return derivative(x);
    }

    @Override
    public double[] breakpoints() {
      if (Double.isFinite(min) && Double.isFinite(max)) {
        return min == max ? new double[] {min} : new double[] {min, max};
      }
      return Double.isFinite(min) ? new double[] {min}
          : Double.isFinite(max) ? new double[] {max} : new double[0];
    }

    @Override
    public Curvature curvature(int piece) {
      return Curvature.LINEAR;
    }

    /**
     * Flat or identity intervals: exact slopes. One kink: ReLU's rule around it (chord on the
     * bending side, the longer piece's slope on the other). Both kinks: the lines through
     * {@code (min, min)} and {@code (u, max)} (lower) and through {@code (l, min)} and
     * {@code (max, max)} (upper), each tight at both clamps.
     */
    @Override
    public double[] slopes(double l, double u) {
      if (u <= min || l >= max) {
        return new double[] {0, 0};
      }
      boolean crossesMin = l < min;
      boolean crossesMax = u > max;
      if (!crossesMin && !crossesMax) {
        return new double[] {1, 1};
      }
      if (crossesMin && crossesMax) {
        return new double[] {(max - min) / (u - min), (max - min) / (max - l)};
      }
      if (crossesMin) {
        double chord = (u - min) / (u - l);
        return new double[] {u - min > min - l ? 1 : 0, chord};
      }
      double chord = (max - l) / (u - l);
      return new double[] {chord, max - l > u - max ? 1 : 0};
    }
  }
}
