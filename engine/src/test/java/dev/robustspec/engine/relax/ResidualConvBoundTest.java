package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.ConvGeometry;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.network.NetworkGraph.Node;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
import dev.robustspec.engine.network.SparseAffineLayer;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * DeepPoly on random small residual conv nets (a stem conv with random strides, pads, dilations
 * and groups; identity blocks {@code x + conv(relu(conv(x)))}; a downsampling block whose skip is
 * a strided 1x1 conv; flatten, dense), read as graphs and lowered to chains with carried skip
 * values: every bound, intermediate and objective, equals (within rounding) the bound of the
 * same graph with each convolution materialised as a dense matrix, and contains every sampled
 * value (thousands of points).
 */
class ResidualConvBoundTest {

  @Property(tries = 100)
  void convPathEqualsTheDenseMatrixPathAndIsSound(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    long structure = new SplittableRandom(seed).nextLong();
    Network conv = residualNet(new SplittableRandom(structure), UnaryOperator.identity());
    Network dense = residualNet(new SplittableRandom(structure),
        layer -> ((ConvLayer) layer).toDense());
    SplittableRandom random = new SplittableRandom(seed + 1);
    Box box = RandomNets.box(random, conv.inputSize(), 0.6);
    double[][] objectives = new double[3][conv.outputSize()];
    for (double[] row : objectives) {
      for (int j = 0; j < row.length; j++) {
        row[j] = RandomNets.gaussian(random);
      }
    }
    boolean allNeurons = random.nextBoolean();
    BoundState convState = new BoundState(conv, box);
    double[] convObj = new DeepPolyPass(allNeurons).run(convState, objectives,
        Budget.unlimited());
    BoundState denseState = new BoundState(dense, box);
    double[] denseObj = new DeepPolyPass(allNeurons).run(denseState, objectives,
        Budget.unlimited());
    for (int r = 0; r < objectives.length; r++) {
      assertEquals(denseObj[r], convObj[r], 1e-9 * (1 + Math.abs(denseObj[r])), "objective " + r);
    }
    for (int k = 0; k < convState.size(); k++) {
      for (int i = 0; i < convState.lower(k).length; i++) {
        assertClose(denseState.lower(k)[i], convState.lower(k)[i], "lower " + k + "," + i);
        assertClose(denseState.upper(k)[i], convState.upper(k)[i], "upper " + k + "," + i);
      }
    }
    for (int t = 0; t < 1000; t++) {
      double[] x = RandomNets.point(random, box);
      List<double[]> values = conv.trace(x);
      for (int k = 0; k < values.size(); k++) {
        double[] v = values.get(k);
        for (int i = 0; i < v.length; i++) {
          assertTrue(convState.lower(k)[i] <= v[i] && v[i] <= convState.upper(k)[i],
              "value " + v[i] + " outside [" + convState.lower(k)[i] + ", "
                  + convState.upper(k)[i] + "] at " + k + "," + i);
        }
      }
      double[] y = values.get(values.size() - 1);
      for (int r = 0; r < objectives.length; r++) {
        double v = 0;
        for (int j = 0; j < y.length; j++) {
          v += objectives[r][j] * y[j];
        }
        assertTrue(convObj[r] <= v + 1e-12, "objective bound above a sampled value");
      }
    }
  }

