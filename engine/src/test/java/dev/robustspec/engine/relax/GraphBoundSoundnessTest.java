package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomGraphs;
import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.lp.LpPass;
import dev.robustspec.engine.lp.OjAlgoLpSolver;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.network.NetworkGraph.Location;
import dev.robustspec.engine.network.NetworkGraph.Node;
import dev.robustspec.engine.spec.Box;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Every pass on random residual graphs (lowered to chains): sampled containment at every bound
 * index (thousands of points), objective bounds below every sampled value, and DeepPoly's bound
 * equal to a back-substitution over the graph itself (node by node in reverse order, each node's
 * own rule, coefficients of a value read by several nodes summed): the carried values cost no
 * precision. Also a hand-computed skip connection where only the carried correlation is exact.
 */
class GraphBoundSoundnessTest {

  private static double[][] objectives(SplittableRandom random, int rows, int n) {
    double[][] objectives = new double[rows][n];
    for (double[] row : objectives) {
      for (int j = 0; j < n; j++) {
        row[j] = RandomNets.gaussian(random);
      }
    }
    return objectives;
  }

  @Property(tries = 250)
  void boundPassesContainSampledValuesAndDeepPolyIsTheGraphsBackSubstitution(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(4);
    NetworkGraph graph = RandomGraphs.residual(random, inputs, 2 + random.nextInt(8), true);
    NetworkGraph.Lowered lowered = graph.lower();
    Network net = lowered.network();
    Box box = RandomNets.box(random, inputs, 2.0);
    double[][] objectives = objectives(random, 3, net.outputSize());
    BoundState interval = new BoundState(net, box);
    double[] intervalObj = new IntervalPass().run(interval, objectives, Budget.unlimited());
    BoundState deeppoly = new BoundState(net, box);
    double[] deeppolyObj = new DeepPolyPass(random.nextBoolean())
        .run(deeppoly, objectives, Budget.unlimited());
    BoundState symbolic = new BoundState(net, box);
    double[] symbolicObj = new SymbolicIntervalPass().run(symbolic, objectives,
        Budget.unlimited());
    BoundState alpha = new BoundState(net, box);
    double[] alphaObj = new AlphaPass(AlphaPass.Options.defaults())
        .run(alpha, objectives, Budget.unlimited());
    // α-CROWN starts from DeepPoly's own slopes over DeepPoly's unstable-only refinement
    double[] plainObj = new DeepPolyPass().run(new BoundState(net, box), objectives,
        Budget.unlimited());

    double[] graphObj = graphBackSubstitution(graph, lowered, deeppoly, objectives);
    for (int r = 0; r < objectives.length; r++) {
      assertEquals(graphObj[r], deeppolyObj[r], 1e-9 * (1 + Math.abs(graphObj[r])),
          "deeppoly on the chain differs from the graph's back-substitution");
      assertTrue(deeppolyObj[r] >= intervalObj[r] - 1e-9 * (1 + Math.abs(intervalObj[r])));
      assertTrue(alphaObj[r] >= plainObj[r] - 1e-9 * (1 + Math.abs(plainObj[r])),
          "alpha looser than deeppoly");
    }
    sampleInside(random, net, box, objectives, new BoundState[] {interval, deeppoly, symbolic,
        alpha}, new double[][] {intervalObj, deeppolyObj, symbolicObj, alphaObj});
  }

  @Property(tries = 80)
  void lpAndKReluContainSampledValues(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(3);
    NetworkGraph graph = RandomGraphs.residual(random, inputs, 2 + random.nextInt(6), false);
    Network net = graph.lower().network();
    Box box = RandomNets.box(random, inputs, 2.0);
    double[][] objectives = objectives(random, 2, net.outputSize());
    BoundState lp = new BoundState(net, box);
    new DeepPolyPass().run(lp, new double[0][], Budget.unlimited());
    BoundState krelu = new BoundState(net, box);
    krelu.tighten(lp);
    double[] lpObj = new LpPass().run(lp, objectives, Budget.unlimited());
    double[] kreluObj = new KReluPass(new OjAlgoLpSolver(), 2, 4, 1, random.nextBoolean())
        .run(krelu, objectives, Budget.unlimited());
    sampleInside(random, net, box, objectives, new BoundState[] {lp, krelu},
        new double[][] {lpObj, kreluObj});
  }

  private static void sampleInside(SplittableRandom random, Network net, Box box,
      double[][] objectives, BoundState[] states, double[][] objectiveBounds) {
    for (int t = 0; t < 2000; t++) {
      double[] x = RandomNets.point(random, box);
      List<double[]> values = net.trace(x);
      for (BoundState s : states) {
        for (int k = 0; k < values.size(); k++) {
          double[] v = values.get(k);
          for (int i = 0; i < v.length; i++) {
            assertTrue(s.lower(k)[i] <= v[i] && v[i] <= s.upper(k)[i], "value " + v[i]
                + " outside [" + s.lower(k)[i] + ", " + s.upper(k)[i] + "] at " + k + "," + i);
          }
        }
      }
      double[] y = values.get(values.size() - 1);
      for (int r = 0; r < objectives.length; r++) {
        double v = 0;
        for (int j = 0; j < y.length; j++) {
          v += objectives[r][j] * y[j];
        }
        for (double[] b : objectiveBounds) {
          assertTrue(b[r] <= v + 1e-12, "objective bound " + b[r] + " above sampled " + v);
        }
      }
    }
  }

