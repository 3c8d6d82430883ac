package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Products of networks of every layer type: the product computes the lanes side by side (checked
 * against evaluating each lane on its own inputs) and the passes' bounds on it contain every
 * sampled output. Dense ReLU lanes keep their block-diagonal construction (QueryLoweringTest).
 */
class ProductNetworkTest {

  /** Lanes over {@code n} inputs: {@code n = c * h * w} for the image lanes. */
  private static Network randomLane(SplittableRandom r, int c, int h, int w, int kind) {
    int n = c * h * w;
    return switch (kind) {
      case 0 -> activationNet(r, n, ElementwiseActivationLayer.sigmoid("sig", 4));
      case 1 -> activationNet(r, n, ElementwiseActivationLayer.tanh("tanh", 4));
      case 2 -> convPoolNet(r, c, h, w);
      case 3 -> residualNet(r, n);
      default -> RandomNets.dense(r, new int[] {n, 3, 2}, false);
    };
  }

  /** dense(n -> 4), the activation, dense(4 -> 2). */
  private static Network activationNet(SplittableRandom r, int n, Layer activation) {
    return new Network("act", new int[] {n}, List.of(dense(r, "d0", n, 4), activation,
        dense(r, "d1", 4, 2)));
  }

  /** conv 3x3 pad 1 (2 channels), ReLU, 2x2 max pool (stride 1), dense to 2. */
  private static Network convPoolNet(SplittableRandom r, int c, int h, int w) {
    ConvGeometry g = new ConvGeometry(c, h, w, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    double[] kernel = new double[2 * c * 9];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = RandomNets.gaussian(r) / 3;
    }
    ConvLayer conv = new ConvLayer("conv", g, kernel, new double[] {0.1, -0.1});
    ConvGeometry pg = new ConvGeometry(2, h, w, 2, 2, 2, 1, 1, 0, 0, 1, 1, 1, 1, 2);
    MaxPoolLayer pool = new MaxPoolLayer("pool", pg);
    return new Network("conv", new int[] {1, c, h, w}, List.of(conv,
        new ReluLayer("relu", conv.outputSize()), pool,
        dense(r, "out", pool.outputSize(), 2)));
  }

  /** x -> x + dense(relu(dense(x))), then dense to 2: a lowered graph as a lane. */
  private static Network residualNet(SplittableRandom r, int n) {
    List<NetworkGraph.Node> nodes = new ArrayList<>();
    nodes.add(NetworkGraph.Node.layer("a", 0, dense(r, "a", n, 3)));
    nodes.add(NetworkGraph.Node.layer("relu", 1, new ReluLayer("relu", 3)));
    nodes.add(NetworkGraph.Node.layer("b", 2, dense(r, "b", 3, n)));
    int[] rowStart = new int[n + 1];
    int[] col = new int[2 * n];
    double[] val = new double[2 * n];
    for (int i = 0; i < n; i++) {
      rowStart[i + 1] = 2 * (i + 1);
      col[2 * i] = i;
      col[2 * i + 1] = n + i;
      val[2 * i] = 1;
      val[2 * i + 1] = 1;
    }
    nodes.add(NetworkGraph.Node.join("add", new int[] {0, 3},
        new SparseAffineLayer("add", "add", 2 * n, rowStart, col, val, new double[n])));
    nodes.add(NetworkGraph.Node.layer("sig", 4, ElementwiseActivationLayer.sigmoid("sig", n)));
    nodes.add(NetworkGraph.Node.layer("out", 5, dense(r, "out", n, 2)));
    return new NetworkGraph("res", new int[] {n}, nodes).lower().network();
  }

