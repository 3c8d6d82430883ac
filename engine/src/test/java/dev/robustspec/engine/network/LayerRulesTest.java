package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-layer rules of the layer contract on hand-computed cases. */
class LayerRulesTest {

  private static final DenseLayer DENSE =
      new DenseLayer("d", 2, 1, new double[] {1, -2}, new double[] {0.5});
  private static final ElementwiseAffineLayer AFFINE =
      new ElementwiseAffineLayer("a", new double[] {2, -1}, new double[] {1, 0.25});
  private static final ReluLayer RELU = new ReluLayer("r", 3);
  private static final ReshapeLayer RESHAPE = new ReshapeLayer("s", new int[] {2, 2}, new int[] {4});
  /** x = [[1, 2], [3, 4]], W = [[1, 2], [3, 4]], pad 1, stride 2, bias 0.5: one tap per output. */
  private static final ConvLayer CONV = new ConvLayer("c",
      new ConvGeometry(1, 2, 2, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1),
      new double[] {1, 2, 3, 4}, new double[] {0.5});
  /** A 2x2 kernel over a 2x3 input, no padding: two outputs of four taps each. */
  private static final ConvLayer CONV_FULL = new ConvLayer("f",
      ConvGeometry.simple(1, 2, 3, 1, 2, 2), new double[] {1, -1, 0.5, 2},
      new double[] {-1});

