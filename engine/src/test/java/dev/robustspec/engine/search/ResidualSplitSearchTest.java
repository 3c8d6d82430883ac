package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomGraphs;
import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.network.NetworkGraph.Node;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ReLU-splitting branch and bound on random residual graphs (lowered to chains, the skip values
 * carried past ReLUs) against the exact answer by grid enumeration plus a Lipschitz margin
 * computed over the graph: never a wrong verdict, and the ReLUs inside carried layers are split
 * (most cases are decided).
 */
class ResidualSplitSearchTest {

  /** An L-infinity Lipschitz constant of {@code c . f} over the graph, node by node. */
  static double lipschitz(NetworkGraph graph, double[] c) {
    int count = graph.nodes().size();
    double[] l = new double[count + 1];
    l[0] = 1;
    for (int k = 1; k <= count; k++) {
      Node node = graph.nodes().get(k - 1);
      Layer map = node.layer() != null ? node.layer() : node.join();
      double[] source = new double[map.inputSize()];
      int at = 0;
      for (int in : node.inputs()) {
        for (int j = 0; j < graph.size(in); j++) {
          source[at++] = l[in];
        }
      }
      if (map.isActivation()) { // ReLU: 1-Lipschitz per element
        double m = 0;
        for (double v : source) {
          m = Math.max(m, v);
        }
        l[k] = m;
        continue;
      }
      double[] zero = map.evaluate(new double[map.inputSize()]);
      double[] rowSum = new double[map.outputSize()];
      for (int j = 0; j < map.inputSize(); j++) {
        double[] e = new double[map.inputSize()];
        e[j] = 1;
        double[] col = map.evaluate(e);
        for (int i = 0; i < rowSum.length; i++) {
          rowSum[i] += Math.abs(col[i] - zero[i]) * source[j];
        }
      }
      double m = 0;
      for (double v : rowSum) {
        m = Math.max(m, v);
      }
      l[k] = m;
    }
    double sum = 0;
    for (double v : c) {
      sum += Math.abs(v);
    }
    return sum * l[count] * (1 + 1e-9);
  }

  @Test
  void neverAWrongVerdictAgainstGridEnumeration() {
    SplittableRandom random = new SplittableRandom(20261202L);
    int trials = 200;
    int decided = 0;
    for (int t = 0; t < trials; t++) {
      int inputs = 1 + random.nextInt(2);
      NetworkGraph graph = RandomGraphs.residual(random, inputs, 3 + random.nextInt(6), false);
      Network net = graph.lower().network();
      Box box = RandomNets.box(random, inputs, 2.0);
      List<double[]> grid = BranchAndBoundTest.grid(box);
      double[] c = RandomNets.gaussianRow(random, net.outputSize());
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] x : grid) {
        double v = RandomNets.dot(c, graph.evaluate(x));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      double step = 0;
      for (int i = 0; i < inputs; i++) {
        step = Math.max(step, (box.upper()[i] - box.lower()[i]) / 199);
      }
      double slack = lipschitz(graph, c) * step / 2 + 1e-12;
      double spread = Math.max(max - min, 1e-3);
      boolean wantHolds = t % 2 == 0;
      double d = wantHolds ? min - slack - random.nextDouble() * 0.3 * spread
          : min + random.nextDouble() * 0.3 * spread;
      UnsafeCase unsafeCase = new UnsafeCase(box, List.of(new OutputConstraint(c, d)));
      BranchAndBound.Outcome outcome = new ReluSplitSearch(net).run(unsafeCase, 0,
          new ReluSplitSearch.Options(5000, 20_000, t % 3 == 0 ? 0 : 10, 1 + t % 2),
          Budget.of(Duration.ofSeconds(20)));
      switch (outcome.status()) {
        case PROVEN -> {
          assertTrue(wantHolds, "proved a case with a violating grid point, trial " + t);
          decided++;
        }
        case FALSIFIED -> {
          double[] x = outcome.counterexample().input();
          assertTrue(unsafeCase.isViolatedBy(x, graph.evaluate(x)),
              "counterexample not confirmed on the graph, trial " + t);
          assertFalse(wantHolds, "counterexample to a property that holds, trial " + t);
          decided++;
        }
        case UNKNOWN -> { }
      }
    }
    assertTrue(decided >= trials * 3 / 4, decided + " of " + trials + " decided");
  }
}
