package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxModelBuilder.floatAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.intAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.intsAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.stringAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.NaiveConv;
import dev.robustspec.engine.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The convolutional operators of the ONNX reader: lowering, folding, and malformed attributes. */
class OnnxConvReaderTest {
  private static final Path MODEL = Path.of("conv.onnx");

  /** x [1,1,2,2] -> Conv(W 2x2, pad 1, stride 2, bias) -> y [1,1,2,2]. */
  private static OnnxModelBuilder paddedConv(byte[]... attributes) {
    return new OnnxModelBuilder()
        .input("x", -1, 1, 2, 2)
        .initializer("W", new long[] {1, 1, 2, 2}, 1, 2, 3, 4)
        .initializer("B", new long[] {1}, 0.5)
        .node("Conv", "conv1", List.of("x", "W", "B"), List.of("y"), attributes);
  }

  /** {@link #paddedConv} alone, its output the graph output. */
  private static byte[] conv(byte[]... attributes) {
    return paddedConv(attributes).output("y").build();
  }

  @Test
  void convWithPadsAndStridesMatchesHandComputedValues() throws InputFormatException {
    Network net = OnnxReader.read(conv(intsAttr("pads", 1, 1, 1, 1),
        intsAttr("strides", 2, 2), intsAttr("kernel_shape", 2, 2)), MODEL);
    // each output sees one input through the opposite kernel corner
    assertArrayEquals(new double[] {4.5, 6.5, 6.5, 4.5}, net.evaluate(new double[] {1, 2, 3, 4}));
  }

  @Test
  void autoPadSameUpperPadsAtTheEnd() throws InputFormatException {
    Network net = OnnxReader.read(conv(stringAttr("auto_pad", "SAME_UPPER")), MODEL);
    // output 2x2, pad 1 below and right: y00 = 1+4+9+16, y01 = 2+8, y10 = 3+8, y11 = 4
    assertArrayEquals(new double[] {30.5, 2 * 1 + 4 * 3 + 0.5, 3 * 1 + 4 * 2 + 0.5, 4.5},
        net.evaluate(new double[] {1, 2, 3, 4}));
  }

  @Test
  void batchNormalizationIsFoldedIntoTheConvolutionBeforeIt() throws InputFormatException {
    byte[] model = paddedConv(intsAttr("pads", 1, 1, 1, 1), intsAttr("strides", 2, 2))
        .initializer("s", new long[] {1}, 2)
        .initializer("b", new long[] {1}, 1)
        .initializer("m", new long[] {1}, 0.5)
        .initializer("v", new long[] {1}, 3.99)
        .node("BatchNormalization", "bn", List.of("y", "s", "b", "m", "v"), List.of("z"),
            floatAttr("epsilon", 0.01f))
        .output("z")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertEquals(1, net.layers().size());
    assertInstanceOf(ConvLayer.class, net.layers().get(0));
    double eps = (double) 0.01f;
    double[] y = {4.5, 6.5, 6.5, 4.5};
    double[] x = {1, 2, 3, 4};
    double[] got = net.evaluate(x);
    for (int i = 0; i < 4; i++) {
      assertEquals(2 * (y[i] - 0.5) / Math.sqrt(3.99f + eps) + 1, got[i], 1e-12);
    }
  }

