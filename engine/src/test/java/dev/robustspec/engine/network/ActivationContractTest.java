package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.OnnxWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The layer-contract rules of sigmoid, tanh, leaky ReLU and clip. */
class ActivationContractTest {
  private static final ElementwiseActivationLayer SIGMOID = ElementwiseActivationLayer.sigmoid("s", 3);
  private static final ElementwiseActivationLayer TANH = ElementwiseActivationLayer.tanh("t", 3);
  private static final ElementwiseActivationLayer LEAKY = ElementwiseActivationLayer.leakyRelu("l", 3, 0.25);
  private static final ElementwiseActivationLayer CLIP = ElementwiseActivationLayer.clip("c", 3, -1, 2);
  private static final RoundedEvaluation.Precision F64 =
      new RoundedEvaluation.Precision(false, 0x1p-53, Double.MIN_VALUE);
  private static final RoundedEvaluation.Precision F32 =
      new RoundedEvaluation.Precision(true, 0x1p-24, 0x1p-149);

  /** The real function at a double point: exact for the piecewise-linear layers. */
  private static BigDecimal real(Layer layer, double x) {
    return switch (layer.kind()) {
      case "sigmoid" -> HighPrecision.sigmoid(x);
      case "tanh" -> HighPrecision.tanh(x);
      default -> layer.evaluateExact(new BigDecimal[] {new BigDecimal(x)})[0];
    };
  }

  @Test
  void piecewiseLinearEvaluationsAgreeOnRepresentableValues() {
    // leaky(-4, 0, 3) = (-1, 0, 3); clip(-3, 0.5, 5) = (-1, 0.5, 2)
    agree(LEAKY, new double[] {-4, 0, 3}, new double[] {-1, 0, 3});
    agree(CLIP, new double[] {-3, 0.5, 5}, new double[] {-1, 0.5, 2});
  }

