package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.NnetReader.NnetFile;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NnetReaderTest {
  private static final Path NNET = Path.of("net.nnet");

  private static Path acas(int a, int b) {
    return TestData.benchmarks()
        .resolve("acasxu/nnet/ACASXU_experimental_v2a_" + a + "_" + b + ".nnet");
  }

  /** A 2-3-1 network: two comment lines, then the format's lines (1-based line 3 = header). */
  private static final String TINY = String.join("\n",
      "// tiny test network",
      "// second comment",
      "2,2,1,3,",
      "2,3,1,",
      "0,",
      "-1.0,-2.0,",
      "1.0,2.0,",
      "0.5,1.0,10.0,",
      "2.0,4.0,3.0,",
      "1.0,0.0,",
      "0.0,1.0,",
      "1.0,-1.0,",
      "0.0,",
      "0.5,",
      "-1.0,",
      "1.0,2.0,3.0,",
      "0.25,",
      "");

  @Test
  void readsTinyNetwork() throws Exception {
    NnetFile f = NnetReader.read(TINY, NNET);
    Network net = f.network();
    assertEquals(3, net.layers().size());
    assertInstanceOf(DenseLayer.class, net.layers().get(0));
    assertInstanceOf(ReluLayer.class, net.layers().get(1));
    assertArrayEquals(new double[] {-1, -2}, f.inputMinimums());
    assertArrayEquals(new double[] {1, 2}, f.inputMaximums());
    assertArrayEquals(new double[] {0.5, 1}, f.inputMeans());
    assertArrayEquals(new double[] {2, 4}, f.inputRanges());
    assertEquals(10, f.outputMean());
    assertEquals(3, f.outputRange());
    // x = (1, 2): hidden = relu(1, 2.5, -2) = (1, 2.5, 0); y = 1 + 5 + 0 + 0.25
    assertArrayEquals(new double[] {6.25}, net.evaluate(new double[] {1, 2}), 1e-12);
  }

  @Test
  void readsAll45AcasXuNetworks() throws Exception {
    for (int a = 1; a <= 5; a++) {
      for (int b = 1; b <= 9; b++) {
        NnetFile f = NnetReader.read(acas(a, b));
        Network net = f.network();
        assertEquals(13, net.layers().size());
        assertEquals(5, net.inputSize());
        assertEquals(5, net.outputSize());
        assertEquals(13305, net.parameterCount());
        assertArrayEquals(new double[] {19791.091, 0, 0, 650, 600}, f.inputMeans(), 1e-9);
        assertEquals(7.5188840201005975, f.outputMean());
        assertEquals(373.94992, f.outputRange());
      }
    }
  }

  @Test
  void withNormalisationWorksOnRawUnits() throws Exception {
    NnetFile f = NnetReader.read(acas(1, 1));
    Network raw = f.withNormalisation();
    assertEquals(15, raw.layers().size());
    assertInstanceOf(ElementwiseAffineLayer.class, raw.layers().get(0));
    Random random = new Random(7);
    for (int s = 0; s < 50; s++) {
      double[] x = new double[5];
      double[] norm = new double[5];
      for (int i = 0; i < 5; i++) {
        double lo = f.inputMinimums()[i];
        double hi = f.inputMaximums()[i];
        x[i] = lo + random.nextDouble() * (hi - lo);
        norm[i] = (x[i] - f.inputMeans()[i]) / f.inputRanges()[i];
      }
      double[] core = f.network().evaluate(norm);
      double[] y = raw.evaluate(x);
      for (int i = 0; i < 5; i++) {
        assertEquals(core[i] * f.outputRange() + f.outputMean(), y[i], 1e-9);
      }
    }
  }

  private static InputFormatException rejects(String text, int line, String... facts) {
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> NnetReader.read(text, NNET));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("net.nnet:" + line), e.getMessage());
    for (String f : facts) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }
    return e;
  }

  private static String replaceLine(String text, int line, String with) {
    List<String> lines = new java.util.ArrayList<>(text.lines().toList());
    lines.set(line - 1, with);
    return String.join("\n", lines) + "\n";
  }

  @Test
  void truncatedFileIsRejected() throws Exception {
    List<String> lines = Files.readAllLines(acas(1, 1));
    String half = String.join("\n", lines.subList(0, lines.size() / 2)) + "\n";
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> NnetReader.read(half, NNET));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertEquals(lines.size() / 2 + 1, e.line());
    rejects(String.join("\n", TINY.lines().toList().subList(0, 6)), 7, "input maximums");
  }

  @Test
  void nonNumericTokenIsRejectedWithLineAndColumn() {
    InputFormatException e = rejects(replaceLine(TINY, 11, "0.0,abc,"), 11, "'abc'",
        "not a number", "weight row 2 of layer 1");
    assertEquals(5, e.column());
  }

  @Test
  void nanIsRejected() {
    rejects(replaceLine(TINY, 13, "NaN,"), 13, "'NaN'");
  }

  @Test
  void wrongCountIsRejected() {
    rejects(replaceLine(TINY, 12, "1.0,-1.0,2.0,"), 12, "expected 2 numbers, found 3");
    rejects(replaceLine(TINY, 8, "0.5,1.0,"), 8, "means", "expected 3 numbers, found 2");
  }

  @Test
  void inconsistentLayerSizesAreRejected() {
    rejects(replaceLine(TINY, 4, "2,3,2,"), 4, "layer sizes", "1 outputs");
    rejects(replaceLine(TINY, 4, "2,3,"), 4, "expected 3 numbers");
    rejects(replaceLine(TINY, 3, "2,2.5,1,3,"), 3, "inputSize");
  }

  @Test
  void extraContentIsRejected() {
    rejects(TINY + "1.0,\n", 18, "after the last layer");
  }

  @Test
  void zeroRangeIsRejected() {
    rejects(replaceLine(TINY, 9, "2.0,0,3.0,"), 9, "range 2 is zero");
  }
}
