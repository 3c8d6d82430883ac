package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.OnnxWriter;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.spec.Box;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvTransposeLayer} (and nearest upsampling) and {@link MaxPoolLayer}: hand-computed
 * cases, the naive ONNX formulas ({@link NaiveImageOps}), the transposed convolution's matrix
 * equal to the transpose of its adjoint convolution's ({@link NaiveConv}), rounded radii
 * containing the exact values, LP rows holding exactly at sampled points, ONNX round trips.
 */
class ImageLayersTest {

  @Test
  void handComputedStridedTransposedConvolution() {
    // x = [1, 2] (1x1x2), kernel [1, 10, 100] (1x3), stride 2: y = [1, 10, 100+2, 20, 200] + 0.5
    ConvGeometry adjoint = new ConvGeometry(1, 1, 5, 1, 1, 3, 1, 2, 0, 0, 0, 0, 1, 1, 1);
    ConvTransposeLayer t = new ConvTransposeLayer("t", adjoint, new double[] {1, 10, 100},
        new double[] {0.5});
    assertEquals(2, t.inputSize());
    assertEquals(5, t.outputSize());
    assertArrayEquals(new double[] {1.5, 10.5, 102.5, 20.5, 200.5},
        t.evaluate(new double[] {1, 2}));
    assertArrayEquals(new int[] {0, 0}, t.outputPadding());
    // with pads 1 on both sides the two end pixels are cut: [10, 102, 20] + 0.5
    ConvTransposeLayer padded = new ConvTransposeLayer("p",
        new ConvGeometry(1, 1, 3, 1, 1, 3, 1, 2, 0, 1, 0, 1, 1, 1, 1), new double[] {1, 10, 100},
        new double[] {0.5});
    assertArrayEquals(new double[] {10.5, 102.5, 20.5}, padded.evaluate(new double[] {1, 2}));
  }