  @Test
  void batchNormalizationAloneIsAPerChannelAffineLayer() throws InputFormatException {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2, 1, 2)
        .initializer("s", new long[] {2}, 1, 3)
        .initializer("b", new long[] {2}, 0, 1)
        .initializer("m", new long[] {2}, 1, 0)
        .initializer("v", new long[] {2}, 1, 1)
        .node("BatchNormalization", "bn", List.of("x", "s", "b", "m", "v"), List.of("z"),
            floatAttr("epsilon", 0f))
        .output("z")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertInstanceOf(ElementwiseAffineLayer.class, net.layers().get(0));
    assertArrayEquals(new double[] {0, 1, 7, 10}, net.evaluate(new double[] {1, 2, 2, 3}), 0);
  }

  @Test
  void dropoutSqueezeAndUnsqueezeChangeNoValue() throws InputFormatException {
    byte[] model = paddedConv(intsAttr("pads", 1, 1, 1, 1), intsAttr("strides", 2, 2))
        .node("Dropout", "drop", List.of("y"), List.of("d"), floatAttr("ratio", 0.5f))
        .node("Squeeze", "sq", List.of("d"), List.of("s"), intsAttr("axes", 0, 1))
        .node("Unsqueeze", "un", List.of("s"), List.of("u"), intsAttr("axes", 0))
        .output("u")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    assertArrayEquals(new double[] {4.5, 6.5, 6.5, 4.5}, net.evaluate(new double[] {1, 2, 3, 4}));
    assertEquals(4, net.layers().size());
  }

  @Test
  void averagePoolsAreMeansOverTheirWindows() throws InputFormatException {
    byte[] model = new OnnxModelBuilder()
        .input("x", 1, 2, 2, 3)
        .node("AveragePool", "pool", List.of("x"), List.of("p"), intsAttr("kernel_shape", 2, 2),
            intsAttr("strides", 1, 1))
        .node("GlobalAveragePool", "gap", List.of("p"), List.of("y"))
        .output("y")
        .build();
    Network net = OnnxReader.read(model, MODEL);
    double[] x = {1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 12};
    // channel 0: windows (1+2+4+5)/4 = 3, (2+3+5+6)/4 = 4, mean 3.5; channel 1: 0 and 3, mean 1.5
    assertArrayEquals(new double[] {3.5, 1.5}, net.evaluate(x), 1e-12);
    byte[] padded = new OnnxModelBuilder()
        .input("x", 1, 1, 2, 2)
        .node("AveragePool", "conv1", List.of("x"), List.of("y"), intsAttr("kernel_shape", 2, 2),
            intsAttr("pads", 1, 1, 1, 1))
        .output("y")
        .build();
    rejects(padded, "count_include_pad = 0", "not yet supported");
  }

  @Test
  void malformedConvolutionsAreErrorsNamingTheNodeAndTheFile() {
    rejects(conv(intsAttr("pads", -1, 0, 0, 0)), "'pads' entry -1",
        "nonnegative");
    rejects(conv(intsAttr("pads", 1, 1)), "'pads' has 2 entries", "expected 4");
    rejects(conv(intsAttr("kernel_shape", 3, 3)), "kernel_shape [3, 3]",
        "does not match the weight shape [1, 1, 2, 2]");
    rejects(conv(intsAttr("strides", 0, 1)), "'strides' entry 0", "at least 1");
    rejects(conv(intAttr("group", 2)), "group 2", "divide");
    rejects(conv(stringAttr("auto_pad", "SIDEWAYS")), "unknown auto_pad");
    rejects(conv(intsAttr("dilations", 3, 3)), "does not fit the padded input");
    byte[] rank3 = new OnnxModelBuilder()
        .input("x", 1, 1, 2, 2)
        .initializer("W", new long[] {1, 1, 2}, 1, 2)
        .node("Conv", "conv1", List.of("x", "W"), List.of("y"))
        .output("y")
        .build();
    rejects(rank3, "weight 'W' must have shape [M, C/group, kH, kW]");
  }

  private static void rejects(byte[] model, String... fragments) {
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> OnnxReader.read(model, MODEL));
    assertTrue(e.getMessage().contains("conv.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("node 'conv1'"), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }
  }

  static Stream<Path> benchmarkNets() throws IOException {
    Path b = TestData.benchmarks();
    try (Stream<Path> collins = Files.list(b.resolve("collins_rul_cnn_2023/onnx"));
        Stream<Path> metaroom = Files.list(b.resolve("metaroom_2023/onnx"))) {
      return Stream.concat(collins.sorted().toList().stream(), metaroom.sorted().toList().stream());
    }
  }

  /**
   * The suites' networks load with their documented sizes, and their forward pass equals the
   * chain evaluated with the naive convolution in place of every ConvLayer. (ONNX Runtime's
   * cross-check is issue14-act's; this compares against our own independent reference.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("benchmarkNets")
  void benchmarkNetworksLoadAndMatchTheNaiveReference(Path file) throws InputFormatException {
    Network net = OnnxReader.read(file);
    boolean metaroom = file.toString().contains("metaroom");
    assertEquals(metaroom ? 20 : 1, net.outputSize());
    assertEquals(metaroom ? 3 * 32 * 56 : file.toString().contains("40") ? 800 : 400,
        net.inputSize());
    assertTrue(net.layers().stream().anyMatch(l -> l instanceof ConvLayer), "no conv layer");
    SplittableRandom r = new SplittableRandom(file.getFileName().toString().hashCode());
    for (int t = 0; t < 3; t++) {
      double[] x = new double[net.inputSize()];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextDouble();
      }
      double[] v = x;
      for (Layer layer : net.layers()) {
        v = layer instanceof ConvLayer c
            ? NaiveConv.apply(c.geometry(), c.weights(), c.bias(), v) : layer.evaluate(v);
      }
      double[] y = net.evaluate(x);
      for (int i = 0; i < y.length; i++) {
        assertEquals(v[i], y[i], 1e-9 * (1 + Math.abs(v[i])));
      }
    }
  }
}
