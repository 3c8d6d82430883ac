package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxModelBuilder.floatAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.intAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.tensor;
import static dev.robustspec.engine.io.OnnxModelBuilder.tensorAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OnnxReaderTest {
  private static final Path MODEL = Path.of("model.onnx");

  private static Path acasOnnx(int a, int b) {
    return TestData.benchmarks()
        .resolve("acasxu/onnx/ACASXU_run2a_" + a + "_" + b + "_batch_2000.onnx");
  }

  private static Path acasNnet(int a, int b) {
    return TestData.benchmarks()
        .resolve("acasxu/nnet/ACASXU_experimental_v2a_" + a + "_" + b + ".nnet");
  }

  /** Dense sizes of a network, e.g. [5, 50, 50, 5], checking ReLU between dense layers. */
  private static void assertDenseChain(Network net, int... sizes) {
    int dense = 0;
    for (int k = 0; k < net.layers().size(); k++) {
      Layer l = net.layers().get(k);
      if (l instanceof DenseLayer d) {
        assertEquals(sizes[dense], d.inputSize(), "dense " + dense + " in");
        assertEquals(sizes[dense + 1], d.outputSize(), "dense " + dense + " out");
        dense++;
        boolean last = dense == sizes.length - 1;
        if (!last) {
          assertInstanceOf(ReluLayer.class, net.layers().get(k + 1), "ReLU after dense " + dense);
        } else {
          assertEquals(net.layers().size() - 1, k, "the last dense layer ends the network");
        }
      }
    }
    assertEquals(sizes.length - 1, dense);
  }

  // --- benchmark networks ---------------------------------------------------------------------

  @Test
  void readsAll45AcasXuNetworks() throws Exception {
    for (int a = 1; a <= 5; a++) {
      for (int b = 1; b <= 9; b++) {
        Network net = OnnxReader.read(acasOnnx(a, b));
        assertArrayEquals(new int[] {1, 1, 1, 5}, net.inputShape());
        // Sub of zeros dropped; Flatten kept; MatMul+Add folded into one dense layer each
        assertInstanceOf(ReshapeLayer.class, net.layers().get(0));
        assertEquals(14, net.layers().size(), net.toString());
        assertDenseChain(net, 5, 50, 50, 50, 50, 50, 50, 5);
        assertEquals(13305, net.parameterCount());
        assertEquals("ACASXU_run2a_" + a + "_" + b + "_batch_2000", net.name());
      }
    }
  }

  @Test
  void readsTheThreeMnistNetworks() throws Exception {
    for (int k : new int[] {2, 4, 6}) {
      Network net = OnnxReader.read(
          TestData.benchmarks().resolve("mnistfc/onnx/mnist-net_256x" + k + ".onnx"));
      assertArrayEquals(new int[] {1, 784, 1}, net.inputShape());
      assertInstanceOf(ReshapeLayer.class, net.layers().get(0));
      assertEquals(2 + 2 * k, net.layers().size());
      int[] sizes = new int[k + 2];
      Arrays.fill(sizes, 256);
      sizes[0] = 784;
      sizes[k + 1] = 10;
      assertDenseChain(net, sizes);
      double[] out = net.evaluate(new double[784]);
      assertEquals(10, out.length);
    }
  }

  /**
   * The MNIST nets classify the centres of their property boxes (the test images, nudged by at
   * most eps/2 where the box is clipped to [0, 1]) as the property's label: checks Gemm transB.
   */
  @Test
  void mnistNetworksClassifyThePropertyImages() throws Exception {
    Pattern bound = Pattern.compile("\\(assert \\((<=|>=) X_(\\d+) ([-0-9.eE]+)\\)\\)");
    Pattern label = Pattern.compile("label: (\\d+)");
    int correct = 0;
    int total = 0;
    for (int k : new int[] {2, 4, 6}) {
      Network net = OnnxReader.read(
          TestData.benchmarks().resolve("mnistfc/onnx/mnist-net_256x" + k + ".onnx"));
      for (int p = 0; p < 15; p++) {
        String text = Files.readString(
            TestData.benchmarks().resolve("mnistfc/vnnlib/prop_" + p + "_0.03.vnnlib"));
        Matcher lm = label.matcher(text);
        assertTrue(lm.find());
        double[] lo = new double[784];
        double[] hi = new double[784];
        Matcher m = bound.matcher(text);
        while (m.find()) {
          double v = Double.parseDouble(m.group(3));
          (m.group(1).equals("<=") ? hi : lo)[Integer.parseInt(m.group(2))] = v;
        }
        double[] x = new double[784];
        for (int i = 0; i < 784; i++) {
          x[i] = (lo[i] + hi[i]) / 2;
        }
        double[] y = net.evaluate(x);
        int best = 0;
        for (int j = 1; j < 10; j++) {
          best = y[j] > y[best] ? j : best;
        }
        total++;
        correct += best == Integer.parseInt(lm.group(1)) ? 1 : 0;
      }
    }
    assertTrue(correct >= total - 3, correct + " of " + total + " classified as labelled");
  }

  @Test
  void acasXuOnnxAndNnetAgree() throws Exception {
    Random random = new Random(42);
    double[][] inputs = new double[100][5];
    for (double[] x : inputs) {
      for (int i = 0; i < 5; i++) {
        x[i] = random.nextDouble() - 0.5;
      }
    }
    double[][] previous = null;
    for (int a = 1; a <= 5; a++) {
      for (int b = 1; b <= 9; b++) {
        Network onnx = OnnxReader.read(acasOnnx(a, b));
        Network nnet = NnetReader.read(acasNnet(a, b)).network();
        double[][] outs = new double[inputs.length][];
        for (int s = 0; s < inputs.length; s++) {
          outs[s] = onnx.evaluate(inputs[s]);
          assertArrayEquals(outs[s], nnet.evaluate(inputs[s]), 1e-4, a + "_" + b + " sample " + s);
        }
        if (previous != null) { // the comparison must be able to fail: nets differ
          double diff = 0;
          for (int s = 0; s < inputs.length; s++) {
            for (int i = 0; i < 5; i++) {
              diff = Math.max(diff, Math.abs(outs[s][i] - previous[s][i]));
            }
          }
          assertTrue(diff > 1e-2, "net " + a + "_" + b + " equals its predecessor");
        }
        previous = outs;
      }
    }
  }

  @Test
  void supportedOperatorsAreListedSorted() {
    assertEquals(List.of("Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Constant", "Conv", "ConvTranspose", "Div", "Dropout", "Flatten", "Gather", "Gemm", "GlobalAveragePool", "Identity", "LeakyRelu", "MatMul", "MaxPool", "Mul", "Pad", "Relu", "Reshape", "Resize", "Sigmoid", "Slice", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze", "Upsample"),
        OnnxReader.supportedOperators());
  }

  // --- hand-built models ----------------------------------------------------------------------

  /** B' (3x2) for the Gemm tests, and its transpose. */
  private static final double[][] BP = {{1, 2}, {3, 4}, {5, 6}};

  private static double[] flat(double[][] m, boolean transpose) {
    int r = m.length;
    int c = m[0].length;
    double[] out = new double[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        if (transpose) {
          out[j * r + i] = m[i][j];
        } else {
          out[i * c + j] = m[i][j];
        }
      }
    }
    return out;
  }

  @Test
  void gemmWithDataAsAInAllAttributeCombinations() throws Exception {
    double[] x = {1, -2, 0.5};
    double[] c = {0.5, -1};
    for (float alpha : new float[] {1f, 0.5f}) {
      for (float beta : new float[] {1f, 2f}) {
        for (int transA = 0; transA <= 1; transA++) {
          for (int transB = 0; transB <= 1; transB++) {
            long[] aShape = transA == 1 ? new long[] {3, 1} : new long[] {1, 3};
            long[] bShape = transB == 1 ? new long[] {2, 3} : new long[] {3, 2};
            byte[] model = new OnnxModelBuilder()
                .input("x", aShape)
                .initializer("B", bShape, flat(BP, transB == 1))
                .initializer("C", new long[] {2}, c)
                .node("Gemm", "g", List.of("x", "B", "C"), List.of("y"),
                    floatAttr("alpha", alpha), floatAttr("beta", beta),
                    intAttr("transA", transA), intAttr("transB", transB))
                .output("y", 1, 2)
                .build();
            Network net = OnnxReader.read(model, MODEL);
            double[] expected = new double[2];
            for (int j = 0; j < 2; j++) {
              double s = 0;
              for (int k = 0; k < 3; k++) {
                s += x[k] * BP[k][j];
              }
              expected[j] = alpha * s + beta * c[j];
            }
            String what = "alpha=" + alpha + " beta=" + beta + " transA=" + transA + " transB="
                + transB;
            assertArrayEquals(expected, net.evaluate(x), 1e-12, what);
          }
        }
      }
    }
  }

  @Test
  void gemmWithDataAsB() throws Exception {
    // y (2x1) = alpha * W' x' + beta * C, W' = BP transposed (2x3), x' a 3x1 column
    double[][] w = {{1, 3, 5}, {2, 4, 6}};
    double[] x = {1, -2, 0.5};
    for (int transA = 0; transA <= 1; transA++) {
      for (int transB = 0; transB <= 1; transB++) {
        long[] xShape = transB == 1 ? new long[] {1, 3} : new long[] {3, 1};
        long[] wShape = transA == 1 ? new long[] {3, 2} : new long[] {2, 3};
        byte[] model = new OnnxModelBuilder()
            .input("x", xShape)
            .initializer("W", wShape, flat(w, transA == 1))
            .initializer("C", new long[] {2, 1}, 10, 20)
            .node("Gemm", "g", List.of("W", "x", "C"), List.of("y"),
                floatAttr("alpha", 2f), intAttr("transA", transA), intAttr("transB", transB))
            .output("y")
            .build();
        Network net = OnnxReader.read(model, MODEL);
        double[] expected = {2 * (1 - 6 + 2.5) + 10, 2 * (2 - 8 + 3) + 20};
        assertArrayEquals(expected, net.evaluate(x), 1e-12, "transA=" + transA + " transB="
            + transB);
      }
    }
  }

  @Test
  void normalisationSubDivMulMergesIntoOneLayer() throws Exception {
    byte[] model = new OnnxModelBuilder()
        .input("x", -1, 3) // symbolic batch dimension
        .initializer("mean", new long[] {3}, 1, 2, 3)
        .initializer("std", new long[] {1, 3}, 2, 4, 0.5)
        .initializer("two", new long[] {}, 2)
        .initializer("W", new long[] {3, 1}, 1, 1, 1)
        .node("Sub", "sub", List.of("x", "mean"), List.of("a"))
        .node("Div", "div", List.of("a", "std"), List.of("b"))
        .node("Mul", "mul", List.of("two", "b"), List.of("c"))
        .node("MatMul", "mm", List.of("c", "W"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertArrayEquals(new int[] {1, 3}, net.inputShape());
    assertEquals(2, net.layers().size());
    assertInstanceOf(ElementwiseAffineLayer.class, net.layers().get(0));
    double[] x = {3, 10, 4};
    double expected = 2 * ((3 - 1) / 2.0 + (10 - 2) / 4.0 + (4 - 3) / 0.5);
    assertEquals(expected, net.evaluate(x)[0], 1e-12);
  }

  @Test
  void constantMinusDataAndAddOutsideADenseLayer() throws Exception {
    byte[] model = new OnnxModelBuilder()
        .input("x", 2)
        .initializer("c", new long[] {}, DOUBLE_TYPE, true, 10)
        .node("Sub", "rsub", List.of("c", "x"), List.of("a"))
        .node("Relu", "r", List.of("a"), List.of("b"))
        .node("Add", "add", List.of("b", "c"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertArrayEquals(new double[] {10 + 7, 10 + 0}, net.evaluate(new double[] {3, 12}), 0);
  }

  private static final int DOUBLE_TYPE = OnnxModelBuilder.DOUBLE;

  @Test
  void reshapeWithMinusOneAndZeroFromAConstantNode() throws Exception {
    byte[] shape1 = tensor("s1", new long[] {1}, OnnxModelBuilder.INT64, false, -1);
    byte[] shape2 = tensor("s2", new long[] {2}, OnnxModelBuilder.INT64, true, 0, -1);
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2, 3)
        .node("Constant", "k1", List.of(), List.of("s1"), tensorAttr("value", shape1))
        .node("Constant", "k2", List.of(), List.of("s2"), tensorAttr("value", shape2))
        .initializer("W", new long[] {1, 2}, 2, -1)
        .node("Reshape", "flat", List.of("x", "s1"), List.of("a"))
        .node("Reshape", "row", List.of("a", "s2"), List.of("b"))
        .node("Identity", "id", List.of("b"), List.of("c"))
        .node("MatMul", "mm", List.of("c", "W"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertEquals(4, net.layers().size()); // reshape, reshape, identity (a reshape), dense
    assertInstanceOf(ReshapeLayer.class, net.layers().get(2));
    ReshapeLayer flat = (ReshapeLayer) net.layers().get(0);
    assertArrayEquals(new int[] {6}, flat.toShape());
    // numpy: [6] reshaped with [0, -1] copies dimension 0 (6) and infers 1
    assertArrayEquals(new int[] {6, 1}, ((ReshapeLayer) net.layers().get(1)).toShape());
    // [6,1] @ [1,2]: an outer product, still one dense layer 6 -> 12
    assertArrayEquals(new double[] {2, -1, 4, -2, 6, -3, 8, -4, 10, -5, 12, -6},
        net.evaluate(new double[] {1, 2, 3, 4, 5, 6}), 0);
  }

  @Test
  void reshapeToRowThenMatMul() throws Exception {
    byte[] shape = tensor("s", new long[] {2}, OnnxModelBuilder.INT64, false, 0, -1);
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2, 3)
        .node("Constant", "k", List.of(), List.of("s"), tensorAttr("value", shape))
        .initializer("W", new long[] {6, 1}, 1, 2, 3, 4, 5, 6)
        .node("Reshape", "row", List.of("x", "s"), List.of("b"))
        .node("MatMul", "mm", List.of("b", "W"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertArrayEquals(new int[] {1, 6}, ((ReshapeLayer) net.layers().get(0)).toShape());
    assertEquals(1 + 4 + 9 + 16 + 25 + 36, net.evaluate(new double[] {1, 2, 3, 4, 5, 6})[0], 0);
  }

  @Test
  void matMulWithTheDataOnTheRight() throws Exception {
    byte[] model = new OnnxModelBuilder()
        .input("x", 3, 1)
        .initializer("W", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
        .initializer("b", new long[] {2, 1}, 1, -1)
        .node("MatMul", "mm", List.of("W", "x"), List.of("h"))
        .node("Add", "add", List.of("b", "h"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertEquals(1, net.layers().size());
    assertArrayEquals(new double[] {1 - 2 + 6 + 1, 4 - 5 + 12 - 1},
        net.evaluate(new double[] {1, -1, 2}), 0);
  }

  @Test
  void constantNodeAsBias() throws Exception {
    byte[] bias = tensor("b", new long[] {2}, OnnxModelBuilder.FLOAT, false, 0.5, -0.5);
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("W", new long[] {2, 2}, 1, 2, 3, 4)
        .node("Constant", "bias", List.of(), List.of("b"), tensorAttr("value", bias))
        .node("MatMul", "mm", List.of("x", "W"), List.of("h"))
        .node("Add", "add", List.of("h", "b"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertEquals(1, net.layers().size()); // the Add is folded into the bias
    assertArrayEquals(new double[] {1 + 3 + 0.5, 2 + 4 - 0.5},
        net.evaluate(new double[] {1, 1}), 0);
  }

  @Test
  void allSupportedDataTypesInBothEncodings() throws Exception {
    int[] types = {OnnxModelBuilder.FLOAT, OnnxModelBuilder.DOUBLE, OnnxModelBuilder.INT32,
        OnnxModelBuilder.INT64};
    for (int type : types) {
      for (boolean raw : new boolean[] {false, true}) {
        byte[] model = new OnnxModelBuilder()
            .input("x", 1, 2)
            .initializer("W", new long[] {2, 2}, type, raw, 1, -2, 3, 4)
            .initializer("unused", new long[] {1}, 10, false, 0.5) // FLOAT16: fine if unused
            .node("MatMul", "mm", List.of("x", "W"), List.of("y"))
            .output("y")
            .build();
        Network net = OnnxReader.read(model, MODEL);
        assertArrayEquals(new double[] {1 + 6, -2 + 8}, net.evaluate(new double[] {1, 2}), 0,
            "type " + type + " raw " + raw);
      }
    }
  }

  @Test
  void unsupportedDataTypeIsRejectedWhenUsed() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("W", new long[] {2, 2}, 10, true, 1, 2, 3, 4)
        .node("MatMul", "mm", List.of("x", "W"), List.of("y"))
        .output("y")
        .build();
    rejects(model, "node 'mm'", "tensor 'W'", "FLOAT16(10)");
  }

  // --- malformed input ------------------------------------------------------------------------

  private static InputFormatException rejects(byte[] model, String... facts) {
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> OnnxReader.read(model, MODEL));
    assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
    for (String f : facts) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }
    return e;
  }

  private static OnnxModelBuilder dense(double... weights) {
    return new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("W", new long[] {2, 2}, weights)
        .node("MatMul", "mm", List.of("x", "W"), List.of("y"))
        .output("y");
  }

  @Test
  void truncatedFileIsRejected() throws Exception {
    byte[] bytes = Files.readAllBytes(acasOnnx(1, 1));
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> OnnxReader.read(Arrays.copyOf(bytes, bytes.length / 2), acasOnnx(1, 1)));
    assertTrue(e.getMessage().contains("ACASXU_run2a_1_1_batch_2000.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("not a valid ONNX protobuf"), e.getMessage());
  }

  @Test
  void unknownOperatorNamesOperatorNodeAndFile() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 1, 4, 4)
        .initializer("k", new long[] {1, 1, 1, 1}, 1)
        .node("Softsign", "pool1", List.of("x"), List.of("y"))
        .output("y")
        .build();
    rejects(model, "unsupported ONNX operator 'Softsign'", "node 'pool1'",
        "supported: Add, AveragePool, BatchNormalization, Clip, Concat, Constant, Conv, ConvTranspose, Div, Dropout, Flatten, Gather, Gemm, GlobalAveragePool, Identity, LeakyRelu, MatMul, MaxPool, Mul, Pad, Relu, Reshape, Resize, Sigmoid, Slice, Squeeze, Sub, Tanh, Transpose, Unsqueeze, Upsample");
  }

  @Test
  void nanWeightIsRejected() {
    rejects(dense(1, Double.NaN, 3, 4).build(), "non-finite", "NaN", "'W'");
  }

  @Test
  void missingInitializerIsRejected() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("MatMul", "mm", List.of("x", "W"), List.of("y"))
        .output("y")
        .build();
    rejects(model, "node 'mm'", "'W'", "missing initializer");
  }

  @Test
  void wrongWeightCountIsRejected() {
    rejects(dense(1, 2, 3).build(), "tensor 'W'", "3 values", "[2, 2]", "needs 4");
  }

  @Test
  void mismatchedShapesAreRejected() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 3)
        .initializer("W", new long[] {2, 2}, 1, 2, 3, 4)
        .node("MatMul", "mm", List.of("x", "W"), List.of("y"))
        .output("y")
        .build();
    rejects(model, "node 'mm'", "[1, 3]", "[2, 2]");
  }

  @Test
  void divisionByZeroIsRejected() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("s", new long[] {2}, 1, 0)
        .node("Div", "div", List.of("x", "s"), List.of("y"))
        .output("y")
        .build();
    rejects(model, "node 'div'", "division by zero");
  }

  @Test
  void aBranchThatDoesNotReachTheOutputIsRejected() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("Relu", "left", List.of("x"), List.of("a"))
        .node("Relu", "right", List.of("x"), List.of("b"))
        .output("a")
        .build();
    rejects(model, "the value 'b' is not used by any node and is not the graph output 'a'");
  }

  @Test
  void dataTimesDataIsRejected() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("Mul", "sq", List.of("x", "x"), List.of("y"))
        .output("y")
        .build();
    rejects(model, "node 'sq' (Mul)", "combines the data values [x, x]",
        "only a sum (Add), difference (Sub) or concatenation (Concat)");
  }

  @Test
  void outputNotAtTheEndOfTheChainIsRejected() {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("Relu", "r", List.of("x"), List.of("a"))
        .output("other")
        .build();
    rejects(model, "no node computes the graph output 'other' from input 'x'");
  }

  @Test
  void garbageIsRejected() {
    rejects(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, "model.onnx");
    rejects(new byte[0], "no graph");
  }

  @Test
  void mutatedFilesEitherReadOrFailCleanly() throws Exception {
    byte[] original = Files.readAllBytes(acasOnnx(1, 1));
    Random random = new Random(20240601);
    int read = 0;
    int rejected = 0;
    for (int trial = 0; trial < 400; trial++) {
      byte[] bytes = original.clone();
      int kind = random.nextInt(3);
      if (kind == 0) { // truncation
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      } else { // flip 1..8 bytes, biased towards the structure-heavy start and end
        int flips = 1 + random.nextInt(8);
        for (int f = 0; f < flips; f++) {
          int pos = kind == 1 ? random.nextInt(bytes.length)
              : random.nextBoolean() ? random.nextInt(400)
              : bytes.length - 1 - random.nextInt(600);
          bytes[pos] = (byte) random.nextInt(256);
        }
      }
      try {
        OnnxReader.read(bytes, MODEL);
        read++;
      } catch (InputFormatException e) {
        rejected++;
        assertTrue(e.getMessage().startsWith("model.onnx: "), e.getMessage());
      } catch (Throwable t) {
        fail("trial " + trial + ": " + t, t);
      }
    }
    assertTrue(rejected > 100, "rejected " + rejected + ", read " + read);
  }
}
