package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.ExactChecks;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * No plan ever reports a counterexample that fails the exact check (issue 12). Small nets
 * y = w2 . relu(W1 x + b1) + b2 on a point box, or on an interval of one input, where the exact
 * optimum over the box's doubles is known (every point of a point box; on an interval the ends
 * and the doubles next to each hidden neuron's breakpoint, evaluated exactly), thresholds within
 * 3 ulps of it, strict or not; every pass in a plan between attacks, bab, the attack alone and the
 * default plan. The tutorial's {@code tiny(x)[0] <= 1.5} (true, equal at x0 = 1) is not falsified.
 */
class CounterexampleCheckPlansTest {
  static final List<String> PLANS = List.of("attack", "attack, interval, attack",
      "attack, deeppoly, attack", "attack, lp, attack", "attack, krelu, attack",
      "bab(boxes = 2000, steps = 5)", "default");

  @Property(tries = 100)
  void noPlanReportsACounterexampleThatFailsTheExactCheck(@ForAll long seed,
      @ForAll @IntRange(min = -3, max = 3) int ulps, @ForAll boolean strict,
      @ForAll boolean pointBox, @ForAll @IntRange(min = 1, max = 3) int hidden) {
    SplittableRandom r = new SplittableRandom(seed);
    int inputs = pointBox ? 1 + r.nextInt(2) : 1;
    double[] w1 = new double[hidden * inputs];
    double[] b1 = new double[hidden];
    double[] w2 = new double[hidden];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = weight(r);
    }
    for (int i = 0; i < hidden; i++) {
      b1[i] = weight(r);
      w2[i] = weight(r);
    }
    Network net = new Network("n", new int[] {inputs}, List.of(
        new DenseLayer("d1", inputs, hidden, w1, b1), new ReluLayer("r", hidden),
        new DenseLayer("d2", hidden, 1, w2, new double[] {weight(r)})));
    double[] lo = new double[inputs];
    double[] hi = new double[inputs];
    List<double[]> candidates = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      lo[i] = (r.nextDouble() * 2 - 1) * 10;
      hi[i] = pointBox ? lo[i] : lo[i] + Math.pow(10, -3 + 6 * r.nextDouble());
    }
    candidates.add(lo.clone());
    if (!pointBox) {
      candidates.add(hi.clone());
      for (int k = 0; k < hidden; k++) {
        double root = -b1[k] / w1[k];
        for (double x : new double[] {Math.nextDown(root), root, Math.nextUp(root)}) {
          if (x >= lo[0] && x <= hi[0]) {
            candidates.add(new double[] {x});
          }
        }
      }
    }
    double sign = r.nextBoolean() ? 1 : -1; // maximise sign * y
    double[] objective = {sign};
    BigDecimal best = null;
    for (double[] x : candidates) {
      BigDecimal v = ExactChecks.exactObjective(net, objective, x);
      best = best == null || v.compareTo(best) > 0 ? v : best;
    }
    double t = best.doubleValue();
    for (int k = 0; k < Math.abs(ulps); k++) {
      t = ulps > 0 ? Math.nextUp(t) : Math.nextDown(t);
    }
    // unsafe: sign * y >= t (or > t), i.e. -sign * y <= -t
    UnsafeCase unsafe = new UnsafeCase(new Box(lo, hi),
        List.of(new OutputConstraint(new double[] {-sign}, -t, strict)));
    Specification spec = new Specification(inputs, 1, List.of(unsafe));
    int cmp = best.compareTo(new BigDecimal(t));
    boolean someDoubleViolates = strict ? cmp > 0 : cmp >= 0;
    for (String plan : PLANS) {
      Verdict v = new Verifier(net).verify(spec, PassNames.plan(plan, inputs, seed),
          Budget.of(Duration.ofSeconds(1))).verdict();
      Statistics.label(plan).collect(v.word());
      String what = plan + " on " + net.layers() + " box " + unsafe.region() + " " + unsafe
          + ": " + v;
      if (v instanceof Verdict.Falsified f) {
        assertTrue(someDoubleViolates, "no double of the box violates, yet " + what);
        assertTrue(ExactChecks.violatesExactly(net, unsafe, f.input()), what);
      }
      if (someDoubleViolates) {
        assertFalse(v instanceof Verdict.Certified, "a double of the box violates, yet " + what);
      }
    }
  }

  static double weight(SplittableRandom r) {
    return (r.nextBoolean() ? 1 : -1) * Math.pow(10, -3 + 6 * r.nextDouble());
  }

  @Test
  void tutorialBelowOneAndAHalfIsNotFalsified() throws Exception {
    Path root = TestData.repositoryRoot();
    String tutorial = Files.readString(root.resolve("examples/tutorial.rspec"));
    // the maximum of tiny on the square is exactly 1.5, at x0 = 1: the property holds
    String text = tutorial + "\nproperty at_most_1_5: forall x in square: tiny(x)[0] <= 1.5\n"
        + "property below_1_5: forall x in square: tiny(x)[0] < 1.5\n";
    Compilation c = Checker.compile("tutorial.rspec", text, root, FileLoader.direct());
    assertFalse(c.hasErrors(), c.diagnostics().toString());
    for (Compilation.CompiledProperty p : c.properties()) {
      if (!p.name().equals("at_most_1_5") && !p.name().equals("below_1_5")) {
        continue;
      }
      for (String plan : PLANS) {
        Verdict v = new Verifier(p.network()).verify(p.specification(),
            PassNames.plan(plan, 2, 0), Budget.of(Duration.ofSeconds(5))).verdict();
        if (p.name().equals("at_most_1_5")) {
          assertFalse(v instanceof Verdict.Falsified, plan + ": " + v);
        } else if (v instanceof Verdict.Falsified f) {
          // y < 1.5 is false at x0 = 1: a counterexample there must be exactly real
          assertTrue(ExactChecks.violatesExactly(p.network(),
              p.specification().cases().get(f.caseIndex()), f.input()), plan);
        }
      }
      Verdict own = new Verifier(p.network()).verify(p.specification(), p.plan().toEnginePlan(),
          Budget.of(Duration.ofSeconds(5))).verdict();
      if (p.name().equals("at_most_1_5")) {
        assertFalse(own instanceof Verdict.Falsified, "its own plan: " + own);
      } else {
        assertTrue(own instanceof Verdict.Falsified, "y < 1.5 fails at x = (1, 0): " + own);
      }
    }
  }
}
