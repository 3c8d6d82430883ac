package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.UnsafeCase;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code instance NET PROP --save-counterexamples DIR} (issue 16): the saved input lies in the
 * VNN-LIB property's input box (exactly, as the double the text denotes) and ONNX Runtime's
 * output at it meets one of the property's unsafe cases; the .npy and the PNG are beside it.
 */
class InstanceCounterexampleTest {
  @TempDir Path tmp;

  @Test
  void savedCounterexampleLiesInTheBoxAndOnnxRuntimeViolatesTheProperty() throws Exception {
    Path dir = tmp.resolve("cex");
    CliRun r = CliRun.of("instance", CliGoldenTest.MNIST_NET, CliGoldenTest.MNIST_VIOLATED,
        "--timeout", "60", "--save-counterexamples", dir.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("violated"), r.out());
    Path csv = dir.resolve("prop_1_0.05.csv");
    assertTrue(Files.exists(csv), "files: " + Files.list(dir).toList());
    String[] text = Files.readString(csv).strip().split(",");
    Inputs.Instance instance = Inputs.instance(CliRun.ROOT.resolve(CliGoldenTest.MNIST_NET),
        CliRun.ROOT.resolve(CliGoldenTest.MNIST_VIOLATED));
    Box box = instance.property().regions().get(0);
    assertEquals(box.dimension(), text.length);
    double[] x = new double[text.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Double.parseDouble(text[i]);
      BigDecimal v = new BigDecimal(x[i]);
      assertTrue(v.compareTo(new BigDecimal(box.lower()[i])) >= 0
          && v.compareTo(new BigDecimal(box.upper()[i])) <= 0, "input " + i + " in the box");
    }
    double[] y = ModelCheck.evaluate(CliRun.ROOT.resolve(CliGoldenTest.MNIST_NET), x);
    boolean violated = false;
    for (UnsafeCase c : instance.property().cases()) {
      violated |= c.isViolatedBy(x, y);
    }
    assertTrue(violated, "ONNX Runtime's output " + java.util.Arrays.toString(y)
        + " meets an unsafe case");
    byte[] npy = Files.readAllBytes(dir.resolve("prop_1_0.05.npy"));
    assertEquals(0, (npy.length - 784 * 8) % 64);
    BufferedImage png = ImageIO.read(dir.resolve("prop_1_0.05.png").toFile());
    assertNotNull(png);
    assertTrue(png.getWidth() > 3 * 28);
  }
}