  /**
   * DeepPoly's objective bound computed over the graph: coefficients per node, from the output
   * back, through each node's own back-substitution rule with the bounds the chain's state holds
   * for that node's input; a node read by several nodes gets the sum of their coefficients.
   */
  private static double[] graphBackSubstitution(NetworkGraph graph, NetworkGraph.Lowered lowered,
      BoundState state, double[][] objectives) {
    List<Node> nodes = graph.nodes();
    int count = nodes.size();
    double[] out = new double[objectives.length];
    for (int r = 0; r < objectives.length; r++) {
      double[][] coef = new double[count + 1][];
      coef[count] = objectives[r].clone();
      double constant = 0;
      double slack = 0;
      for (int k = count; k >= 1; k--) {
        if (coef[k] == null) {
          continue;
        }
        Node node = nodes.get(k - 1);
        Layer map = node.layer() != null ? node.layer() : node.join();
        double[] lo = new double[map.inputSize()];
        double[] hi = new double[map.inputSize()];
        if (node.layer() != null) {
          // the layer's input, at the front of the chain's vector just before it
          int before = lowered.locations().get(k).boundIndex() - 1;
          System.arraycopy(state.lower(before), 0, lo, 0, lo.length);
          System.arraycopy(state.upper(before), 0, hi, 0, hi.length);
        } else {
          int at = 0;
          for (int in : node.inputs()) {
            Location l = lowered.locations().get(in);
            System.arraycopy(state.lower(l.boundIndex()), l.offset(), lo, at, l.size());
            System.arraycopy(state.upper(l.boundIndex()), l.offset(), hi, at, l.size());
            at += l.size();
          }
        }
        SymbolicRows over = new SymbolicRows();
        over.reset(1, map.outputSize());
        System.arraycopy(coef[k], 0, over.coef(), 0, coef[k].length);
        SymbolicRows in = new SymbolicRows();
        map.backSubstitute(over, lo, hi, in);
        constant += in.constant()[0];
        slack += in.slack()[0];
        int at = 0;
        for (int input : node.inputs()) {
          int size = graph.size(input);
          if (coef[input] == null) {
            coef[input] = new double[size];
          }
          for (int i = 0; i < size; i++) {
            coef[input][i] += in.coef()[at + i];
          }
          at += size;
        }
      }
      double v = constant - slack;
      for (int i = 0; i < coef[0].length; i++) {
        double a = coef[0][i];
        v += Math.min(a * state.lower(0)[i], a * state.upper(0)[i]);
      }
      int last = state.size() - 1;
      double boxed = IntervalPass.bound(new double[][] {objectives[r]}, state.lower(last),
          state.upper(last))[0];
      out[r] = Math.max(v, boxed);
    }
    return out;
  }

  @Test
  void theCarriedInputKeepsReluMinusInputExact() {
    // y = relu(x) - x on [-1, 1] is max(0, -x): range [0, 1]. Intervals lose the correlation
    // ([-1, 2]); back-substitution through the carried x keeps it: the upper bound is exact.
    NetworkGraph graph = new NetworkGraph("skip", new int[] {1}, List.of(
        Node.layer("relu", 0, new dev.robustspec.engine.network.ReluLayer("relu", 1)),
        Node.join("sub", new int[] {1, 0}, new dev.robustspec.engine.network.SparseAffineLayer(
            "sub", "sub", 2, new int[] {0, 2}, new int[] {0, 1}, new double[] {1, -1},
            new double[] {0}))));
    Network net = graph.lower().network();
    Box box = new Box(new double[] {-1}, new double[] {1});
    double[][] both = {{1}, {-1}}; // lower bound of y, lower bound of -y
    double[] interval = new IntervalPass().run(new BoundState(net, box), both, Budget.unlimited());
    assertEquals(-1, interval[0], 1e-12);
    assertEquals(-2, interval[1], 1e-12);
    double[] dp = new DeepPolyPass().run(new BoundState(net, box), both, Budget.unlimited());
    assertEquals(-1, dp[1], 1e-12); // upper bound 1: exact
    assertTrue(dp[0] <= 0 && dp[0] >= -1 - 1e-12, Arrays.toString(dp));
    double[] lp = new LpPass().run(new BoundState(net, box), both, Budget.unlimited());
    assertEquals(0, lp[0], 1e-9); // the triangle is exact here: [0, 1]
    assertEquals(-1, lp[1], 1e-9);
  }
}
