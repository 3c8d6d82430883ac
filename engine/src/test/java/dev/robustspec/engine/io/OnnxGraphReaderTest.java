package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxModelBuilder.intAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.intsAttr;
import static dev.robustspec.engine.io.OnnxModelBuilder.stringAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomGraphs;
import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.spec.Box;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Residual graphs and shape operators in ONNX: the reader's network computes what the graph
 * says (hand-computed), malformed graphs are clear errors naming node and file, and a lowered
 * graph written by {@link OnnxWriter} reads back to the same function.
 */
class OnnxGraphReaderTest {
  private static final Path MODEL = Path.of("graph.onnx");

  private static Network read(OnnxModelBuilder b) throws InputFormatException {
    return OnnxReader.read(b.build(), MODEL);
  }

  private static String rejects(OnnxModelBuilder b, String... facts) {
    InputFormatException e = assertThrows(InputFormatException.class, () -> read(b));
    assertTrue(e.getMessage().contains("graph.onnx"), e.getMessage());
    for (String f : facts) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }
    return e.getMessage();
  }

  @Test
  void residualAddAndSubOfTwoBranches() throws Exception {
    // y = x + relu(W x), z = y - x: W = [[1, -1], [2, 0]]
    Network net = read(new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("W", new long[] {2, 2}, 1, 2, -1, 0) // MatMul: x @ W, W stored [in, out]
        .node("MatMul", "mm", List.of("x", "W"), List.of("h"))
        .node("Relu", "relu", List.of("h"), List.of("r"))
        .node("Add", "add", List.of("x", "r"), List.of("y"))
        .node("Sub", "sub", List.of("y", "x"), List.of("z"))
        .node("Concat", "cat", List.of("y", "z"), List.of("out"), intAttr("axis", 1))
        .output("out", 1, 4));
    for (double[] x : new double[][] {{1, 2}, {-1, 0.5}, {3, -4}}) {
      double h0 = x[0] - x[1];
      double h1 = 2 * x[0];
      double[] r = {Math.max(0, h0), Math.max(0, h1)};
      double[] expected = {x[0] + r[0], x[1] + r[1], r[0], r[1]};
      assertArrayEquals(expected, net.evaluate(x), 1e-12);
    }
  }

  @Test
  void concatAlongAnInnerAxisInterleaves() throws Exception {
    // x: [1, 2, 1, 2]; Concat(x, relu(x)) on axis 3 -> [1, 2, 1, 4]: per (c, h) row x then relu(x)
    Network net = read(new OnnxModelBuilder()
        .input("x", 1, 2, 1, 2)
        .node("Relu", "relu", List.of("x"), List.of("r"))
        .node("Concat", "cat", List.of("x", "r"), List.of("y"), intAttr("axis", -1))
        .output("y", 1, 2, 1, 4));
    double[] x = {-1, 2, 3, -4};
    assertArrayEquals(new double[] {-1, 2, 0, 2, 3, -4, 3, 0}, net.evaluate(x), 0.0);
  }

  @Test
  void transposeSliceGatherAndPadTrackShapes() throws Exception {
    // x [1, 2, 3] -> Transpose(0, 2, 1) [1, 3, 2] -> Slice axis 1 [1:3] -> [1, 2, 2]
    // -> Pad 1 before on the last axis with 0.5 -> [1, 2, 3] -> Gather axis 2 [2, 0] -> [1, 2, 2]
    Network net = read(new OnnxModelBuilder()
        .input("x", 1, 2, 3)
        .node("Transpose", "t", List.of("x"), List.of("a"), intsAttr("perm", 0, 2, 1))
        .initializer("st", new long[] {1}, OnnxModelBuilder.INT64, false, 1)
        .initializer("en", new long[] {1}, OnnxModelBuilder.INT64, false, 3)
        .initializer("ax", new long[] {1}, OnnxModelBuilder.INT64, false, 1)
        .node("Slice", "s", List.of("a", "st", "en", "ax"), List.of("b"))
        .initializer("pads", new long[] {6}, OnnxModelBuilder.INT64, false, 0, 0, 1, 0, 0, 0)
        .initializer("v", new long[] {}, 0.5)
        .node("Pad", "p", List.of("b", "pads", "v"), List.of("c"), stringAttr("mode",
            "constant"))
        .initializer("idx", new long[] {2}, OnnxModelBuilder.INT64, false, 2, 0)
        .node("Gather", "g", List.of("c", "idx"), List.of("d"), intAttr("axis", 2))
        .output("d", 1, 2, 2));
    // x = [[0, 1, 2], [3, 4, 5]]; transposed [[0, 3], [1, 4], [2, 5]]; rows 1..2 [[1, 4], [2, 5]]
    // padded [[0.5, 1, 4], [0.5, 2, 5]]; columns 2, 0: [[4, 0.5], [5, 0.5]]
    assertArrayEquals(new double[] {4, 0.5, 5, 0.5}, net.evaluate(new double[] {0, 1, 2, 3,
        4, 5}), 0.0);
  }

  @Test
  void malformedGraphsAreClearErrors() {
    rejects(new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("Relu", "a", List.of("x", "c"), List.of("b"))
        .node("Relu", "cyc", List.of("b"), List.of("c"))
        .output("c"), "the graph has a cycle through nodes [a, cyc]");
    rejects(new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("W", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
        .node("MatMul", "mm", List.of("x", "W"), List.of("h"))
        .node("Add", "res", List.of("x", "h"), List.of("y"))
        .output("y"), "node 'res' (Add)", "'x' of shape [1, 2] and 'h' of shape [1, 3] differ");
    rejects(new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("Relu", "r", List.of("x"), List.of("a"))
        .node("Einsum", "e", List.of("x", "a"), List.of("y"))
        .output("y"), "unsupported ONNX operator 'Einsum' (node 'e')");
    rejects(new OnnxModelBuilder()
        .input("x", 1, 2, 2)
        .node("Transpose", "t", List.of("x"), List.of("y"), intsAttr("perm", 0, 1, 1))
        .output("y"), "node 't' (Transpose)", "is not a permutation");
    rejects(new OnnxModelBuilder()
        .input("x", 1, 2)
        .initializer("pads", new long[] {2}, OnnxModelBuilder.INT64, false, 0, 1)
        .node("Pad", "p", List.of("x", "pads"), List.of("y"))
        .output("y"), "node 'p' (Pad)", "pads has 2 entries, expected 4");
    rejects(new OnnxModelBuilder()
        .input("x", 1, 2)
        .node("Relu", "r", List.of("x"), List.of("a"))
        .node("Concat", "cat", List.of("x", "a"), List.of("y"))
        .output("y"), "node 'cat' (Concat)", "attribute 'axis' is required");
  }

  @Property(tries = 150)
  void aLoweredGraphWrittenToOnnxReadsBackToTheSameFunction(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(4);
    NetworkGraph graph = RandomGraphs.residual(random, inputs, 2 + random.nextInt(7), true);
    Network chain = graph.lower().network();
    Network back = OnnxReader.read(OnnxWriter.toBytes(chain), Path.of("written.onnx"));
    Box box = RandomNets.box(random, inputs, 2.0);
    for (int t = 0; t < 20; t++) {
      double[] x = RandomNets.point(random, box);
      double[] want = graph.evaluate(x);
      double[] got = back.evaluate(x);
      assertEquals(want.length, got.length);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-12 * (1 + Math.abs(want[i])), "output " + i);
      }
    }
  }
}