  private static DenseLayer dense(SplittableRandom r, String name, int in, int out) {
    double[] weights = new double[in * out];
    double[] bias = new double[out];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = RandomNets.gaussian(r) / Math.sqrt(in);
    }
    for (int i = 0; i < out; i++) {
      bias[i] = 0.1 * RandomNets.gaussian(r);
    }
    return new DenseLayer(name, in, out, weights, bias);
  }

  private record Product(List<Network> lanes, int[] map, Network network, Box box) {}

  /** 2-3 random lanes over a shared input of c*h*w values; lane i reads a random permutation. */
  private static Product randomProduct(SplittableRandom r) {
    int c = 1 + r.nextInt(2);
    int h = 2 + r.nextInt(2);
    int w = 2 + r.nextInt(2);
    int n = c * h * w;
    List<Network> lanes = new ArrayList<>();
    int count = 2 + r.nextInt(2);
    int[] map = new int[count * n];
    for (int i = 0; i < count; i++) {
      lanes.add(randomLane(r, c, h, w, i == 0 ? r.nextInt(4) : r.nextInt(5)));
      for (int j = 0; j < n; j++) {
        map[i * n + j] = r.nextBoolean() ? j : (j * 7 + i) % n;
      }
    }
    Network p = ProductNetwork.of("p", lanes, map, n);
    return new Product(lanes, map, p, RandomNets.box(r, n, 1.0));
  }

  @Test
  void productOfAnyLayersEqualsTheLanesEvaluatedSeparately() {
    SplittableRandom r = new SplittableRandom(14);
    for (int trial = 0; trial < 100; trial++) {
      Product p = randomProduct(r);
      for (int s = 0; s < 100; s++) {
        double[] x = RandomNets.point(r, p.box());
        double[] want = ProductNetwork.evaluateSeparately(p.lanes(), p.map(), x);
        double[] got = p.network().evaluate(x);
        assertEquals(want.length, got.length);
        for (int j = 0; j < want.length; j++) {
          assertEquals(want[j], got[j], 1e-12 * (1 + Math.abs(want[j])), "trial " + trial);
        }
      }
    }
  }

  @Test
  void intervalAndDeepPolyBoundsOfProductsContainSampledOutputs() {
    SplittableRandom r = new SplittableRandom(41);
    for (int trial = 0; trial < 100; trial++) {
      Product p = randomProduct(r);
      BoundState interval = new BoundState(p.network(), p.box());
      new IntervalPass().run(interval, new double[0][], Budget.unlimited());
      BoundState deeppoly = new BoundState(p.network(), p.box());
      new IntervalPass().run(deeppoly, new double[0][], Budget.unlimited());
      new DeepPolyPass(true).run(deeppoly, new double[0][], Budget.unlimited());
      int last = p.network().layers().size();
      for (int s = 0; s < 100; s++) {
        double[] x = RandomNets.point(r, p.box());
        List<double[]> trace = p.network().trace(x);
        for (int k = 0; k <= last; k++) {
          double[] v = trace.get(k);
          for (BoundState b : List.of(interval, deeppoly)) {
            for (int j = 0; j < v.length; j++) {
              assertTrue(b.lower(k)[j] <= v[j] && v[j] <= b.upper(k)[j],
                  "trial " + trial + " layer " + k + " neuron " + j);
            }
          }
        }
      }
      // DeepPoly only tightens interval's bounds
      for (int j = 0; j < p.network().outputSize(); j++) {
        assertTrue(deeppoly.upper(last)[j] - deeppoly.lower(last)[j]
            <= interval.upper(last)[j] - interval.lower(last)[j] + 1e-9);
      }
    }
  }

  /**
   * The graph's carries are exact: with every lane reading the whole input in order, the
   * product's interval and DeepPoly bounds on a lane's outputs are the lane's own bounds.
   */
  @Test
  void productBoundsOfEachLaneAreTheLanesOwnBounds() {
    SplittableRandom r = new SplittableRandom(77);
    for (int trial = 0; trial < 40; trial++) {
      int c = 1 + r.nextInt(2);
      int h = 2 + r.nextInt(2);
      int w = 2 + r.nextInt(2);
      int n = c * h * w;
      List<Network> lanes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        lanes.add(randomLane(r, c, h, w, i == 0 ? r.nextInt(4) : r.nextInt(5)));
      }
      int[] map = new int[3 * n];
      for (int k = 0; k < map.length; k++) {
        map[k] = k % n;
      }
      Network p = ProductNetwork.of("p", lanes, map, n);
      Box box = RandomNets.box(r, n, 1.0);
      for (boolean deeppoly : new boolean[] {false, true}) {
        double[][] product = outputBounds(p, box, deeppoly);
        int at = 0;
        for (Network lane : lanes) {
          double[][] alone = outputBounds(lane, box, deeppoly);
          for (int j = 0; j < lane.outputSize(); j++, at++) {
            for (int side = 0; side < 2; side++) {
              assertEquals(alone[side][j], product[side][at],
                  1e-9 * (1 + Math.abs(alone[side][j])), "trial " + trial + " " + deeppoly);
            }
          }
        }
      }
    }
  }

  private static double[][] outputBounds(Network net, Box box, boolean deeppoly) {
    BoundState s = new BoundState(net, box);
    new IntervalPass().run(s, new double[0][], Budget.unlimited());
    if (deeppoly) {
      new DeepPolyPass(true).run(s, new double[0][], Budget.unlimited());
    }
    int last = net.layers().size();
    return new double[][] {s.lower(last), s.upper(last)};
  }

  @Test
  void denseReluLanesKeepTheBlockDiagonalConstruction() {
    SplittableRandom r = new SplittableRandom(3);
    Network a = RandomNets.dense(r, new int[] {3, 4, 2}, false);
    Network b = RandomNets.dense(r, new int[] {3, 5, 4, 2}, false);
    Network p = ProductNetwork.of("p", List.of(a, b), new int[] {0, 1, 2, 0, 1, 2}, 3);
    for (Layer l : p.layers()) {
      assertTrue(l.kind().equals("dense") || l.kind().equals("relu"), l.kind());
    }
    // the graph construction of the same lanes computes the same function
    Network g = ProductNetwork.asGraph("g", List.of(a, b), new int[] {0, 1, 2, 0, 1, 2}, 3);
    Box box = RandomNets.box(r, 3, 2.0);
    for (int s = 0; s < 200; s++) {
      double[] x = RandomNets.point(r, box);
      double[] want = p.evaluate(x);
      double[] got = g.evaluate(x);
      for (int j = 0; j < want.length; j++) {
        assertEquals(want[j], got[j], 1e-12 * (1 + Math.abs(want[j])));
      }
    }
  }
}