  private static void agree(Layer layer, double[] x, double[] expected) {
    assertArrayEquals(expected, layer.evaluate(x));
    float[] xf = new float[x.length];
    BigDecimal[] xe = new BigDecimal[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
      xe[i] = new BigDecimal(x[i]);
    }
    float[] yf = layer.evaluateFloat32(xf);
    BigDecimal[] ye = layer.evaluateExact(xe);
    RoundedEvaluation.Result yr =
        layer.evaluateRounded(new RoundedEvaluation.Result(x, new double[x.length]), F64);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], yf[i], 0.0);
      assertEquals(0, new BigDecimal(expected[i]).compareTo(ye[i]));
      assertEquals(expected[i], yr.values()[i], 0.0);
      assertTrue(yr.radius()[i] >= 0 && yr.radius()[i] <= 1e-300, "radius " + yr.radius()[i]);
    }
  }

  @Test
  void sigmoidAndTanhHaveNoExactRuleAndFloat32IsCorrectlyRounded() {
    for (Layer layer : List.of(SIGMOID, TANH)) {
      assertThrows(NoExactRuleException.class,
          () -> layer.evaluateExact(new BigDecimal[] {BigDecimal.ONE, BigDecimal.ZERO,
              BigDecimal.TEN}));
      float[] x = {-3.5f, 0.1f, 2f};
      float[] y = layer.evaluateFloat32(x);
      for (int i = 0; i < x.length; i++) {
        BigDecimal err = new BigDecimal(y[i]).subtract(real(layer, x[i])).abs();
        assertTrue(err.compareTo(new BigDecimal(Math.ulp(y[i]))) <= 0, layer.kind() + " " + x[i]);
      }
    }
  }

  /** Inputs known within radius e: the rounded radius contains the real value at x +- e. */
  @Test
  void roundedRadiusContainsTheRealValue() {
    SplittableRandom random = new SplittableRandom(14);
    for (Layer layer : List.of(SIGMOID, TANH, LEAKY, CLIP)) {
      for (RoundedEvaluation.Precision p : List.of(F64, F32)) {
        for (int trial = 0; trial < 200; trial++) {
          double[] x = new double[3];
          double[] e = new double[3];
          for (int i = 0; i < 3; i++) {
            x[i] = random.nextDouble(-6, 6);
            x[i] = p.float32() ? (float) x[i] : x[i];
            e[i] = trial % 2 == 0 ? 0 : random.nextDouble(0, 0.01);
          }
          RoundedEvaluation.Result r = layer.evaluateRounded(new RoundedEvaluation.Result(x, e), p);
          for (int i = 0; i < 3; i++) {
            for (double t : new double[] {x[i] - e[i], x[i], x[i] + e[i]}) {
              BigDecimal gap = new BigDecimal(r.values()[i]).subtract(real(layer, t)).abs();
              assertTrue(gap.compareTo(new BigDecimal(r.radius()[i])) <= 0,
                  layer.kind() + " x=" + t + " radius " + r.radius()[i] + " gap " + gap);
            }
          }
        }
      }
    }
  }

  /** Every LP row and box holds (in exact arithmetic) at points sampled in the input bounds. */
  @Test
  void lpRowsHoldAtSampledPoints() {
    double[][] cases = {{-2, 3}, {0.5, 4}, {-5, -1}, {-1.5, 2.5}, {1.9, 2.1}};
    double[] l = new double[cases.length];
    double[] u = new double[cases.length];
    for (int i = 0; i < cases.length; i++) {
      l[i] = cases[i][0];
      u[i] = cases[i][1];
    }
    SplittableRandom random = new SplittableRandom(7);
    int n = cases.length;
    for (Layer layer : List.of(ElementwiseActivationLayer.sigmoid("s", n), ElementwiseActivationLayer.tanh("t", n),
        ElementwiseActivationLayer.leakyRelu("l", n, 0.25), ElementwiseActivationLayer.leakyRelu("l2", n, 1.5),
        ElementwiseActivationLayer.clip("c", n, -1, 2))) {
      double[] lo = new double[l.length];
      double[] hi = new double[l.length];
      layer.intervalForward(l, u, lo, hi);
      List<double[]> boxes = new ArrayList<>();
      List<Object[]> rows = new ArrayList<>();
      LpRowSink sink = new LpRowSink() {
        @Override
        public int variable(double lower, double upper) {
          boxes.add(new double[] {lower, upper});
          return 100 + boxes.size() - 1;
        }

        @Override
        public void row(int[] index, double[] coef, double lower, double upper) {
          rows.add(new Object[] {index.clone(), coef.clone(), lower, upper});
        }
      };
      int[] in = {0, 1, 2, 3, 4};
      int[] out = layer.encodeLp(sink, in, new LpRowSink.Bounds(l, u, lo, hi));
      assertTrue(rows.size() >= 2 * cases.length, layer.kind() + ": two lines per neuron");
      for (int trial = 0; trial < 300; trial++) {
        BigDecimal[] value = new BigDecimal[200];
        for (int i = 0; i < cases.length; i++) {
          double x = trial == 0 ? l[i] : trial == 1 ? u[i] : random.nextDouble(l[i], u[i]);
          value[in[i]] = new BigDecimal(x);
          value[out[i]] = real(layer, x);
          double[] box = boxes.get(out[i] - 100);
          assertTrue(value[out[i]].compareTo(new BigDecimal(box[0])) >= 0
              && value[out[i]].compareTo(new BigDecimal(box[1])) <= 0, layer.kind() + " box");
        }
        for (Object[] row : rows) {
          int[] idx = (int[]) row[0];
          double[] coef = (double[]) row[1];
          BigDecimal s = BigDecimal.ZERO;
          for (int j = 0; j < idx.length; j++) {
            s = s.add(new BigDecimal(coef[j]).multiply(value[idx[j]]));
          }
          double lower = (double) row[2];
          double upper = (double) row[3];
          assertTrue(lower == Double.NEGATIVE_INFINITY || s.compareTo(new BigDecimal(lower)) >= 0,
              layer.kind() + " row lower");
          assertTrue(upper == Double.POSITIVE_INFINITY || s.compareTo(new BigDecimal(upper)) <= 0,
              layer.kind() + " row upper");
        }
      }
    }
  }

  @Test
  void onnxRoundTripKeepsLayersAndAttributes() throws Exception {
    for (Layer layer : List.of(SIGMOID, TANH, LEAKY, CLIP)) {
      Network net = new Network("n", new int[] {3}, List.of(
          new DenseLayer("d", 3, 3, new double[] {1, 0.5, 0, 0, -1, 2, 3, 0, 1},
              new double[] {0.25, 0, -1}), layer));
      Network back = OnnxReader.read(OnnxWriter.toBytes(net), Path.of(layer.kind() + ".onnx"));
      List<Layer> activations = back.layers().stream().filter(Layer::isActivation).toList();
      assertEquals(1, activations.size(), layer.kind());
      Layer read = activations.get(0);
      assertEquals(layer.getClass(), read.getClass());
      assertEquals(layer.kind(), read.kind());
      List<double[]> ours = new ArrayList<>();
      List<double[]> theirs = new ArrayList<>();
      layer.writeFingerprint(v -> ours.add(v));
      read.writeFingerprint(v -> theirs.add(v));
      assertEquals(ours.size(), theirs.size());
      for (int k = 0; k < ours.size(); k++) {
        assertArrayEquals(ours.get(k), theirs.get(k), layer.kind() + " attributes");
      }
      double[] x = {-1.5, 0.75, 2};
      assertArrayEquals(net.evaluate(x), back.evaluate(x), 0.0, layer.kind());
    }
  }

  @Test
  void noSlopesAndTheSlopeRuleIsTheFixedLineRule() {
    for (Layer layer : List.of(SIGMOID, TANH, LEAKY, CLIP)) {
      assertEquals(0, layer.lowerSlopeCount());
      assertTrue(layer.isActivation() && !layer.isRelu() && !layer.isShapeOnly());
      assertEquals(0, layer.parameterCount());
    }
    assertEquals(List.of("sigmoid", "tanh", "leakyrelu", "clip"),
        List.of(SIGMOID.kind(), TANH.kind(), LEAKY.kind(), CLIP.kind()));
  }
}
