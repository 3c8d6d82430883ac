package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.OnnxWriter;
import dev.robustspec.engine.network.ImageLayersTestNets;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our forward pass of random nets of the image layers (transposed convolution with random
 * strides, pads, dilations, output padding and groups, or nearest upsampling; ReLU; max pooling
 * with padding and dilation; dense) equals ONNX Runtime's on the ONNX file our writer makes of
 * them in float32 and our reader reads back ({@link ModelCheck}, 12 points each): ONNX Runtime's ConvTranspose and MaxPool are the
 * independent definition of the operators.
 */
class OnnxRuntimeImageLayersTest {

  @Test
  void randomImageNetsMatchOnnxRuntime(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(2026);
    for (int k = 0; k < 60; k++) {
      Path file = dir.resolve("image" + k + ".onnx");
      // float32 (ONNX Runtime has no float64 ConvTranspose), read back: the weights both run
      Files.write(file, OnnxWriter.toFloat32Bytes(ImageLayersTestNets.randomImageNet(random)));
      Network net = OnnxReader.read(file);
      Box box = RandomNets.box(random, net.inputSize(), 2.0);
      ModelCheck.Report r = ModelCheck.check(file, net, box, 12, k);
      int index = k;
      assertNull(r.mismatch(), () -> "net " + index + " " + net.layers() + ": output "
          + r.mismatch().output() + " ours " + r.mismatch().ours()[r.mismatch().output()]
          + " vs ONNX Runtime " + r.mismatch().onnxRuntime()[r.mismatch().output()]);
      assertEquals(12, r.points());
    }
  }
}
