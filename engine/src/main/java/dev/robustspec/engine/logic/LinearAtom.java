package dev.robustspec.engine.logic;

/**
 * A linear atom {@code sum coefficients[k] * v[variables[k]] <= bound}, or {@code < bound} when
 * {@code strict}; variables distinct and ascending, coefficients non-zero. Strictness is kept
 * from the text: the passes close every atom (a larger unsafe set, so a proof stays a proof),
 * and a counterexample's confirmation honours it.
 */
public record LinearAtom(int[] variables, double[] coefficients, double bound, boolean strict) {

  /** The negation: {@code not (a . v <= b)} is {@code -a . v < -b}, and the other way round. */
  public LinearAtom negated() {
    double[] c = new double[coefficients.length];
    for (int k = 0; k < c.length; k++) {
      c[k] = -coefficients[k];
    }
    return new LinearAtom(variables, c, -bound, !strict);
  }
}
