package dev.robustspec.engine.relax;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) ascending on a
 * set of parameter arrays, each step projected to {@code [min, max]} (α-CROWN's slopes to
 * [0, 1], β-CROWN's multipliers to [0, ∞)). Plain doubles: the optimiser only steers; every
 * reported bound is recomputed by the rigorous rules from the parameters it leaves.
 */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private final double[][] m;
  private final double[][] v;
  private final double min;
  private final double max;
  private double rate;
  private int t;

  /** Moments shaped like {@code shape}; the initial step size {@code rate}. */
  Adam(double[][] shape, double rate, double min, double max) {
    m = new double[shape.length][];
    v = new double[shape.length][];
    for (int k = 0; k < shape.length; k++) {
      m[k] = new double[shape[k].length];
      v[k] = new double[shape[k].length];
    }
    this.rate = rate;
    this.min = min;
    this.max = max;
  }

  /** One ascent step of {@code x} along {@code gradient}, projected. */
  void ascend(double[][] x, double[][] gradient) {
    t++;
    double c1 = 1 - Math.pow(BETA1, t);
    double c2 = 1 - Math.pow(BETA2, t);
    for (int k = 0; k < x.length; k++) {
      for (int i = 0; i < x[k].length; i++) {
        double g = gradient[k][i];
        m[k][i] = BETA1 * m[k][i] + (1 - BETA1) * g;
        v[k][i] = BETA2 * v[k][i] + (1 - BETA2) * g * g;
        double step = rate * (m[k][i] / c1) / (Math.sqrt(v[k][i] / c2) + EPSILON);
        x[k][i] = Math.min(max, Math.max(min, x[k][i] + step));
      }
    }
  }

  void decay(double factor) {
    rate *= factor;
  }
}
