package dev.robustspec.engine.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.Vnnlib2Reader;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ProductNetwork;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.Specification;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueryLoweringTest {
  private static final Path Q = Path.of("q.vnnlib");

  static QueryLowering.Lowered lower(String text, Map<String, Network> models)
      throws InputFormatException {
    return QueryLowering.lower(Vnnlib2Reader.read(text, Q), models);
  }

  /** The VNN-LIB 2 ACAS Xu files state exactly the VNN-COMP 1 files' unsafe cases. */
  @Test
  void acasXuVersion2FilesLowerToTheVersion1Cases() throws Exception {
    for (int k = 1; k <= 10; k++) {
      Specification v1 = VnnlibFiles.specification(
          TestData.benchmarks().resolve("acasxu/vnnlib/prop_" + k + ".vnnlib"));
      Specification v2 = QueryLowering.lower(Vnnlib2Reader.read(
          TestData.examples().resolve("acasxu/vnnlib2/prop_" + k + ".vnnlib")), null).spec();
      assertEquals(v1.inputSize(), v2.inputSize(), "prop " + k);
      assertEquals(v1.outputSize(), v2.outputSize(), "prop " + k);
      assertEquals(v1.cases(), v2.cases(), "prop " + k);
    }
  }

  @Test
  void productNetworkEqualsTheNetworksEvaluatedSeparately() {
    SplittableRandom r = new SplittableRandom(8);
    for (int trial = 0; trial < 30; trial++) {
      int n = 2 + r.nextInt(3);
      Network a = RandomNets.dense(r, new int[] {n, 4, 3}, false);
      Network b = RandomNets.dense(r, new int[] {n, 5, 6, 4, 2}, false); // deeper: carries a
      Network c = RandomNets.dense(r, new int[] {n, 3}, false); // no ReLU at all
      List<Network> lanes = List.of(a, b, c);
      // a and b share their inputs; c reads them reversed
      int[] map = new int[3 * n];
      for (int i = 0; i < n; i++) {
        map[i] = i;
        map[n + i] = i;
        map[2 * n + i] = n - 1 - i;
      }
      Network p = ProductNetwork.of("p", lanes, map, n);
      Box box = RandomNets.box(r, n, 2.0);
      for (int s = 0; s < 50; s++) {
        double[] x = RandomNets.point(r, box);
        double[] want = ProductNetwork.evaluateSeparately(lanes, map, x);
        double[] got = p.evaluate(x);
        assertEquals(want.length, got.length);
        for (int j = 0; j < want.length; j++) {
          assertEquals(want[j], got[j], 1e-12 * (1 + Math.abs(want[j])), "trial " + trial);
        }
      }
      // DeepPoly on the product contains every sampled output
      var bounds = new dev.robustspec.engine.relax.BoundState(p, box);
      new DeepPolyPass().run(bounds, new double[0][], dev.robustspec.engine.base.Budget.unlimited());
      double[] lo = bounds.lower(p.layers().size());
      double[] hi = bounds.upper(p.layers().size());
      for (int s = 0; s < 50; s++) {
        double[] y = p.evaluate(RandomNets.point(r, box));
        for (int j = 0; j < y.length; j++) {
          assertTrue(lo[j] <= y[j] && y[j] <= hi[j]);
        }
      }
    }
  }

  @Test
  void tighteningByInputConstraintsIsSound() {
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      int n = 2 + r.nextInt(4);
      Box box = RandomNets.box(r, n, 4.0);
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = r.nextInt(4) == 0 ? 0 : RandomNets.gaussian(r);
      }
      double[] centre = RandomNets.point(r, box);
      double b = 0;
      for (int i = 0; i < n; i++) {
        b += a[i] * centre[i];
      }
      InputConstraint c = new InputConstraint(a, b);
      double[] lo = box.lower().clone();
      double[] hi = box.upper().clone();
      c.tighten(lo, hi);
      if (trial % 10 == 0) {
        CaseLowering.lpTighten(lo, hi, List.of(c)); // the LP refinement is sound too
      }
      for (int s = 0; s < 400; s++) {
        double[] x = RandomNets.point(r, box);
        if (c.holdsExactlyAt(x)) {
          for (int i = 0; i < n; i++) {
            assertTrue(lo[i] <= x[i] && x[i] <= hi[i], "trial " + trial);
          }
        }
      }
    }
  }

  @Test
  void generalInputConstraintsTightenTheBoxAndStayInTheCase() throws Exception {
    var l = lower("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2])"
        + " (declare-output Y Real []))\n(assert (>= X[0] 0)) (assert (<= X[0] 10))"
        + " (assert (>= X[1] 0)) (assert (<= X[1] 10))\n(assert (<= (+ X[0] X[1]) 4))"
        + " (assert (>= Y 1))", null);
    var c = l.spec().cases().get(0);
    assertTrue(c.region().upper()[0] < 4.001 && c.region().upper()[0] >= 4);
    assertEquals(1, c.inputConstraints().size());
    assertFalse(c.isViolatedBy(new double[] {3, 3}, new double[] {5}), "outside the polytope");
    assertTrue(c.isViolatedBy(new double[] {2, 2}, new double[] {5}));
  }

  @Test
  void equatedInputsOfTwoNetworksBecomeOneEngineInput() throws Exception {
    Network net = RandomNets.dense(new SplittableRandom(1), new int[] {2, 3, 1}, false);
    var l = lower("(vnnlib-version <2.0>)\n"
        + "(declare-network f (declare-input A Real [2]) (declare-output B Real [1]))\n"
        + "(declare-network g (equal-to f) (declare-input C Real [2]) (declare-output D Real [1]))"
        + "\n(assert (and (>= A[0] 0) (<= A[0] 1) (>= A[1] 0) (<= A[1] 1)))\n"
        + "(assert (== A[0] C[0])) (assert (<= A[1] C[1])) (assert (>= A[1] C[1]))\n"
        + "(assert (> (- B[0] D[0]) 0.001))", Map.of("f", net));
    assertEquals(2, l.spec().inputSize());
    assertArrayEquals(new int[] {0, 1}, l.laneInputMap(), "the copy shares the first lane");
    // one network against itself on the same inputs: one lane of the product serves both, so
    // B - D is the zero row and even DeepPoly proves it on the whole box
    assertEquals(1, l.spec().outputSize());
    assertEquals(2, l.lanes().size(), "both networks are still replayed on their own");
    var v = new dev.robustspec.engine.verify.Verifier(l.network()).verify(l.spec(),
        new dev.robustspec.engine.verify.Verifier.Plan(List.of(new DeepPolyPass()), 1),
        dev.robustspec.engine.base.Budget.unlimited());
    assertTrue(v.verdict() instanceof dev.robustspec.engine.verify.Verdict.Certified,
        v.verdict().toString());
  }

  @Test
  void unsupportedConstructsNameTheirTheoryAndPlace() throws Exception {
    var poly = assertThrows(InputFormatException.class, () -> Vnnlib2Reader.read(
        "(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2])"
            + " (declare-output Y Real [1]))\n(assert (<= (* X[0] X[1]) 10.0))", Q));
    assertEquals(3, poly.line());
    assertEquals(13, poly.column());
    assertTrue(poly.problem().contains("POLY"), poly.problem());
    var f32 = assertThrows(InputFormatException.class, () -> lower(
        "(vnnlib-version <2.0>)\n(declare-network f (declare-input X float32 [1])"
            + " (declare-output Y float32 [1]))\n(assert (<= X[0] 1))", null));
    assertTrue(f32.problem().contains("float32"), f32.problem());
  }

  @Test
  void linearisationMatchesTheStandardsExpectations() throws Exception {
    var q = Vnnlib2Reader.read("(vnnlib-version <2.0>)\n(declare-network t (declare-input X Real"
        + " [3]) (declare-output Y Real []))\n"
        + "(assert (<= (- (+ X[1] 5.0) (+ X[0] 2.0)) 0.0))\n"
        + "(assert (<= (+ (* 2.0 (* X[0] 3.0)) 2.0) 20.0))\n"
        + "(assert (>= (+ (- 10.0 X[1]) (- X[2] X[0])) 0.0))\n"
        + "(assert (<= (- X[0] X[1] X[2]) 0.0))", Q);
    // X[1] - X[0] + 3 <= 0
    assertAtom(q, 0, new int[] {0, 1}, new double[] {-1, 1}, -3);
    // 6 X[0] + 2 <= 20
    assertAtom(q, 1, new int[] {0}, new double[] {6}, 18);
    // 10 - X[1] + X[2] - X[0] >= 0  ->  X[0] + X[1] - X[2] <= 10
    assertAtom(q, 2, new int[] {0, 1, 2}, new double[] {1, 1, -1}, 10);
    assertAtom(q, 3, new int[] {0, 1, 2}, new double[] {1, -1, -1}, 0);
  }

  private static void assertAtom(VnnlibQuery q, int id, int[] slots, double[] coefs,
      double bound) {
    VnnlibQuery.Atom a = q.atoms().get(id);
    assertArrayEquals(slots, a.slots());
    assertArrayEquals(coefs, a.coefs());
    assertEquals(bound, a.bound());
  }

  @Test
  void acasNetworkReadsWithItsDeclaredShapes() throws Exception {
    Network net = OnnxReader.read(TestData.examples().resolve(
        "acasxu/ACASXU_run2a_1_1_batch_2000.onnx"));
    var l = QueryLowering.lower(Vnnlib2Reader.read(TestData.examples().resolve(
        "acasxu/vnnlib2/prop_1.vnnlib")), Map.of("acasxu", net));
    assertTrue(l.network() == net, "one network and no merged inputs: the model itself");
  }
  @Test
  void counterexamplesAreReplayedInDoubleAndFloat32() throws Exception {
    // y = (1 + 2^-30) x: in float32 the weight rounds to 1, so y >= 1 + 2^-31 holds at x = 1
    // in double but not in float32
    double w = 1 + Math.scalb(1.0, -30);
    Network net = new Network("w", new int[] {1}, List.of(new dev.robustspec.engine.network
        .DenseLayer("d", 1, 1, new double[] {w}, new double[] {0})));
    String bound = Double.toString(1 + Math.scalb(1.0, -31));
    var l = lower("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [1])"
        + " (declare-output Y Real [1]))\n(assert (>= X[0] 0.5)) (assert (<= X[0] 1))"
        + " (assert (>= Y[0] " + bound + "))", Map.of("f", net));
    Replay.Result r = Replay.check(l, new double[] {1.0}, 0);
    assertFalse(r.confirmed());
    assertTrue(r.reason().contains("not in float32 evaluation"), r.reason());
    // a point that violates in both arithmetics is confirmed, with the double outputs
    var l2 = lower("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [1])"
        + " (declare-output Y Real [1]))\n(assert (>= X[0] 0.5)) (assert (<= X[0] 1))"
        + " (assert (>= Y[0] 0.75))", Map.of("f", net));
    Replay.Result ok = Replay.check(l2, new double[] {0.9}, 0);
    assertTrue(ok.confirmed());
    assertEquals((float) 0.9 * w, ok.values()[1], 0.0);
    // strict comparisons are replayed strictly: y = w at x = 1 is not > w
    var l3 = lower("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [1])"
        + " (declare-output Y Real [1]))\n(assert (>= X[0] 0.5)) (assert (<= X[0] 1))"
        + " (assert (> Y[0] " + Double.toString(w) + "))", Map.of("f", net));
    assertFalse(Replay.check(l3, new double[] {1.0}, 0).confirmed());
    // a violation smaller than the rounding error is not certain in real arithmetic
    Network id = new Network("id", new int[] {1}, List.of(new dev.robustspec.engine.network
        .DenseLayer("d", 1, 1, new double[] {0.1}, new double[] {0})));
    var l4 = lower("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [1])"
        + " (declare-output Y Real [1]))\n(assert (>= X[0] 0.5)) (assert (<= X[0] 1))"
        + " (assert (>= Y[0] " + Double.toString(0.1 * 0.5) + "))", Map.of("f", id));
    // 0.1 * 0.5 in double equals the bound, but the exact product of the stored doubles is
    // larger or smaller: the exact replay decides, the double evaluation cannot
    Replay.Result edge = Replay.check(l4, new double[] {0.5}, 0);
    boolean exactHolds = new java.math.BigDecimal(0.1).multiply(new java.math.BigDecimal(0.5))
        .compareTo(new java.math.BigDecimal(0.1 * 0.5)) >= 0;
    assertEquals(exactHolds, Replay.satisfiesExactly(l4.query(), new java.math.BigDecimal[] {
        new java.math.BigDecimal(0.5), new java.math.BigDecimal(0.1).multiply(
            new java.math.BigDecimal(0.5))}));
    if (!exactHolds) {
      assertFalse(edge.confirmed());
      assertTrue(edge.reason().contains("not in exact (real) arithmetic"), edge.reason());
    }
  }

  /** The radius of a rounded evaluation contains the exact value (BigDecimal reference). */
  @Test
  void roundedEvaluationRadiusContainsTheExactValue() {
    SplittableRandom r = new SplittableRandom(21);
    for (int trial = 0; trial < 40; trial++) {
      Network net = RandomNets.dense(r, new int[] {3, 6, 5, 2}, trial % 2 == 0);
      double[] x = new double[3];
      for (int i = 0; i < 3; i++) {
        x[i] = (float) (r.nextDouble() * 2 - 1);
      }
      java.math.BigDecimal[] exact = exactForward(net, x);
      for (boolean f32 : new boolean[] {false, true}) {
        var res = dev.robustspec.engine.network.RoundedEvaluation.evaluate(net, x, f32);
        for (int j = 0; j < exact.length; j++) {
          java.math.BigDecimal diff = exact[j].subtract(new java.math.BigDecimal(
              res.values()[j])).abs();
          assertTrue(diff.compareTo(new java.math.BigDecimal(res.radius()[j])) <= 0,
              "trial " + trial + " f32=" + f32 + " out " + j);
        }
      }
    }
  }

  /** The network in exact arithmetic (weights as the doubles they are). */
  private static java.math.BigDecimal[] exactForward(Network net, double[] x) {
    java.math.BigDecimal[] v = new java.math.BigDecimal[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = new java.math.BigDecimal(x[i]);
    }
    for (var layer : net.layers()) {
      if (layer instanceof dev.robustspec.engine.network.DenseLayer d) {
        java.math.BigDecimal[] y = new java.math.BigDecimal[d.outputSize()];
        for (int o = 0; o < y.length; o++) {
          java.math.BigDecimal s = new java.math.BigDecimal(d.bias()[o]);
          for (int c = 0; c < d.inputSize(); c++) {
            s = s.add(new java.math.BigDecimal(d.weights()[o * d.inputSize() + c])
                .multiply(v[c]));
          }
          y[o] = s;
        }
        v = y;
      } else if (layer instanceof dev.robustspec.engine.network.ElementwiseAffineLayer e) {
        java.math.BigDecimal[] y = new java.math.BigDecimal[v.length];
        for (int i = 0; i < y.length; i++) {
          y[i] = v[i].multiply(new java.math.BigDecimal(e.scale()[i]))
              .add(new java.math.BigDecimal(e.shift()[i]));
        }
        v = y;
      } else if (layer instanceof dev.robustspec.engine.network.ReluLayer) {
        java.math.BigDecimal[] y = new java.math.BigDecimal[v.length];
        for (int i = 0; i < y.length; i++) {
          y[i] = v[i].signum() > 0 ? v[i] : java.math.BigDecimal.ZERO;
        }
        v = y;
      }
    }
    return v;
  }
  /** Theory MNC: an input compared with an output of the same network (y = 2x on [0, 1]). */
  @Test
  void inputsComparedWithOutputs() throws Exception {
    Network net = new Network("two", new int[] {1}, List.of(new dev.robustspec.engine.network
        .DenseLayer("d", 1, 1, new double[] {2}, new double[] {0})));
    String head = "(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [1])"
        + " (declare-output Y Real [1]))\n(assert (>= X[0] 0)) (assert (<= X[0] 1))\n";
    // 2x <= x - 0.1 has no solution on [0, 1]
    var none = lower(head + "(assert (<= Y[0] (- X[0] 0.1)))", Map.of("f", net));
    assertEquals(2, none.spec().outputSize(), "Y and a copy of X");
    var v = new dev.robustspec.engine.verify.Verifier(none.network()).verify(none.spec(),
        new dev.robustspec.engine.verify.Verifier.Plan(List.of(new DeepPolyPass()), 1),
        dev.robustspec.engine.base.Budget.unlimited());
    assertTrue(v.verdict() instanceof dev.robustspec.engine.verify.Verdict.Certified,
        v.verdict().toString());
    // 2x >= x + 0.25 holds for x >= 0.25: found, and replayed against the query
    var some = lower(head + "(assert (>= Y[0] (+ X[0] 0.25)))", Map.of("f", net));
    var w = new dev.robustspec.engine.verify.Verifier(some.network()).verify(some.spec(),
        new dev.robustspec.engine.verify.Verifier.Plan(List.of(new DeepPolyPass()), 1),
        dev.robustspec.engine.base.Budget.unlimited());
    var f = (dev.robustspec.engine.verify.Verdict.Falsified) w.verdict();
    Replay.Result r = Replay.check(some, f.input(), f.caseIndex());
    assertTrue(r.confirmed(), String.valueOf(r.reason()));
    assertTrue(r.values()[0] >= 0.25 && r.values()[1] == 2 * r.values()[0]);
  }
  @Test
  void lpTighteningSeesWhatIntervalPropagationCannot() {
    // x + y <= 1 and x - y <= 0 on [-10, 10]^2: x <= 0.5, which no single row shows
    double[] lo = {-10, -10};
    double[] hi = {10, 10};
    List<InputConstraint> rows = List.of(new InputConstraint(new double[] {1, 1}, 1),
        new InputConstraint(new double[] {1, -1}, 0));
    for (InputConstraint c : rows) {
      c.tighten(lo, hi);
    }
    assertEquals(10, hi[0]);
    CaseLowering.lpTighten(lo, hi, rows);
    assertTrue(hi[0] >= 0.5 && hi[0] < 0.5 + 1e-9, "x <= " + hi[0]);
  }
}
