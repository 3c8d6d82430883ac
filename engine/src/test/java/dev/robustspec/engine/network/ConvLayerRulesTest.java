package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.OnnxWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The layer-contract rules of {@link ConvLayer} on random geometries ({@link NaiveConv}): the
 * rounded radius contains the exact value, the LP rows hold exactly at sampled points, the ONNX
 * writer's Conv node reads back to the same layer, the fingerprint sees geometry and weights.
 */
class ConvLayerRulesTest {

  @Property(tries = 200)
  void roundedRadiusContainsTheExactValue(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
      @ForAll boolean float32) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", NaiveConv.geometry(r));
    ConvGeometry g = conv.geometry();
    Network net = new Network("n", new int[] {1, g.inChannels(), g.inHeight(), g.inWidth()},
        List.of(conv, new ReluLayer("r", conv.outputSize()), NaiveConv.random(r, "c2",
            ConvGeometry.simple(g.outChannels(), g.outHeight(), g.outWidth(), 2, 1, 1))));
    double[] x = new double[conv.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 6 - 3); // representable in float32: both inputs agree
    }
    RoundedEvaluation.Result rounded = RoundedEvaluation.evaluate(net, x, float32);
    BigDecimal[] exact = ExactEvaluation.evaluate(net, x);
    for (int i = 0; i < exact.length; i++) {
      BigDecimal gap = exact[i].subtract(new BigDecimal(rounded.values()[i])).abs();
      assertTrue(gap.compareTo(new BigDecimal(rounded.radius()[i])) <= 0,
          "output " + i + ": exact differs by " + gap + ", radius " + rounded.radius()[i]);
      assertTrue(rounded.radius()[i] < 1e-4, "radius " + rounded.radius()[i]);
    }
    if (float32) { // the rounded values are the float32 runtime's
      assertArrayEquals(Float32Evaluation.evaluate(net, x), RoundedEvaluation.toFloat(
          rounded.values()));
    }
  }

  /** Rows {@code y_o - sum w x = b_o} hold exactly for the exact outputs at a sampled input. */
  @Property(tries = 200)
  void lpRowsHoldAtSampledPoints(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", NaiveConv.geometry(r));
    int n = conv.inputSize();
    int[] in = new int[n];
    BigDecimal[] x = new BigDecimal[n];
    for (int j = 0; j < n; j++) {
      boolean zero = r.nextInt(4) == 0; // an input that is the constant 0 (a dead ReLU)
      in[j] = zero ? -1 : j;
      x[j] = zero ? BigDecimal.ZERO : new BigDecimal(r.nextDouble() * 4 - 2);
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
    double[] unbounded = new double[conv.outputSize()];
    int[] out = conv.encodeLp(sink, in, new LpRowSink.Bounds(new double[n], new double[n],
        unbounded, unbounded));
    assertEquals(conv.outputSize(), indices.size(), "one row per output");
    BigDecimal[] y = conv.evaluateExact(x);
    BigDecimal[] value = Arrays.copyOf(x, next[0]);
    for (int o = 0; o < out.length; o++) {
      value[out[o]] = y[o];
    }
    for (int k = 0; k < indices.size(); k++) {
      BigDecimal s = BigDecimal.ZERO;
      for (int t = 0; t < indices.get(k).length; t++) {
        int v = indices.get(k)[t];
        assertTrue(v >= 0 && (v >= n || in[v] >= 0), "row " + k + " uses a constant input");
        s = s.add(new BigDecimal(coefs.get(k)[t]).multiply(value[v]));
      }
      assertEquals(sides.get(k)[0], sides.get(k)[1], "an equality");
      assertEquals(0, s.compareTo(new BigDecimal(sides.get(k)[0])), "row " + k + " sums to " + s);
    }
  }

  @Property(tries = 100)
  void onnxWriteThenReadGivesTheSameForwardPass(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", NaiveConv.geometry(r));
    ConvGeometry g = conv.geometry();
    Network net = new Network("n", new int[] {1, g.inChannels(), g.inHeight(), g.inWidth()},
        List.of(conv, new ReluLayer("r", conv.outputSize()),
            new DenseLayer("d", conv.outputSize(), 1, randomVector(r, conv.outputSize()),
                new double[] {0.25})));
    Network back = OnnxReader.read(OnnxWriter.toBytes(net), Path.of("roundtrip.onnx"));
    assertEquals(net.parameterCount(), back.parameterCount());
    for (int t = 0; t < 5; t++) {
      double[] x = randomVector(r, net.inputSize());
      assertArrayEquals(net.evaluate(x), back.evaluate(x), 0.0, "same weights, same sums");
    }
  }

  @Property(tries = 50)
  void fingerprintSeesGeometryAndWeights(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", NaiveConv.geometry(r));
    double[] w = conv.weights().clone();
    w[r.nextInt(w.length)] += 1;
    ConvLayer otherWeights = new ConvLayer("c", conv.geometry(), w, conv.bias());
    ConvGeometry g = conv.geometry();
    // the same weights read with the kernel's rows and columns swapped: another layer
    ConvGeometry swapped = new ConvGeometry(g.inChannels(), g.inHeight() + 3,
        g.inWidth() + 3, g.outChannels(), g.kernelWidth(), g.kernelHeight(), 1, 1, 0, 0, 0, 0,
        1, 1, g.groups());
    ConvLayer otherGeometry = new ConvLayer("c", swapped, conv.weights(), conv.bias());
    assertEquals(fingerprint(conv), fingerprint(new ConvLayer("c2", g, conv.weights().clone(),
        conv.bias().clone())));
    assertNotEquals(fingerprint(conv), fingerprint(otherWeights));
    assertNotEquals(fingerprint(conv), fingerprint(otherGeometry));
  }

  private static List<Double> fingerprint(Layer layer) {
    List<Double> numbers = new ArrayList<>();
    layer.writeFingerprint(values -> Arrays.stream(values).forEach(numbers::add));
    return numbers;
  }

  private static double[] randomVector(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 4 - 2;
    }
    return x;
  }
}
