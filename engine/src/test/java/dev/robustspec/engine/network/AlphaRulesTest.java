package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.linear.SymbolicRows;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The α-CROWN rules of the layer contract (slopes, slope back-substitution, gradient step). */
class AlphaRulesTest {

  private static final DenseLayer DENSE =
      new DenseLayer("d", 2, 1, new double[] {1, -2}, new double[] {0.5});
  private static final ElementwiseAffineLayer AFFINE =
      new ElementwiseAffineLayer("a", new double[] {2, -1}, new double[] {1, 0.25});
  private static final ReshapeLayer RESHAPE = new ReshapeLayer("s", new int[] {2, 2}, new int[] {4});
  private static final ReluLayer RELU = new ReluLayer("r", 4);
  /** Neuron 0 inactive, 1 active, 2 unstable with u > -l, 3 unstable with u < -l. */
  private static final double[] LOWER = {-2, 1, -1, -3};
  private static final double[] UPPER = {-1, 2, 3, 1};

  @Test
  void onlyTheReluHasSlopes() {
    assertEquals(List.of(0, 0, 0, 4), List.of(DENSE.lowerSlopeCount(), AFFINE.lowerSlopeCount(),
        RESHAPE.lowerSlopeCount(), RELU.lowerSlopeCount()));
  }

  /** DeepPoly's area rule: slope 1 when u > -l, else 0. */
  @Test
  void reluStartsAtTheAreaRule() {
    double[] row = {9, 9, 9, 9};
    RELU.initialLowerSlopes(LOWER, UPPER, row);
    assertArrayEquals(new double[] {0, 1, 1, 0}, row);
  }

  /**
   * Row {@code (4, 3, 0.5, -2)} with slopes {@code (0.3, 0.6, 0.25, 0.9)}: inactive drops out,
   * active keeps 3, the slope line gives {@code 0.5 * 0.25 = 0.125}, the negative coefficient
   * takes the chord {@code s (x + 3)} with {@code s >= 1/4}: coefficient {@code -2 s}, constant
   * {@code -6 s}.
   */
  @Test
  void reluBackSubstitutesWithTheGivenSlopes() {
    SymbolicRows over = rows(4, 4, 3, 0.5, -2);
    SymbolicRows in = new SymbolicRows();
    RELU.backSubstitute(over, LOWER, UPPER, new double[] {0.3, 0.6, 0.25, 0.9}, in);
    double s = -in.coef()[3] / 2;
    assertTrue(s >= 0.25 && s < 0.2500001, "chord slope " + s);
    assertArrayEquals(new double[] {0, 3, 0.125, -2 * s}, in.coef());
    assertEquals(-6 * s, in.constant()[0], 1e-15);
    assertTrue(in.slack()[0] >= 0 && in.slack()[0] < 1e-12, "slack " + in.slack()[0]);
    // null: the area rule, slope 1 on neuron 2
    RELU.backSubstitute(over, LOWER, UPPER, null, in);
    assertEquals(0.5, in.coef()[2]);
    assertThrows(IllegalArgumentException.class,
        () -> RELU.backSubstitute(over, LOWER, UPPER, new double[] {0, 0, 1.5, 0}, in));
  }

  /**
   * {@code g = (5, 7, 2, 2)}, coefficients {@code (4, 3, 0.5, -2)}, slopes
   * {@code (0.3, 0.6, 0.25, 0.9)}: inactive 0; active 7; slope line {@code 0.25 * 2 = 0.5} with
   * slope gradient {@code 0.5 * 2 = 1}; chord {@code s (g + 3)} with {@code s = 1/4}: 1.25.
   */
  @Test
  void reluGradientStepIsTheAdjointOfItsRule() {
    double[] grad = new double[4];
    double[] next = RELU.slopeGradientStep(new double[] {5, 7, 2, 2}, LOWER, UPPER,
        new double[] {4, 3, 0.5, -2}, new double[] {0.3, 0.6, 0.25, 0.9}, grad);
    assertArrayEquals(new double[] {0, 7, 0.5, 1.25}, next);
    assertArrayEquals(new double[] {0, 0, 1, 0}, grad);
  }

  /**
   * An affine layer's bound over its output {@code a} is {@code (a W) . g + a . b}, so its
   * derivative by {@code a} is {@code W g + b}: dense {@code 3 - 2 + 0.5 = 1.5}; elementwise
   * {@code (2 * 0.5 + 1, -1 * 4 + 0.25) = (2, -3.75)}; a reshape passes g unchanged.
   */
  @Test
  void affineGradientStepsAreTheLayersEvaluation() {
    double[] none = new double[0];
    assertArrayEquals(new double[] {1.5},
        DENSE.slopeGradientStep(new double[] {3, 1}, new double[2], new double[2], new double[1],
            none, none));
    assertArrayEquals(new double[] {2, -3.75},
        AFFINE.slopeGradientStep(new double[] {0.5, 4}, new double[2], new double[2],
            new double[2], none, none));
    assertArrayEquals(new double[] {1, 2, 3, 4},
        RESHAPE.slopeGradientStep(new double[] {1, 2, 3, 4}, new double[4], new double[4],
            new double[4], none, none));
  }

  /** Without slopes, the slope back-substitution is the plain one, bit for bit. */
  @Test
  void affineSlopeBackSubstitutionIsThePlainRule() {
    check(DENSE, rows(1, 2, -3), new double[] {-1, 0}, new double[] {2, 0.5});
    check(AFFINE, rows(2, 2, -3, 0.5, 1), new double[] {-1, 0}, new double[] {2, 0.5});
    check(RESHAPE, rows(4, 1, 2, 3, 4, 5, 6, 7, 8), new double[4], new double[] {1, 1, 1, 1});
  }

  private static void check(Layer layer, SymbolicRows over, double[] lo, double[] hi) {
    SymbolicRows plain = new SymbolicRows();
    SymbolicRows sloped = new SymbolicRows();
    layer.backSubstitute(over, lo, hi, plain);
    layer.backSubstitute(over, lo, hi, new double[0], sloped);
    assertArrayEquals(plain.coef(), sloped.coef(), layer.kind());
    assertArrayEquals(plain.constant(), sloped.constant(), layer.kind());
    assertArrayEquals(plain.slack(), sloped.slack(), layer.kind());
    double[] none = new double[0];
    layer.initialLowerSlopes(lo, hi, none); // nothing to write
    assertEquals(0, none.length);
  }

  /** Rows of width {@code width} with these coefficients (row-major), constants 0. */
  private static SymbolicRows rows(int width, double... coef) {
    SymbolicRows r = new SymbolicRows();
    r.reset(coef.length / width, width);
    System.arraycopy(coef, 0, r.coef(), 0, coef.length);
    return r;
  }
}