  @Test
  void evaluationsAgreeOnExactlyRepresentableValues() {
    // 3 - 2 + 0.5 = 1.5; 2 * 0.5 + 1 = 2, -1 * 4 + 0.25 = -3.75; relu(-1, 0, 2) = (0, 0, 2)
    check(DENSE, new double[] {3, 1}, new double[] {1.5});
    check(AFFINE, new double[] {0.5, 4}, new double[] {2, -3.75});
    check(RELU, new double[] {-1, 0, 2}, new double[] {0, 0, 2});
    check(RESHAPE, new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4});
    // each output sees one input: 4*1, 3*2, 2*3, 1*4, plus 0.5
    check(CONV, new double[] {1, 2, 3, 4}, new double[] {4.5, 6.5, 6.5, 4.5});
    // x = [[1, 2, 3], [4, 5, 6]]: 1 - 2 + 2 + 10 - 1 = 10, 2 - 3 + 2.5 + 12 - 1 = 12.5
    check(CONV_FULL, new double[] {1, 2, 3, 4, 5, 6}, new double[] {10, 12.5});
  }

  private static void check(Layer layer, double[] x, double[] expected) {
    assertArrayEquals(expected, layer.evaluate(x), layer.kind());
    float[] xf = new float[x.length];
    BigDecimal[] xe = new BigDecimal[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
      xe[i] = new BigDecimal(x[i]);
    }
    float[] yf = layer.evaluateFloat32(xf);
    BigDecimal[] ye = layer.evaluateExact(xe);
    RoundedEvaluation.Result yr = layer.evaluateRounded(
        new RoundedEvaluation.Result(x, new double[x.length]),
        new RoundedEvaluation.Precision(false, 0x1p-53, Double.MIN_VALUE));
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], yf[i], 0.0, layer.kind());
      assertEquals(0, new BigDecimal(expected[i]).compareTo(ye[i]), layer.kind());
      assertEquals(expected[i], yr.values()[i], 0.0, layer.kind());
      assertTrue(yr.radius()[i] >= 0, layer.kind());
    }
  }

  /** An unstable ReLU on [-1, 3] gets y >= x and the chord y <= s (x + 1), s >= 3/4. */
  @Test
  void reluLpRowsAreTheTriangle() {
    List<double[]> rows = new ArrayList<>();
    int[] next = {10};
    LpRowSink sink = new LpRowSink() {
      @Override
      public int variable(double lower, double upper) {
        rows.add(new double[] {-1, lower, upper});
        return next[0]++;
      }

      @Override
      public void row(int[] index, double[] coef, double lower, double upper) {
        rows.add(new double[] {index[0], index[1], coef[0], coef[1], lower, upper});
      }
    };
    int[] out = RELU.encodeLp(sink, new int[] {0, 1, 2}, new LpRowSink.Bounds(
        new double[] {-2, 1, -1}, new double[] {-1, 2, 3},
        new double[] {0, 1, 0}, new double[] {0, 2, 3}));
    assertArrayEquals(new int[] {-1, 10, 11}, out); // dead, active, unstable
    assertArrayEquals(new double[] {-1, 1, 2}, rows.get(0));
    assertArrayEquals(new double[] {10, 1, 1, -1, 0, 0}, rows.get(1)); // active: y = x
    assertArrayEquals(new double[] {-1, 0, 3}, rows.get(2));
    assertArrayEquals(new double[] {11, 2, 1, -1, 0, Double.POSITIVE_INFINITY}, rows.get(3));
    double[] chord = rows.get(4);
    double s = -chord[3];
    assertTrue(s >= 0.75 && s < 0.7500001, "slope " + s);
    assertTrue(chord[5] >= s, "the chord passes through (-1, 0): rhs >= s");
    assertEquals(5, rows.size());
  }

  @Test
  void displayRules() {
    assertEquals(List.of("dense", "affine", "relu", "reshape"),
        List.of(DENSE.kind(), AFFINE.kind(), RELU.kind(), RESHAPE.kind()));
    assertEquals(List.of(false, false, true, false), List.of(DENSE.isActivation(),
        AFFINE.isActivation(), RELU.isActivation(), RESHAPE.isActivation()));
    assertEquals(List.of(false, false, false, true), List.of(DENSE.isShapeOnly(),
        AFFINE.isShapeOnly(), RELU.isShapeOnly(), RESHAPE.isShapeOnly()));
    assertEquals(List.of(3L, 4L, 0L, 0L), List.of(DENSE.parameterCount(),
        AFFINE.parameterCount(), RELU.parameterCount(), RESHAPE.parameterCount()));
    assertEquals("conv", CONV.kind());
    assertEquals(List.of(false, false, false), List.of(CONV.isActivation(), CONV.isRelu(),
        CONV.isShapeOnly()));
    assertEquals(5L, CONV.parameterCount()); // 4 weights + 1 bias
    // the network counts the convolution's parameters too: 5 + (4 + 1)
    assertEquals(10L, new Network("n", new int[] {1, 1, 2, 2}, List.of(CONV,
        new ReluLayer("r", 4), new DenseLayer("d", 4, 1, new double[] {1, 1, 1, 1},
            new double[] {0}))).parameterCount());
  }

  /**
   * Back-substitution through a reshape keeps the rows' zero columns marked (the same columns
   * are zero), so that a concretisation below skips them: same rows, same bound.
   */
  @Test
  void reshapeKeepsTheZeroColumnsMarked() {
    dev.robustspec.engine.linear.SymbolicRows over = new dev.robustspec.engine.linear.SymbolicRows();
    over.reset(2, 4);
    double[] c = over.coef();
    c[1] = 2; // row 0: 2 z1 - z3; row 1: 0.5 z1
    c[3] = -1;
    c[5] = 0.5;
    over.markNonzeroColumns(new int[] {1, 3}, 2);
    dev.robustspec.engine.linear.SymbolicRows under = new dev.robustspec.engine.linear.SymbolicRows();
    double[] lo = {-1, -1, -1, -1};
    double[] hi = {1, 2, 1, 3};
    RESHAPE.backSubstitute(over, lo, hi, under);
    assertArrayEquals(new int[] {1, 3}, under.nonzeroColumns());
    // 2 z1 - z3 >= -2 - 3 = -5; 0.5 z1 >= -0.5: the same as over the reshape's output
    assertArrayEquals(over.concretise(lo, hi), under.concretise(lo, hi));
    double[] bound = under.concretise(lo, hi);
    assertTrue(bound[0] <= -5 && bound[0] > -5 - 1e-12, "row 0: " + bound[0]); // rounded down
    assertTrue(bound[1] <= -0.5 && bound[1] > -0.5 - 1e-12, "row 1: " + bound[1]);
  }
}
