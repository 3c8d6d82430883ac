package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.ExactChecks;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
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
import dev.robustspec.engine.verify.Verifier;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The one counterexample check: the regression cases of issue 12 (points that violate a
 * property only in double precision, or only when a strict comparison is closed, are never
 * reported), and over 300 seeded adversarial cases no reported counterexample fails an
 * independent exact check.
 */
class CounterexampleCheckTest {

  static Network net(List<Layer> layers, int inputs) {
    return new Network("t", new int[] {inputs}, layers);
  }

  /** Every plan shape a search runs in: attack alone, relaxations between attacks, bab. */
  static List<Verifier.Plan> plans() {
    return List.of(new Verifier.Plan(List.of(), 0),
        new Verifier.Plan(List.of(new IntervalPass(), new DeepPolyPass()), 0),
        new Verifier.Plan(List.of(new PlanStep.Branch(
            new BranchAndBound.Options(12, 2_000, 5, 0), null))));
  }

  static Verdict verify(Network net, Specification spec, Verifier.Plan plan) {
    return new Verifier(net).verify(spec, plan, Budget.of(Duration.ofSeconds(20))).verdict();
  }

  // y = relu(x + 2^-60) on [1, 2]: y >= 1 + 2^-60 > 1 everywhere, but double rounds y(1) to 1
  static final Network SHIFTED_RELU = net(List.of(
      new DenseLayer("d", 1, 1, new double[] {1}, new double[] {0x1p-60}),
      new ReluLayer("r", 1)), 1);

  @Test
  void reluShiftedBelowRoundingIsNeverViolated() {
    UnsafeCase unsafe = new UnsafeCase(new Box(new double[] {1}, new double[] {2}),
        List.of(new OutputConstraint(new double[] {1}, 1)));
    // the double pass alone would accept x = 1: the test exercises the exact check
    assertTrue(unsafe.isViolatedBy(new double[] {1}, SHIFTED_RELU.evaluate(new double[] {1})));
    assertNull(new CounterexampleCheck(SHIFTED_RELU).confirm(unsafe, 0, new double[] {1}));
    Specification spec = new Specification(1, 1, List.of(unsafe));
    for (Verifier.Plan plan : plans()) {
      Verdict v = verify(SHIFTED_RELU, spec, plan);
      assertFalse(v instanceof Verdict.Falsified, "falsified by " + plan);
      Verdict.Unknown u = assertInstanceOf(Verdict.Unknown.class, v);
      assertTrue(u.reason().contains("only in double precision"), u.reason());
    }
  }

  @Test
  void realViolationsAreConfirmedAndSayHow() {
    CounterexampleCheck check = new CounterexampleCheck(SHIFTED_RELU);
    Box box = new Box(new double[] {1}, new double[] {2});
    // y(1) = 1 + 2^-60 >= 1: real, but double computes exactly 1, within its rounding radius,
    // so only exact arithmetic can tell
    Counterexample tight = check.confirm(new UnsafeCase(box,
        List.of(new OutputConstraint(new double[] {-1}, -1))), 0, new double[] {1});
    assertNotNull(tight);
    assertEquals(CounterexampleCheck.Method.EXACT, tight.check().method());
    // y(1) <= 1.5 by far: the enclosure decides
    Counterexample easy = check.confirm(new UnsafeCase(box,
        List.of(new OutputConstraint(new double[] {1}, 1.5))), 0, new double[] {1});
    assertEquals(CounterexampleCheck.Method.ENCLOSURE, easy.check().method());
    assertTrue(easy.check().float32Violates());
    assertArrayEquals1(1.0, easy.check().float32Output());
    // y(1) > 1 strictly: true in real arithmetic (a counterexample), but float32 computes 1,
    // which does not violate: reported beside it, not deciding
    Counterexample strict = check.confirm(new UnsafeCase(box,
        List.of(new OutputConstraint(new double[] {-1}, -1, true))), 0, new double[] {1});
    assertNotNull(strict);
    assertEquals(CounterexampleCheck.Method.EXACT, strict.check().method());
    assertFalse(strict.check().float32Violates());
    // y(1) < 1 strictly: false in real arithmetic, whatever double says
    assertNull(check.confirm(new UnsafeCase(box,
        List.of(new OutputConstraint(new double[] {1}, 1, true))), 0, new double[] {1}));
  }

  private static void assertArrayEquals1(double expected, double[] actual) {
    assertEquals(1, actual.length);
    assertEquals(expected, actual[0]);
  }