  private static void assertClose(double expected, double actual, String what) {
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      assertEquals(expected, actual, what);
    } else {
      assertEquals(expected, actual, 1e-9 * (1 + Math.abs(expected)), what);
    }
  }

  /**
   * A random residual net, lowered; {@code convs} maps each convolution to the layer used
   * (itself, or its dense matrix), drawing the same weights either way.
   */
  static Network residualNet(SplittableRandom r, UnaryOperator<Layer> convs) {
    List<Node> nodes = new ArrayList<>();
    int c = 1 + r.nextInt(2);
    int h = 4 + r.nextInt(4);
    int w = 4 + r.nextInt(4);
    int[] inputShape = {1, c, h, w};
    ConvLayer stem = stem(r, c, h, w);
    nodes.add(Node.layer("stem", 0, convs.apply(stem)));
    nodes.add(Node.layer("stem_relu", 1, new ReluLayer("stem_relu", stem.outputSize())));
    ConvGeometry g = stem.geometry();
    c = g.outChannels();
    h = g.outHeight();
    w = g.outWidth();
    int x = 2; // the node holding the block input
    for (int b = 0, blocks = 1 + r.nextInt(2); b < blocks; b++) {
      boolean down = h >= 3 && w >= 3 && r.nextInt(3) == 0;
      int co = down ? c + r.nextInt(2) : c;
      String p = "b" + b;
      int blockInput = x;
      ConvGeometry first = down ? new ConvGeometry(c, h, w, co, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)
          : same(r, c, h, w);
      ConvLayer conv1 = random(r, p + "_conv1", first);
      x = add(nodes, Node.layer(p + "_conv1", x, convs.apply(conv1)));
      x = add(nodes, Node.layer(p + "_relu1", x, new ReluLayer(p + "_relu1", conv1.outputSize())));
      ConvGeometry f = conv1.geometry();
      ConvLayer conv2 = random(r, p + "_conv2", same(r, co, f.outHeight(), f.outWidth()));
      int branch = add(nodes, Node.layer(p + "_conv2", x, convs.apply(conv2)));
      int skip = blockInput;
      if (down) {
        ConvLayer project = random(r, p + "_skip", new ConvGeometry(c, h, w, co, 1, 1, 2, 2, 0,
            0, 0, 0, 1, 1, 1));
        skip = add(nodes, Node.layer(p + "_skip", skip, convs.apply(project)));
      }
      int n = conv2.outputSize();
      int[] rowStart = new int[n + 1];
      int[] col = new int[2 * n];
      double[] val = new double[2 * n];
      for (int i = 0; i < n; i++) {
        rowStart[i + 1] = 2 * i + 2;
        col[2 * i] = i;
        col[2 * i + 1] = n + i;
        val[2 * i] = 1;
        val[2 * i + 1] = 1;
      }
      x = add(nodes, Node.join(p + "_add", new int[] {skip, branch},
          new SparseAffineLayer(p + "_add", "add", 2 * n, rowStart, col, val, new double[n])));
      x = add(nodes, Node.layer(p + "_relu2", x, new ReluLayer(p + "_relu2", n)));
      c = co;
      h = f.outHeight();
      w = f.outWidth();
    }
    int flat = c * h * w;
    x = add(nodes, Node.layer("flatten", x, new ReshapeLayer("flatten", new int[] {1, c, h, w},
        new int[] {1, flat})));
    int out = 2 + r.nextInt(2);
    double[] weights = new double[flat * out];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = RandomNets.gaussian(r) / Math.sqrt(flat);
    }
    add(nodes, Node.layer("dense", x, new DenseLayer("dense", flat, out, weights,
        new double[out])));
    return new NetworkGraph("residual", inputShape, nodes).lower().network();
  }

  private static int add(List<Node> nodes, Node node) {
    nodes.add(node);
    return nodes.size(); // node k of the list is graph node k + 1 (node 0 is the input)
  }

  /** Any strides, pads, dilations and groups. */
  private static ConvLayer stem(SplittableRandom r, int c, int h, int w) {
    while (true) {
      int groups = c == 2 && r.nextBoolean() ? 2 : 1;
      try {
        return random(r, "stem", new ConvGeometry(c, h, w, groups * (1 + r.nextInt(2)),
            1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2),
            r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2), 1 + r.nextInt(2),
            1 + r.nextInt(2), groups));
      } catch (IllegalArgumentException kernelTooLarge) {
        // draw again
      }
    }
  }

  /** Shape-preserving: odd kernel, stride 1, pad {@code d (k - 1) / 2}, groups dividing c. */
  private static ConvGeometry same(SplittableRandom r, int c, int h, int w) {
    int k = r.nextBoolean() ? 3 : 1;
    int d = k == 3 && h >= 5 && w >= 5 && r.nextInt(3) == 0 ? 2 : 1;
    int pad = d * (k - 1) / 2;
    int groups = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
    return new ConvGeometry(c, h, w, c, k, k, 1, 1, pad, pad, pad, pad, d, d, groups);
  }

  private static ConvLayer random(SplittableRandom r, String name, ConvGeometry g) {
    double[] weights = new double[g.outChannels() * g.kernelSize()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = r.nextInt(6) == 0 ? 0 : RandomNets.gaussian(r) / Math.sqrt(g.kernelSize());
    }
    double[] bias = new double[g.outChannels()];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (r.nextDouble() - 0.5) * 0.5;
    }
    return new ConvLayer(name, g, weights, bias);
  }
}
