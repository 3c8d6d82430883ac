package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxModelBuilder.intAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.intsAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.stringAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.network.ConvTransposeLayer;
import dev.robustspec.engine.network.MaxPoolLayer;
import dev.robustspec.engine.network.Network;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ConvTranspose, Upsample/Resize and MaxPool in the ONNX reader: values and malformed input. */
class OnnxImageReaderTest {
  private static final Path MODEL = Path.of("image.onnx");

  /** x [1,1,2,2] -> ConvTranspose(W [1,1,2,2] = [[1,2],[3,4]], bias 0.5) -> y. */
  private static byte[] convTranspose(byte[]... attributes) {
    return new OnnxModelBuilder()
        .input("x", -1, 1, 2, 2)
        .initializer("W", new long[] {1, 1, 2, 2}, 1, 2, 3, 4)
        .initializer("B", new long[] {1}, 0.5)
        .node("ConvTranspose", "node1", List.of("x", "W", "B"), List.of("y"), attributes)
        .output("y")
        .build();
  }

  private static byte[] maxPool(byte[]... attributes) {
    return new OnnxModelBuilder()
        .input("x", 1, 1, 2, 2)
        .node("MaxPool", "node1", List.of("x"), List.of("y"), attributes)
        .output("y")
        .build();
  }

  private static byte[] upsample(String op, String mode, double... scales) {
    OnnxModelBuilder b = new OnnxModelBuilder()
        .input("x", 1, 1, 2, 2)
        .initializer("scales", new long[] {scales.length}, scales);
    List<String> inputs = op.equals("Resize") ? List.of("x", "", "scales") : List.of("x", "scales");
    return b.node(op, "node1", inputs, List.of("y"), stringAttr("mode", mode))
        .output("y")
        .build();
  }

  @Test
  void stridedTransposedConvolutionMatchesHandComputedValues() throws InputFormatException {
    // stride 2, kernel 2x2: each input pixel paints its own 2x2 block x_ij * W
    Network net = OnnxReader.read(convTranspose(intsAttr("strides", 2, 2)), MODEL);
    assertInstanceOf(ConvTransposeLayer.class, net.layers().get(0));
    double[] y = net.evaluate(new double[] {1, 10, 100, 1000});
    assertEquals(16, y.length);
    assertArrayEquals(new double[] {1.5, 2.5, 10.5, 20.5, 3.5, 4.5, 30.5, 40.5, 100.5, 200.5,
        1000.5, 2000.5, 300.5, 400.5, 3000.5, 4000.5}, y);
    // stride 1, pads 1 all round: the 3x3 full output's centre pixel only
    // full[1][1] = x00*W11 + x01*W10 + x10*W01 + x11*W00 = 4 + 30 + 200 + 1000
    Network padded = OnnxReader.read(convTranspose(intsAttr("pads", 1, 1, 1, 1)), MODEL);
    assertArrayEquals(new double[] {1234.5}, padded.evaluate(new double[] {1, 10, 100, 1000}));
    // output_padding 1 with stride 2: one more row and column, bias only
    Network extra = OnnxReader.read(convTranspose(intsAttr("strides", 2, 2),
        intsAttr("output_padding", 1, 1)), MODEL);
    double[] e = extra.evaluate(new double[] {1, 10, 100, 1000});
    assertEquals(25, e.length);
    assertEquals(0.5, e[24]);
    assertEquals(1.5, e[0]);
  }

  @Test
  void upsampleAndResizeCopyPixels() throws InputFormatException {
    double[] x = {1, 2, 3, 4};
    double[] expected = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
    assertArrayEquals(expected, OnnxReader.read(upsample("Upsample", "nearest", 1, 1, 2, 2),
        MODEL).evaluate(x));
    assertArrayEquals(expected, OnnxReader.read(upsample("Resize", "nearest", 1, 1, 2, 2),
        MODEL).evaluate(x));
  }

  @Test
  void maxPoolTakesTheLargestOfEachWindow() throws InputFormatException {
    Network net = OnnxReader.read(maxPool(intsAttr("kernel_shape", 2, 2),
        intsAttr("pads", 0, 0, 1, 1)), MODEL);
    assertInstanceOf(MaxPoolLayer.class, net.layers().get(0));
    assertArrayEquals(new double[] {3, 2, 3, -1}, net.evaluate(new double[] {1, 2, 3, -1}));
  }

  @Test
  void malformedAttributesAreErrorsNamingTheNodeAndTheFile() {
    rejects(convTranspose(intsAttr("pads", -1, 0, 0, 0)), "'pads' entry -1", "nonnegative");
    rejects(convTranspose(intsAttr("kernel_shape", 3, 3)), "kernel_shape [3, 3]",
        "does not match the weight shape [1, 1, 2, 2]");
    rejects(convTranspose(intAttr("group", 2)), "group 2", "divide");
    rejects(convTranspose(intsAttr("strides", 2, 2), intsAttr("output_padding", 2, 0)),
        "output_padding [2, 0]", "smaller than the strides");
    rejects(convTranspose(intsAttr("pads", 2, 2, 2, 2)), "leave no output");
    rejects(convTranspose(stringAttr("auto_pad", "SIDEWAYS")), "unknown auto_pad");
    rejects(maxPool(intsAttr("kernel_shape", 2, 2), intsAttr("pads", -1, 0, 0, 0)),
        "'pads' entry -1");
    rejects(maxPool(intsAttr("kernel_shape", 3, 3)), "does not fit the padded input");
    rejects(maxPool(intsAttr("kernel_shape", 2, 2), intAttr("ceil_mode", 1)), "ceil_mode");
    rejects(maxPool(), "'kernel_shape' has 0 entries");
    rejects(upsample("Upsample", "nearest", 1, 1, 1.5, 2), "scale 1.5", "integer");
    rejects(upsample("Upsample", "linear", 1, 1, 2, 2), "mode 'linear'", "only 'nearest'");
    rejects(upsample("Upsample", "nearest", 1, 2, 2, 2), "must be 1 on N and C");
  }

  private static void rejects(byte[] model, String... fragments) {
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> OnnxReader.read(model, MODEL));
    assertTrue(e.getMessage().contains("image.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("node 'node1'"), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }
  }
}
