package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.network.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One decoding serves the network, the signature and the hidden values alike. */
class OnnxFileTest {

  @ParameterizedTest
  @ValueSource(strings = {"acasxu/ACASXU_run2a_1_1_batch_2000.onnx",
      "acasxu/ACASXU_run2a_2_1_batch_2000.onnx", "mnist/mnist-net_256x2.onnx"})
  void decodedOnceAgreesWithEachSeparateReader(String name) throws Exception {
    Path file = TestData.examples().resolve(name);
    OnnxFile onnx = OnnxFile.read(file);
    Network separate = OnnxReader.read(file);
    SplittableRandom random = new SplittableRandom(name.hashCode());
    for (int t = 0; t < 20; t++) {
      double[] x = new double[separate.inputSize()];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextDouble(-1, 1);
      }
      assertArrayEquals(separate.evaluate(x), onnx.network().evaluate(x));
    }
    OnnxSignature sig = onnx.signature();
    assertEquals(List.of(1), sig.inputTypes(), "one float32 input, initializers excluded");
    assertEquals(List.of(1), sig.outputTypes(), "one float32 output");
    assertTrue(sig.opset() > 0, "the default domain's opset is declared: " + sig.opset());
    assertEquals(sig, OnnxSignature.read(file));

    Map<String, Network> hidden = onnx.hiddenValues();
    Map<String, Network> separateHidden = OnnxHiddenValues.of(file, separate);
    assertFalse(hidden.isEmpty(), "a ReLU network has hidden values");
    assertEquals(separateHidden.keySet(), hidden.keySet());
    double[] x = new double[separate.inputSize()];
    for (Map.Entry<String, Network> e : hidden.entrySet()) {
      assertArrayEquals(separateHidden.get(e.getKey()).evaluate(x), e.getValue().evaluate(x));
    }
  }
}
