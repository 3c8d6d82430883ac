package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxModelBuilder.floatAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.intAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ElementwiseActivationLayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ONNX Sigmoid, Tanh, LeakyRelu and Clip: hand-computed values and clear attribute errors. */
class OnnxActivationReaderTest {
  private static final Path MODEL = Path.of("act.onnx");
  private static final double[] X = {-2, -0.5, 0, 0.25, 3};

  private static Network one(String op, List<String> inputs, OnnxModelBuilder b, byte[]... attrs)
      throws InputFormatException {
    return OnnxReader.read(b.input("x", 1, 5).node(op, "act", inputs, List.of("y"), attrs)
        .output("y").build(), MODEL);
  }

  @Test
  void sigmoidAndTanhEvaluateAsTheirFormulas() throws Exception {
    Network s = one("Sigmoid", List.of("x"), new OnnxModelBuilder());
    assertEquals("sigmoid", s.layers().get(s.layers().size() - 1).kind());
    Network t = one("Tanh", List.of("x"), new OnnxModelBuilder());
    assertEquals("tanh", t.layers().get(t.layers().size() - 1).kind());
    double[] ys = s.evaluate(X);
    double[] yt = t.evaluate(X);
    for (int i = 0; i < X.length; i++) {
      assertEquals(1 / (1 + Math.exp(-X[i])), ys[i], 1e-15);
      assertEquals(Math.tanh(X[i]), yt[i], 1e-15);
    }
    assertEquals(0.5, ys[2]);
    assertEquals(0.0, yt[2]);
  }

  @Test
  void leakyReluTakesAlphaWithOnnxDefault() throws Exception {
    Network d = one("LeakyRelu", List.of("x"), new OnnxModelBuilder());
    ElementwiseActivationLayer leaky =
        (ElementwiseActivationLayer) d.layers().get(d.layers().size() - 1);
    assertEquals("leakyrelu", leaky.kind());
    assertEquals((double) 0.01f, leaky.activation().parameters()[0]); // alpha
    Network a = one("LeakyRelu", List.of("x"), new OnnxModelBuilder(), floatAttr("alpha", 0.25f));
    assertArrayEquals(new double[] {-0.5, -0.125, 0, 0.25, 3}, a.evaluate(X), 0);
  }

  @Test
  void clipFromAttributesAndFromInputs() throws Exception {
    Network attrs = one("Clip", List.of("x"), new OnnxModelBuilder(), floatAttr("min", -1),
        floatAttr("max", 0.5f));
    assertArrayEquals(new double[] {-1, -0.5, 0, 0.25, 0.5}, attrs.evaluate(X), 0);
    Network inputs = one("Clip", List.of("x", "lo", "hi"), new OnnxModelBuilder()
        .initializer("lo", new long[] {}, 0.0).initializer("hi", new long[] {}, 2.0));
    assertArrayEquals(new double[] {0, 0, 0, 0.25, 2}, inputs.evaluate(X), 0);
    Network onlyMax = one("Clip", List.of("x", "", "hi"), new OnnxModelBuilder()
        .initializer("hi", new long[] {}, 0.0));
    assertArrayEquals(new double[] {-2, -0.5, 0, 0, 0}, onlyMax.evaluate(X), 0);
    ElementwiseActivationLayer c =
        (ElementwiseActivationLayer) onlyMax.layers().get(onlyMax.layers().size() - 1);
    assertEquals("clip", c.kind());
    assertEquals(Double.NEGATIVE_INFINITY, c.activation().parameters()[0]); // min
  }

  private static String error(String op, List<String> inputs, OnnxModelBuilder b,
      byte[]... attrs) {
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> one(op, inputs, b, attrs));
    assertTrue(e.getMessage().contains("act.onnx") && e.getMessage().contains("node 'act' ("
        + op + ")"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void malformedAttributesAreClearErrors() {
    assertTrue(error("Clip", List.of("x"), new OnnxModelBuilder(), floatAttr("min", 2),
        floatAttr("max", 1)).contains("min 2.0 exceeds max 1.0; Clip needs min <= max"));
    assertTrue(error("Clip", List.of("x", "lo"), new OnnxModelBuilder()
        .initializer("lo", new long[] {2}, 0.0, 1.0))
        .contains("min must be one number (a scalar constant), found 2 values in 'lo'"));
    assertTrue(error("Clip", List.of("x", "nowhere"), new OnnxModelBuilder())
        .contains("input 'nowhere' is neither the data path nor an initializer"));
    assertTrue(error("LeakyRelu", List.of("x"), new OnnxModelBuilder(), intAttr("alpha", 1))
        .contains("attribute 'alpha' is not a finite float"));
    assertTrue(error("LeakyRelu", List.of("x"), new OnnxModelBuilder(),
        floatAttr("alpha", Float.NaN)).contains("attribute 'alpha' is not a finite float"));
    String m = error("Sigmoid", List.of("z"), new OnnxModelBuilder());
    assertTrue(m.contains("not on the data path from input 'x'"), m);
  }
}
