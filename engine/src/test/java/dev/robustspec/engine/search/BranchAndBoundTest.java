package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Branch and bound against the exact answer on small random nets (dense grid enumeration plus a
 * Lipschitz margin), and against VNN-COMP's known answers on ACAS Xu.
 */
class BranchAndBoundTest {

  private static final int GRID = 200;

  @Test
  void agreesWithGridEnumerationOnSmallRandomNets() {
    SplittableRandom random = new SplittableRandom(20240611L);
    int checked = 0;
    int decided = 0;
    int ambiguous = 0;
    int trials = 120;
    for (int t = 0; t < trials; t++) {
      int inputs = 1 + random.nextInt(2);
      int outputs = 1 + random.nextInt(3);
      int[] widths = random.nextBoolean()
          ? new int[] {inputs, 4 + random.nextInt(8), outputs}
          : new int[] {inputs, 4 + random.nextInt(8), 4 + random.nextInt(8), outputs};
      Network net = RandomNets.dense(random, widths, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      // one or two constraints c . y <= d, d placed near the grid minimum of c . y
      int m = 1 + random.nextInt(2);
      List<double[]> grid = grid(box);
      List<OutputConstraint> constraints = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        double[] c = RandomNets.gaussianRow(random, outputs);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] x : grid) {
          double v = RandomNets.dot(c, net.evaluate(x));
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        double spread = Math.max(max - min, 1e-3);
        constraints.add(new OutputConstraint(c, min + (random.nextDouble() - 0.6) * spread));
      }
      UnsafeCase unsafeCase = new UnsafeCase(box, constraints);

      // exact answer: violation v(x) = max_j (c_j . y - d_j); the case is empty iff v > 0
      double step = 0;
      for (int i = 0; i < inputs; i++) {
        step = Math.max(step, (box.upper()[i] - box.lower()[i]) / (GRID - 1));
      }
      double lipschitz = 0;
      for (OutputConstraint oc : constraints) {
        lipschitz = Math.max(lipschitz, lipschitz(net, oc.coefficients()));
      }
      boolean violated = false;
      double minViolation = Double.POSITIVE_INFINITY;
      for (double[] x : grid) {
        double v = CounterexampleSearch.violation(constraints, net.evaluate(x));
        minViolation = Math.min(minViolation, v);
        violated |= v <= 0;
      }
      // every point of the box is within step/2 (max-norm) of a grid point
      boolean holds = !violated && minViolation > lipschitz * step / 2 * (1 + 1e-9) + 1e-12;

      // every bounding strategy in turn, each with refining every 1st, 2nd and 3rd depth
      // (t / 3, so DeepPoly, the one mode that skips refinement, meets all three), each with
      // and without alpha-CROWN on every open box (t / 9): each must be sound and decide as often
      BranchAndBound.Bounding bounding =
          BranchAndBound.Bounding.values()[t % BranchAndBound.Bounding.values().length];
      BranchAndBound.Outcome outcome = new BranchAndBound(net, bounding).run(unsafeCase, 0,
          new BranchAndBound.Options(30, 200_000, 0, 1, 1 + (t / 3) % 3, (t / 9) % 2 * 5,
              Integer.MAX_VALUE),
          Budget.of(Duration.ofSeconds(20)));
      switch (outcome.status()) {
        case PROVEN -> {
          assertTrue(!violated, "bab proved a case with a violating grid point, trial " + t);
          assertTrue(outcome.margin() > 0);
        }
        case FALSIFIED -> {
          Counterexample cex = outcome.counterexample();
          assertTrue(box.contains(cex.input()));
          assertTrue(unsafeCase.isViolatedBy(cex.input(), net.evaluate(cex.input())),
              "counterexample not confirmed, trial " + t);
          assertTrue(!holds, "counterexample to a property that holds, trial " + t);
        }
        case UNKNOWN -> { }
      }
      if (!violated && !holds) {
        ambiguous++;
        continue;
      }
      checked++;
      if ((outcome.status() == BranchAndBound.Outcome.Status.PROVEN && holds)
          || (outcome.status() == BranchAndBound.Outcome.Status.FALSIFIED && violated)) {
        decided++;
      }
    }
    assertTrue(checked >= trials * 3 / 4, "too many ambiguous instances: " + ambiguous);
    assertTrue(decided >= checked * 9 / 10, "bab decided " + decided + " of " + checked);
  }

  @ParameterizedTest(name = "ACAS Xu {0} prop {1}")
  @CsvSource({"1_1, 3", "1_1, 5"})
  void alphaOnOpenBoxesClosesThemSooner(String net, int prop) throws InputFormatException {
    var b = TestData.benchmarks();
    Network network = OnnxReader.read(
        b.resolve("acasxu/onnx/ACASXU_run2a_" + net + "_batch_2000.onnx"));
    UnsafeCase unsafeCase = VnnlibFiles.specification(
        b.resolve("acasxu/vnnlib/prop_" + prop + ".vnnlib")).cases().get(0);
    long[] boxes = new long[2];
    for (int a = 0; a < 2; a++) {
      // one thread: the box count of a run is then a property of the options alone
      BranchAndBound.Outcome o = new BranchAndBound(network, BranchAndBound.Bounding.DEEPPOLY, 1)
          .run(unsafeCase, 0, new BranchAndBound.Options(100, 10_000_000, 0, 0,
              BranchAndBound.DEFAULT_REFINE_EVERY, a * 5, 20), Budget.of(Duration.ofSeconds(60)));
      assertEquals(BranchAndBound.Outcome.Status.PROVEN, o.status());
      assertTrue(o.margin() > 0);
      boxes[a] = o.boxes();
    }
    assertTrue(boxes[1] < boxes[0], "boxes with alpha " + boxes[1] + ", without " + boxes[0]);
  }

  @Test
  void halvesCoverTheParentExactly() {
    double lo = 0.1;
    double hi = 0.1 + 3 * Math.ulp(0.1);
    double mid = BoxSplit.midpoint(lo, hi);
    assertTrue(lo < mid && mid < hi);
    // two adjacent doubles: the midpoint is one of them, so BoxSplit.dimension refuses to split
    double adjacent = BoxSplit.midpoint(lo, Math.nextUp(lo));
    assertTrue(adjacent == lo || adjacent == Math.nextUp(lo));
    double big = BoxSplit.midpoint(-Double.MAX_VALUE, Double.MAX_VALUE);
    assertTrue(Double.isFinite(big) && big >= -Double.MAX_VALUE && big <= Double.MAX_VALUE);
  }

  @ParameterizedTest(name = "ACAS Xu {0} prop {1}: {2}")
  @CsvSource({"1_1, 3, holds", "1_1, 4, holds", "2_1, 2, violated"})
  void decidesAcasXu(String net, int prop, String expected) throws InputFormatException {
    var b = TestData.benchmarks();
    Network network = OnnxReader.read(
        b.resolve("acasxu/onnx/ACASXU_run2a_" + net + "_batch_2000.onnx"));
    Specification spec = VnnlibFiles.specification(b.resolve("acasxu/vnnlib/prop_" + prop + ".vnnlib"));
    Verifier.Plan plan = new Verifier.Plan(List.of(
        new PlanStep.Search(CounterexampleSearch.Options.quick(0), null),
        new PlanStep.Relax(new IntervalPass(), null),
        new PlanStep.Relax(new DeepPolyPass(), null),
        new PlanStep.Branch(BranchAndBound.Options.defaults(0), null)));
    VerificationResult result = new Verifier(network).verify(spec, plan,
        Budget.of(Duration.ofSeconds(30)));
    assertEquals(expected, result.verdict().word(), () -> result.verdict().toString());
    if (result.verdict() instanceof Verdict.Falsified f) {
      UnsafeCase c = spec.cases().get(f.caseIndex());
      assertTrue(c.isViolatedBy(f.input(), network.evaluate(f.input())));
    } else {
      assertInstanceOf(Verdict.Certified.class, result.verdict());
      for (double margin : result.caseMargins()) {
        assertTrue(margin > 0);
      }
    }
  }

  static List<double[]> grid(Box box) {
    List<double[]> points = new ArrayList<>();
    int n = box.dimension();
    int total = n == 1 ? GRID : GRID * GRID;
    for (int k = 0; k < total; k++) {
      double[] x = new double[n];
      int rest = k;
      for (int i = 0; i < n; i++) {
        int g = rest % GRID;
        rest /= GRID;
        double lo = box.lower()[i];
        double hi = box.upper()[i];
        x[i] = g == GRID - 1 ? hi : Math.min(hi, lo + (hi - lo) * g / (GRID - 1));
      }
      points.add(x);
    }
    return points;
  }

  /** A Lipschitz constant of {@code x -> c . N(x)} in the max-norm: ||c||_1 prod ||W||_inf. */
  static double lipschitz(Network net, double[] c) {
    double l = 0;
    for (double v : c) {
      l += Math.abs(v);
    }
    for (Layer layer : net.layers()) {
      if (layer instanceof DenseLayer d) {
        double norm = 0;
        int in = d.inputSize();
        for (int o = 0; o < d.outputSize(); o++) {
          double row = 0;
          for (int i = 0; i < in; i++) {
            row += Math.abs(d.weights()[o * in + i]);
          }
          norm = Math.max(norm, row);
        }
        l *= norm;
      } else if (layer instanceof ElementwiseAffineLayer e) {
        double norm = 0;
        for (double s : e.scale()) {
          norm = Math.max(norm, Math.abs(s));
        }
        l *= norm;
      }
    }
    return l;
  }
}
