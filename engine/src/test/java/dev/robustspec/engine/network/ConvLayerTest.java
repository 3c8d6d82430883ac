package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.spec.Box;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * ConvLayer against a hand-computed case and against {@link NaiveConv} (an independent
 * implementation of the ONNX formula and the dense matrix it defines): forward pass, interval
 * rule, back-substitution and gradient equal to the dense equivalent's within rounding terms.
 */
class ConvLayerTest {

  @Test
  void handComputedPaddedStridedConvolution() {
    // x = [[1, 2], [3, 4]], W = [[1, 2], [3, 4]], pad 1 all round, stride 2, bias 0.5:
    // each output sees exactly one input: y = [4*1, 3*2, 2*3, 1*4] + 0.5
    ConvGeometry g = new ConvGeometry(1, 2, 2, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    ConvLayer conv = new ConvLayer("c", g, new double[] {1, 2, 3, 4}, new double[] {0.5});
    assertEquals(2, g.outHeight());
    assertEquals(2, g.outWidth());
    assertArrayEquals(new double[] {4.5, 6.5, 6.5, 4.5}, conv.evaluate(new double[] {1, 2, 3, 4}));
  }

  @Test
  void handComputedGroupedDilatedConvolution() {
    // 2 channels, 2 groups (depthwise), 1x2 kernel dilated by 2 on a 1x3 row: y_c = a_c x0 + b_c x2
    ConvGeometry g = new ConvGeometry(2, 1, 3, 2, 1, 2, 1, 1, 0, 0, 0, 0, 1, 2, 2);
    ConvLayer conv = new ConvLayer("c", g, new double[] {1, 10, 2, -1}, new double[] {0, 1});
    assertArrayEquals(new double[] {1 + 30, 2 * 4 - 6 + 1},
        conv.evaluate(new double[] {1, 2, 3, 4, 5, 6}));
  }

  @Test
  void invalidGeometryIsRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class,
        () -> new ConvGeometry(3, 4, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 2)); // 2 ∤ 3
    assertThrows(IllegalArgumentException.class,
        () -> new ConvGeometry(1, 4, 4, 1, 2, 2, 1, 1, -1, 0, 0, 0, 1, 1, 1)); // pad < 0
    assertThrows(IllegalArgumentException.class,
        () -> new ConvGeometry(1, 2, 2, 1, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)); // too big
    ConvGeometry g = ConvGeometry.simple(1, 3, 3, 1, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConvLayer("c", g, new double[3], new double[1]));
    assertTrue(e.getMessage().contains("3 weights"), e.getMessage());
  }

  @Property(tries = 300)
  void evaluateMatchesTheNaiveFormulaAndTheDenseMatrix(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", NaiveConv.geometry(r));
    DenseLayer dense = NaiveConv.dense(conv);
    assertEquals(dense, conv.toDense(), "materialised matrix");
    for (int t = 0; t < 5; t++) {
      double[] x = randomVector(r, conv.inputSize());
      double[] expected = NaiveConv.apply(conv.geometry(), conv.weights(), conv.bias(), x);
      assertArrayEquals(expected, conv.evaluate(x), 1e-12);
      assertArrayEquals(expected, dense.evaluate(x), 1e-12);
      double[] grad = randomVector(r, conv.outputSize());
      assertArrayEquals(dense.backpropagate(x, grad), conv.backpropagate(x, grad), 1e-12);
    }
  }

  @Property(tries = 300)
  void intervalAndBackSubstitutionEqualTheDenseEquivalentsWithinTheirSlack(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", NaiveConv.geometry(r));
    DenseLayer dense = NaiveConv.dense(conv);
    Box box = RandomNets.box(r, conv.inputSize(), 2.0);
    double[] lo = box.lower();
    double[] hi = box.upper();
    int n = conv.outputSize();
    double[][] ci = {new double[n], new double[n]};
    double[][] di = {new double[n], new double[n]};
    conv.intervalForward(lo, hi, ci[0], ci[1]);
    dense.intervalForward(lo, hi, di[0], di[1]);
    for (int i = 0; i < n; i++) {
      assertEquals(di[0][i], ci[0][i], 1e-12);
      assertEquals(di[1][i], ci[1][i], 1e-12);
    }
    int rows = 1 + r.nextInt(6);
    SymbolicRows start = new SymbolicRows();
    start.reset(rows, n);
    for (int k = 0; k < rows * n; k++) {
      start.coef()[k] = r.nextInt(3) == 0 ? 0 : RandomNets.gaussian(r);
    }
    SymbolicRows viaConv = new SymbolicRows();
    SymbolicRows viaDense = new SymbolicRows();
    conv.backSubstitute(start, lo, hi, viaConv);
    dense.backSubstitute(start, lo, hi, viaDense);
    double[] m = Layer.magnitudes(lo, hi);
    int in = conv.inputSize();
    for (int row = 0; row < rows; row++) {
      double gap = Math.abs(viaConv.constant()[row] - viaDense.constant()[row]);
      for (int j = 0; j < in; j++) {
        double a = viaConv.coef()[row * in + j];
        double b = viaDense.coef()[row * in + j];
        assertEquals(b, a, 1e-12 * (1 + Math.abs(b)));
        gap += Math.abs(a - b) * m[j];
      }
      // the two rows differ by rounding only: both slacks together cover the difference
      assertTrue(gap <= viaConv.slack()[row] + viaDense.slack()[row],
          "rows differ by " + gap + ", beyond the slacks");
      assertTrue(viaConv.slack()[row] < 1e-9, "slack " + viaConv.slack()[row]);
    }
  }

  private static double[] randomVector(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 4 - 2;
    }
    return x;
  }
}