  @Test
  void pointBoxRoundedAcrossTheThresholdIsNotViolated() {
    // y = x0 + ... + x12 on a point, one addition per layer (so in this order whatever order a
    // layer sums its row in): twelve additions of just over half an ulp each round up, so
    // double computes about 12 * 2^-15 = 3.7e-4 too much and crosses the threshold
    int n = 13;
    List<Layer> layers = new ArrayList<>();
    for (int in = n; in > 1; in--) {
      // out0 = in0 + in1, out_i = in_(i+1)
      double[] w = new double[(in - 1) * in];
      w[0] = 1;
      w[1] = 1;
      for (int i = 1; i < in - 1; i++) {
        w[i * in + i + 1] = 1;
      }
      layers.add(new DenseLayer("add" + in, in, in - 1, w, new double[in - 1]));
    }
    Network sum = net(layers, n);
    double e = 0x1p-15 + 0x1p-40;
    double[] x = new double[n];
    Arrays.fill(x, e);
    x[0] = 281077980252.5555;
    double threshold = 281077980252.556213;
    BigDecimal exact = ExactChecks.exactObjective(sum, new double[] {1}, x);
    assertTrue(exact.compareTo(new BigDecimal(threshold)) < 0, "exact " + exact);
    assertTrue(exact.toPlainString().startsWith("281077980252.5558"), exact.toPlainString());
    assertTrue(sum.evaluate(x)[0] >= threshold, "double " + sum.evaluate(x)[0]);
    // property y < threshold; unsafe: y >= threshold, i.e. -y <= -threshold
    UnsafeCase unsafe = new UnsafeCase(new Box(x, x),
        List.of(new OutputConstraint(new double[] {-1}, -threshold)));
    Specification spec = new Specification(n, 1, List.of(unsafe));
    for (Verifier.Plan plan : plans()) {
      Verdict v = verify(sum, spec, plan);
      assertFalse(v instanceof Verdict.Falsified, "falsified by " + plan);
    }
  }

  @Test
  void vnnlibStrictGreaterAtEqualityIsNotViolated() throws InputFormatException {
    // y = 3x on [0, 0.5]: max 1.5 exactly at x = 0.5, so (> Y_0 1.5) is unsatisfiable
    Network triple = net(List.of(new DenseLayer("d", 1, 1, new double[] {3}, new double[] {0})),
        1);
    String text = """
        (declare-const X_0 Real)
        (declare-const Y_0 Real)
        (assert (>= X_0 0))
        (assert (<= X_0 0.5))
        (assert (> Y_0 1.5))
        """;
    Specification strict = VnnlibFiles.specification(text, Path.of("strict.vnnlib"));
    OutputConstraint c = strict.cases().get(0).constraints().get(0);
    assertTrue(c.strict());
    assertEquals(new OutputConstraint(new double[] {-1}, -1.5, true), c);
    for (Verifier.Plan plan : plans()) {
      assertFalse(verify(triple, strict, plan) instanceof Verdict.Falsified, plan.toString());
    }
    // the closed form (>= Y_0 1.5) is violated at x = 0.5, and that counterexample is real
    Specification closed = VnnlibFiles.specification(text.replace("(> Y_0", "(>= Y_0"),
        Path.of("closed.vnnlib"));
    assertFalse(closed.cases().get(0).constraints().get(0).strict());
    Verdict v = verify(triple, closed, plans().get(0));
    Verdict.Falsified f = assertInstanceOf(Verdict.Falsified.class, v);
    assertEquals(0.5, f.input()[0]);
    assertTrue(f.check().float32Violates());
  }

  /**
   * 300 seeded adversarial cases (weights 1e-6..1e3, near-cancelling neurons, boxes from a point
   * to 1e4 wide, thresholds within 3 ulps of the best exact value found): every reported
   * counterexample passes the independent exact check.
   */
  @Test
  void adversarialCasesNeverReportAFalseCounterexample() {
    Map<String, Integer> counts = new TreeMap<>();
    List<String> bad = new ArrayList<>();
    for (int seed = 0; seed < 300; seed++) {
      AdversarialCases.Instance inst = AdversarialCases.generate(seed);
      Verdict v = new Verifier(inst.net()).verify(inst.spec(),
          new Verifier.Plan(List.of(new IntervalPass(), new DeepPolyPass()), seed),
          Budget.of(Duration.ofSeconds(10))).verdict();
      counts.merge(v.word(), 1, Integer::sum);
      if (v instanceof Verdict.Unknown u && u.reason().contains("only in double precision")) {
        counts.merge("unknown after rejecting a double-only candidate", 1, Integer::sum);
      }
      if (v instanceof Verdict.Falsified f) {
        UnsafeCase c = inst.spec().cases().get(f.caseIndex());
        if (!ExactChecks.violatesExactly(inst.net(), c, f.input())) {
          bad.add("seed " + seed + ": " + Arrays.toString(f.input()));
        }
      }
    }
    System.out.println("CounterexampleCheckTest adversarial verdicts: " + counts);
    assertEquals(List.of(), bad);
    assertTrue(counts.getOrDefault("violated", 0) > 0, counts.toString());
    assertTrue(counts.getOrDefault("holds", 0) + counts.getOrDefault("unknown", 0) > 0,
        counts.toString());
  }
}
