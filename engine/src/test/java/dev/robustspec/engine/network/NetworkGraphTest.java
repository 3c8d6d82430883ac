package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomGraphs;
import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.NetworkGraph.Location;
import dev.robustspec.engine.network.NetworkGraph.Node;
import dev.robustspec.engine.spec.Box;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The graph model and its lowering: the chain computes what the graph computes, node by node
 * (every node's values where {@link NetworkGraph.Lowered#locations()} says), in double, float32,
 * exactly and with a rigorous radius; a chain lowers to itself; malformed graphs are refused.
 */
class NetworkGraphTest {

  @Property(tries = 300)
  void loweredChainComputesEveryNodeOfTheGraph(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(4);
    NetworkGraph graph = RandomGraphs.residual(random, inputs, 2 + random.nextInt(7), false);
    NetworkGraph.Lowered lowered = graph.lower();
    Network chain = lowered.network();
    assertEquals(graph.nodes().size() + 1, lowered.locations().size());
    Box box = RandomNets.box(random, inputs, 2.0);
    for (int t = 0; t < 20; t++) {
      double[] x = RandomNets.point(random, box);
      List<double[]> nodes = graph.evaluateNodes(x);
      List<double[]> trace = chain.trace(x);
      for (int k = 0; k < nodes.size(); k++) {
        Location at = lowered.locations().get(k);
        double[] v = Arrays.copyOfRange(trace.get(at.boundIndex()), at.offset(),
            at.offset() + at.size());
        assertArrayEquals(nodes.get(k), v, "node " + k + " at " + at); // same operations, bit for bit
      }
      // exact evaluation lies within the rigorous radius of the double and float32 ones
      BigDecimal[] exact = ExactEvaluation.evaluate(chain, x);
      for (boolean f32 : new boolean[] {false, true}) {
        RoundedEvaluation.Result r = RoundedEvaluation.evaluate(chain, x, f32);
        for (int i = 0; i < exact.length; i++) {
          BigDecimal gap = exact[i].subtract(new BigDecimal(r.values()[i])).abs();
          assertTrue(gap.compareTo(new BigDecimal(r.radius()[i])) <= 0,
              "output " + i + " off by " + gap + " > radius " + r.radius()[i]);
        }
      }
      float[] f = Float32Evaluation.evaluate(chain, x);
      double[] y = chain.evaluate(x);
      for (int i = 0; i < y.length; i++) {
        assertEquals(y[i], f[i], 1e-3 * (1 + Math.abs(y[i])));
      }
    }
  }

  /**
   * The chain's gradient (each layer's {@link Layer#backpropagate}, the attack's rule) equals
   * the vector-Jacobian product computed over the graph itself: per node in reverse order, a
   * value read by several nodes summing their gradients.
   */
  @Property(tries = 200)
  void chainGradientIsTheGraphsGradient(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(4);
    NetworkGraph graph = RandomGraphs.residual(random, inputs, 2 + random.nextInt(7), true);
    Network chain = graph.lower().network();
    double[] x = RandomNets.point(random, RandomNets.box(random, inputs, 2.0));
    double[] seedGrad = new double[chain.outputSize()];
    for (int i = 0; i < seedGrad.length; i++) {
      seedGrad[i] = RandomNets.gaussian(random);
    }
    List<double[]> trace = chain.trace(x);
    double[] g = seedGrad;
    for (int k = chain.layers().size() - 1; k >= 0; k--) {
      g = chain.layers().get(k).backpropagate(trace.get(k), g);
    }
    List<double[]> values = graph.evaluateNodes(x);
    int count = graph.nodes().size();
    double[][] grad = new double[count + 1][];
    grad[count] = seedGrad;
    for (int k = count; k >= 1; k--) {
      Node node = graph.nodes().get(k - 1);
      Layer map = node.layer() != null ? node.layer() : node.join();
      double[] in = new double[map.inputSize()];
      int at = 0;
      for (int i : node.inputs()) {
        System.arraycopy(values.get(i), 0, in, at, values.get(i).length);
        at += values.get(i).length;
      }
      double[] back = map.backpropagate(in, grad[k]);
      at = 0;
      for (int i : node.inputs()) {
        if (grad[i] == null) {
          grad[i] = new double[graph.size(i)];
        }
        for (int j = 0; j < graph.size(i); j++) {
          grad[i][j] += back[at + j];
        }
        at += graph.size(i);
      }
    }
    assertArrayEquals(grad[0], g, 1e-12);
  }

  @Test
  void aChainLowersToItsOwnLayers() {
    Network net = RandomNets.dense(new SplittableRandom(3), new int[] {3, 5, 4, 2}, false);
    List<Node> nodes = new java.util.ArrayList<>();
    for (int k = 0; k < net.layers().size(); k++) {
      nodes.add(Node.layer(net.layers().get(k).name(), k, net.layers().get(k)));
    }
    Network lowered = new NetworkGraph("chain", new int[] {3}, nodes).lower().network();
    assertEquals(net.layers(), lowered.layers());
  }

  /** {@code y = relu(x) - x} on {@code x in [-1, 1]}: a skip carried past the ReLU. */
  static NetworkGraph reluMinusInput() {
    return new NetworkGraph("skip", new int[] {1}, List.of(
        Node.layer("relu", 0, new ReluLayer("relu", 1)),
        Node.join("sub", new int[] {1, 0}, new SparseAffineLayer("sub", "sub", 2,
            new int[] {0, 2}, new int[] {0, 1}, new double[] {1, -1}, new double[] {0}))));
  }

  @Test
  void theSkipIsCarriedPastTheRelu() {
    Network chain = reluMinusInput().lower().network();
    // fork [x] -> [x, x], relu on the first with one value carried, then the difference
    assertEquals(3, chain.layers().size());
    assertEquals("route", chain.layers().get(0).kind());
    assertEquals("relu", chain.layers().get(1).kind());
    assertEquals(1, chain.layers().get(1).relaxedInputCount());
    assertEquals(2, chain.layers().get(1).inputSize());
    assertEquals("sub", chain.layers().get(2).kind());
    for (double x : new double[] {-1, -0.25, 0, 0.5, 1}) {
      assertEquals(Math.max(0, x) - x, chain.evaluate(new double[] {x})[0], 0.0);
    }
  }

  @Test
  void malformedGraphsAreRefusedNamingTheNode() {
    ReluLayer relu = new ReluLayer("r", 2);
    IllegalArgumentException later = assertThrows(IllegalArgumentException.class,
        () -> new NetworkGraph("g", new int[] {2}, List.of(Node.layer("a", 2, relu),
            Node.layer("b", 1, relu))));
    assertTrue(later.getMessage().contains("node a reads node 2")
        && later.getMessage().contains("acyclic"), later.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> new NetworkGraph("g", new int[] {3}, List.of(Node.layer("a", 0, relu))));
    assertTrue(size.getMessage().contains("node a expects 2 inputs but receives 3"),
        size.getMessage());
    IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
        () -> new NetworkGraph("g", new int[] {2}, List.of(Node.layer("a", 0, relu),
            Node.layer("b", 0, relu))));
    assertTrue(unused.getMessage().contains("node a is not used"), unused.getMessage());
  }

  @Test
  void sparseRulesAreExactOnCopiesAndRigorousOnSums() {
    // y0 = x0 (copy), y1 = 0.1 x0 + 0.2 x1 + 0.3 (a sum with rounding)
    SparseAffineLayer s = new SparseAffineLayer("s", "pad", 2, new int[] {0, 1, 3},
        new int[] {0, 0, 1}, new double[] {1, 0.1, 0.2}, new double[] {0, 0.3});
    double[] lo = {-1, 0.5};
    double[] hi = {2, 0.7};
    double[] outLo = new double[2];
    double[] outHi = new double[2];
    s.intervalForward(lo, hi, outLo, outHi);
    assertEquals(-1, outLo[0], 0.0); // copies: no widening
    assertEquals(2, outHi[0], 0.0);
    BigDecimal l1 = new BigDecimal(0.1).multiply(new BigDecimal(-1))
        .add(new BigDecimal(0.2).multiply(new BigDecimal(0.5))).add(new BigDecimal(0.3));
    BigDecimal h1 = new BigDecimal(0.1).multiply(new BigDecimal(2))
        .add(new BigDecimal(0.2).multiply(new BigDecimal(0.7))).add(new BigDecimal(0.3));
    assertTrue(new BigDecimal(outLo[1]).compareTo(l1) <= 0, "lower bound above exact");
    assertTrue(new BigDecimal(outHi[1]).compareTo(h1) >= 0, "upper bound below exact");
    assertEquals(l1.doubleValue(), outLo[1], 1e-15);
    assertEquals(h1.doubleValue(), outHi[1], 1e-15);
    BigDecimal[] exact = s.evaluateExact(new BigDecimal[] {BigDecimal.ONE, BigDecimal.TEN});
    assertEquals(0, exact[1].compareTo(new BigDecimal(0.1).add(new BigDecimal(0.2)
        .multiply(BigDecimal.TEN, MathContext.UNLIMITED)).add(new BigDecimal(0.3))));
    assertArrayEquals(new double[] {0.1, 0.2 - 0.0}, s.backpropagate(new double[2],
        new double[] {0, 1}));
  }
}
