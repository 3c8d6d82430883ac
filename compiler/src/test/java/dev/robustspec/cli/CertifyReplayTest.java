package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every counterexample certify saves, replayed outside RobustSpec through ONNX Runtime on the
 * ONNX model itself: it lies within eps of its image (exactly: |255 x - p| <= 255 eps) and in
 * the clip range, and the model misclassifies it. The .npy holds the same values and the PNG
 * is a readable picture.
 */
class CertifyReplayTest {
  @TempDir Path dir;

  @Test
  void savedCounterexamplesAreMisclassifiedByOnnxRuntimeWithinEps() throws Exception {
    Path cex = dir.resolve("cex");
    Path out = dir.resolve("r.csv");
    CliRun run = CliRun.of("certify", CertifyCommandTest.NET, "--data", CertifyCommandTest.MNIST,
        "--scale", "1/255", "--clip", "0,1", "--rows", "0..7", "--eps", "0.03,0.05",
        "--timeout", "3", "--out", out.toString(), "--save-counterexamples", cex.toString());
    assertEquals(0, run.exit(), run.err());
    long falsified = CertifyCommandTest.rows(out).stream().filter(r -> r[3].equals("falsified"))
        .count();
    assertTrue(falsified >= 3, "the sample should falsify some items: " + run.out());
    List<Path> csvs;
    try (Stream<Path> s = Files.list(cex)) {
      csvs = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    assertEquals(falsified, csvs.size(), "one saved counterexample per falsified row");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Path model = CliRun.ROOT.resolve(CertifyCommandTest.NET);
    try (OrtSession session = env.createSession(model.toString(),
        new OrtSession.SessionOptions())) {
      String input = session.getInputNames().iterator().next();
      long[] shape = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape();
      for (int d = 0; d < shape.length; d++) {
        shape[d] = shape[d] < 0 ? 1 : shape[d];
      }
      Pattern name = Pattern.compile("item(\\d+)_eps(.+)\\.csv");
      for (Path file : csvs) {
        Matcher m = name.matcher(file.getFileName().toString());
        assertTrue(m.matches(), file.toString());
        int index = Integer.parseInt(m.group(1));
        BigDecimal eps = new BigDecimal(m.group(2));
        String[] px = CertifyCommandTest.pixels(index);
        String[] values = Files.readString(file).strip().split(",");
        assertEquals(784, values.length);
        float[] x = new float[784];
        for (int i = 0; i < 784; i++) {
          // the text is Double.toString of the input: it denotes that double, whose exact
          // value is what must lie in the ball (the shortest decimal itself may not)
          BigDecimal v = new BigDecimal(Double.parseDouble(values[i]));
          BigDecimal gap = v.multiply(BigDecimal.valueOf(255))
              .subtract(new BigDecimal(px[i + 1])).abs();
          assertTrue(gap.compareTo(eps.multiply(BigDecimal.valueOf(255))) <= 0,
              file + ": value " + i + " is farther than eps from its pixel");
          assertTrue(v.signum() >= 0 && v.compareTo(BigDecimal.ONE) <= 0, "clip range");
          x[i] = Float.parseFloat(values[i]);
        }
        float[] y;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
            OrtSession.Result r = session.run(Map.of(input, t))) {
          FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
          y = new float[b.remaining()];
          b.get(y);
        }
        int label = Integer.parseInt(px[0]);
        int best = 0;
        for (int j = 1; j < y.length; j++) {
          best = y[j] > y[best] ? j : best;
        }
        // argmax != label, or a tie with the label (the property counts ties against)
        assertTrue(best != label || tiesWithAnother(y, label), file + ": ONNX Runtime gives "
            + java.util.Arrays.toString(y));
        byte[] npy = Files.readAllBytes(Path.of(file.toString().replace(".csv", ".npy")));
        assertEquals(0, (npy.length - 784 * 8) % 64);
        BufferedImage png = ImageIO.read(Path.of(file.toString().replace(".csv", ".png"))
            .toFile());
        assertNotEquals(null, png);
        assertTrue(png.getWidth() > 3 * 28 && png.getHeight() > 28);
      }
    }
  }

  private static boolean tiesWithAnother(float[] y, int label) {
    for (int j = 0; j < y.length; j++) {
      if (j != label && y[j] >= y[label]) {
        return true;
      }
    }
    return false;
  }
}