  @Test
  void nearestUpsampleCopiesEachPixel() {
    ConvTransposeLayer up = ConvTransposeLayer.nearestUpsample("u", 1, 2, 2, 2, 3);
    double[] y = up.evaluate(new double[] {1, 2, 3, 4});
    assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3,
        3, 4, 4, 4}, y);
    double[] lo = new double[24];
    double[] hi = new double[24];
    up.intervalForward(new double[] {0, 1, 2, 3}, new double[] {1, 2, 3, 4}, lo, hi);
    assertEquals(0, lo[0], 1e-14); // the bounds of the input, widened by the rounding terms only
    assertTrue(lo[0] <= 0 && hi[23] >= 4);
    assertEquals(4, hi[23], 1e-14);
  }

  @Test
  void handComputedMaxPoolAndItsLines() {
    // 1x2x2 image, 2x2 window, pads 1 (right and bottom): 4 outputs, windows {x0,x1,x2,x3},
    // {x1,x3}, {x2,x3}, {x3}
    MaxPoolLayer pool = new MaxPoolLayer("m",
        new ConvGeometry(1, 2, 2, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1, 1, 1));
    assertArrayEquals(new double[] {4, 4, 4, 4}, pool.evaluate(new double[] {1, 2, 3, 4}));
    assertArrayEquals(new double[] {3, 2, 3, -1}, pool.evaluate(new double[] {1, 2, 3, -1}));
    double[] l = {0, 1, -1, 5};
    double[] u = {1, 3, 2, 6};
    double[] lo = new double[4];
    double[] hi = new double[4];
    pool.intervalForward(l, u, lo, hi);
    assertArrayEquals(new double[] {5, 5, 5, 5}, lo);
    assertArrayEquals(new double[] {6, 6, 6, 6}, hi);
    // x3 dominates every window: each output is x3 exactly, both ways
    SymbolicRows start = new SymbolicRows();
    start.reset(2, 4);
    start.coef()[0] = 1;
    start.coef()[4 + 1] = -1;
    SymbolicRows back = new SymbolicRows();
    pool.backSubstitute(start, l, u, back);
    assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0, 0, -1}, back.coef());
    // overlapping bounds: l = [0, 1], u = [2, 3] over a 1x2 window: lower y >= x1; upper: the
    // line 1 + (2-1)/(2-0) (x0 - 0) + (3-1)/(3-1) (x1 - 1) = 0.5 x0 + x1 (mean 2.5 < max u 3)
    MaxPoolLayer pair = new MaxPoolLayer("p",
        new ConvGeometry(1, 1, 2, 1, 1, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1));
    MaxPoolLayer.Lines line = pair.lines(0, new double[] {0, 1}, new double[] {2, 3});
    assertEquals(1, line.lowerInput());
    assertEquals(2, line.count());
    assertEquals(0.5, line.slope()[0], 1e-15);
    assertEquals(1, line.slope()[1], 1e-15);
    assertEquals(0, line.constant(), 1e-15);
    // wide, equal boxes: the line's mean -0.5 + 2 * 1.5 = 2.5 is not below max u: the constant
    MaxPoolLayer.Lines flat = pair.lines(0, new double[] {-0.5, -0.5}, new double[] {2.5, 2.5});
    assertEquals(0, flat.count());
    assertEquals(2.5, flat.constant());
  }

  @Test
  void invalidLayersAreRefusedWithAReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MaxPoolLayer("m", new ConvGeometry(2, 3, 3, 2, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1,
            1)));
    assertTrue(e.getMessage().contains("depthwise"), e.getMessage());
    IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
        () -> new ConvTransposeLayer("t", ConvGeometry.simple(1, 3, 3, 1, 2, 2), new double[3],
            new double[1]));
    assertTrue(w.getMessage().contains("3 weights"), w.getMessage());
  }

  @Property(tries = 300)
  void convTransposeIsTheAdjointOfItsConvolution(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvTransposeLayer t = NaiveImageOps.randomConvTranspose(r, "t", 1 + r.nextInt(2),
        1 + r.nextInt(4), 1 + r.nextInt(4));
    ConvLayer conv = new ConvLayer("c", t.adjoint(), t.weights(),
        new double[t.adjoint().outChannels()]);
    DenseLayer convMatrix = NaiveConv.dense(conv);
    DenseLayer matrix = t.toDense();
    for (int i = 0; i < t.outputSize(); i++) {
      for (int j = 0; j < t.inputSize(); j++) {
        assertEquals(convMatrix.weights()[j * t.outputSize() + i],
            matrix.weights()[i * t.inputSize() + j], 0.0, "entry " + i + "," + j);
      }
    }
    for (int k = 0; k < 5; k++) {
      double[] x = vector(r, t.inputSize());
      assertArrayEquals(NaiveImageOps.convTranspose(t, x), t.evaluate(x), 1e-12);
      double[] g = vector(r, t.outputSize());
      assertArrayEquals(matrix.backpropagate(x, g), t.backpropagate(x, g), 1e-12);
    }
  }

  @Property(tries = 300)
  void maxPoolMatchesTheNaiveFormula(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    MaxPoolLayer pool = NaiveImageOps.randomMaxPool(r, "m", 1 + r.nextInt(2), 2 + r.nextInt(4),
        2 + r.nextInt(4));
    for (int k = 0; k < 5; k++) {
      double[] x = vector(r, pool.inputSize());
      double[] y = pool.evaluate(x);
      assertArrayEquals(NaiveImageOps.maxPool(pool.geometry(), x), y, 0.0);
      BigDecimal[] exact = pool.evaluateExact(toBig(x));
      float[] f = pool.evaluateFloat32(RoundedEvaluation.toFloat(x));
      for (int i = 0; i < y.length; i++) {
        assertEquals(0, exact[i].compareTo(new BigDecimal(y[i])));
        assertEquals((float) y[i], f[i]);
      }
    }
  }

  /** Rounded radius of both layers (inside small nets) contains the exact value. */
  @Property(tries = 200)
  void roundedRadiusContainsTheExactValue(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
      @ForAll boolean float32) {
    SplittableRandom r = new SplittableRandom(seed);
    Network net = ImageLayersTestNets.randomImageNet(r);
    double[] x = new double[net.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 6 - 3);
    }
    RoundedEvaluation.Result rounded = RoundedEvaluation.evaluate(net, x, float32);
    BigDecimal[] exact = ExactEvaluation.evaluate(net, x);
    for (int i = 0; i < exact.length; i++) {
      BigDecimal gap = exact[i].subtract(new BigDecimal(rounded.values()[i])).abs();
      assertTrue(gap.compareTo(new BigDecimal(rounded.radius()[i])) <= 0,
          "output " + i + ": exact differs by " + gap + ", radius " + rounded.radius()[i]);
      assertTrue(rounded.radius()[i] < 1e-4, "radius " + rounded.radius()[i]);
    }
  }

  /** Every LP row of both layers holds exactly at points sampled in a random input box. */
  @Property(tries = 300)
  void lpRowsHoldAtSampledPoints(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int c = 1 + r.nextInt(2);
    int h = 2 + r.nextInt(3);
    int w = 2 + r.nextInt(3);
    Layer layer = r.nextBoolean() ? NaiveImageOps.randomMaxPool(r, "m", c, h, w)
        : NaiveImageOps.randomConvTranspose(r, "t", c, h, w);
    int n = layer.inputSize();
    Box box = RandomNets.box(r, n, r.nextBoolean() ? 0.5 : 4);
    double[] lo = new double[layer.outputSize()];
    double[] hi = new double[layer.outputSize()];
    layer.intervalForward(box.lower(), box.upper(), lo, hi);
    int[] in = new int[n];
    boolean[] zero = new boolean[n];
    for (int j = 0; j < n; j++) {
      zero[j] = r.nextInt(5) == 0 && box.lower()[j] <= 0 && box.upper()[j] >= 0;
      in[j] = zero[j] ? -1 : j;
    }
    List<int[]> indices = new ArrayList<>();
    List<double[]> coefs = new ArrayList<>();
    List<double[]> sides = new ArrayList<>();
    int[] next = {n};
    LpRowSink sink = new LpRowSink() {
      @Override
      public int variable(double lower, double upper) {
        return next[0]++;
      }

      @Override
      public void row(int[] index, double[] coef, double lower, double upper) {
        indices.add(index.clone());
        coefs.add(coef.clone());
        sides.add(new double[] {lower, upper});
      }
    };
    int[] out = layer.encodeLp(sink, in, new LpRowSink.Bounds(box.lower(), box.upper(), lo, hi));
    for (int t = 0; t < 20; t++) {
      double[] x = RandomNets.point(r, box);
      for (int j = 0; j < n; j++) {
        if (zero[j]) {
          x[j] = 0;
        } else if (t < 2) {
          x[j] = t == 0 ? box.lower()[j] : box.upper()[j]; // the box's corners
        }
      }
      BigDecimal[] value = new BigDecimal[next[0]];
      BigDecimal[] xs = toBig(x);
      System.arraycopy(xs, 0, value, 0, n);
      BigDecimal[] y = layer.evaluateExact(xs);
      for (int o = 0; o < out.length; o++) {
        value[out[o]] = y[o];
      }
      for (int k = 0; k < indices.size(); k++) {
        BigDecimal s = BigDecimal.ZERO;
        for (int q = 0; q < indices.get(k).length; q++) {
          int v = indices.get(k)[q];
          assertTrue(v >= n || in[v] >= 0, "row " + k + " uses a constant input");
          s = s.add(new BigDecimal(coefs.get(k)[q]).multiply(value[v]));
        }
        double lower = sides.get(k)[0];
        double upper = sides.get(k)[1];
        assertTrue(lower == Double.NEGATIVE_INFINITY || s.compareTo(new BigDecimal(lower)) >= 0,
            layer.kind() + " row " + k + " below its lower side: " + s + " < " + lower);
        assertTrue(upper == Double.POSITIVE_INFINITY || s.compareTo(new BigDecimal(upper)) <= 0,
            layer.kind() + " row " + k + " above its upper side: " + s + " > " + upper);
      }
    }
  }

  @Property(tries = 60)
  void onnxWriteThenReadGivesTheSameForwardPass(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    Network net = ImageLayersTestNets.randomImageNet(r);
    Network back = OnnxReader.read(OnnxWriter.toBytes(net), Path.of("roundtrip.onnx"));
    assertEquals(net.parameterCount(), back.parameterCount());
    for (int t = 0; t < 5; t++) {
      double[] x = vector(r, net.inputSize());
      assertArrayEquals(net.evaluate(x), back.evaluate(x), 0.0, "same weights, same sums");
    }
  }

  private static BigDecimal[] toBig(double[] x) {
    BigDecimal[] b = new BigDecimal[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = new BigDecimal(x[i]);
    }
    return b;
  }

  private static double[] vector(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 4 - 2;
    }
    return x;
  }
}
