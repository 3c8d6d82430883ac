package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The attack ({@link CounterexampleSearch} over {@link MarginDescent}) on random small ReLU nets
 * whose exact minimum of {@code c . N(x)} over the box is known by enumerating activation
 * patterns ({@link ReluSplitSearchEnumerationTest#exactMinimum}): a threshold a gap below the
 * minimum (no counterexample exists) must leave it silent; a threshold above it (one exists) is
 * found or left unsaid, and whatever it returns lies in the box and violates the case in exact
 * arithmetic. Same seed, same answer.
 */
class CounterexampleSearchPropertyTest {

  private record Instance(Network net, Box box, double[] c, double min, double max) {
    UnsafeCase caseAt(double d) {
      return new UnsafeCase(box, List.of(new OutputConstraint(c, d)));
    }
  }

  private static Instance instance(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(2);
    int[] widths = random.nextBoolean() ? new int[] {inputs, 4 + random.nextInt(6), 1}
        : new int[] {inputs, 3 + random.nextInt(4), 3 + random.nextInt(4), 2};
    Network net = RandomNets.dense(random, widths, false);
    Box box = RandomNets.box(random, inputs, 2.0);
    double[] c = RandomNets.gaussianRow(random, net.outputSize());
    double min = ReluSplitSearchEnumerationTest.exactMinimum(net, box, c);
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < 200; s++) {
      max = Math.max(max, RandomNets.dot(c, net.evaluate(RandomNets.point(random, box))));
    }
    return new Instance(net, box, c, min, max);
  }

  private static final CounterexampleSearch.Options OPTIONS =
      new CounterexampleSearch.Options(7, 16, 8, 50);

  @Property(tries = 300)
  void neverReportsWhereNoCounterexampleExists(@ForAll @IntRange(min = 0, max = 1_000_000)
      int seed) {
    Instance p = instance(seed);
    double gap = 1e-6 * (1 + Math.abs(p.min())) + 1e-3 * Math.max(p.max() - p.min(), 0);
    Counterexample found = new CounterexampleSearch(p.net()).search(p.caseAt(p.min() - gap), 0,
        OPTIONS, Budget.unlimited());
    assertNull(found, "a counterexample below the exact minimum " + p.min());
  }

  @Property(tries = 300)
  void whatItFindsIsRealAndInsideTheBox(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
      @ForAll @IntRange(min = 0, max = 100) int above) {
    Instance p = instance(seed);
    // from just above the minimum (a tiny unsafe set) to the largest value sampled
    double d = p.min() + (p.max() - p.min()) * above / 100.0 + 1e-9 * (1 + Math.abs(p.min()));
    Counterexample found = new CounterexampleSearch(p.net()).search(p.caseAt(d), 0, OPTIONS,
        Budget.unlimited());
    if (found == null) {
      return; // the attack may miss; the branch and bound decides those
    }
    assertTrue(p.box().contains(found.input()), "outside the box");
    BigDecimal[] y = ExactEvaluation.evaluate(p.net(), found.input());
    BigDecimal value = BigDecimal.ZERO;
    for (int o = 0; o < y.length; o++) {
      value = value.add(new BigDecimal(p.c()[o]).multiply(y[o]));
    }
    assertTrue(value.compareTo(new BigDecimal(d)) <= 0, "not a counterexample in exact arithmetic");
  }

  @Test
  void findsNearlyEveryViolationWithAClearMargin() {
    // thresholds a tenth of the way from the exact minimum to the sampled maximum: a large
    // unsafe set, which a sound but useless search (one that never answers) would not find
    int found = 0;
    int trials = 200;
    for (int t = 0; t < trials; t++) {
      Instance p = instance(1000 + t);
      double d = p.min() + 0.1 * (p.max() - p.min()) + 1e-9 * (1 + Math.abs(p.min()));
      if (new CounterexampleSearch(p.net()).search(p.caseAt(d), 0, OPTIONS,
          Budget.unlimited()) != null) {
        found++;
      }
    }
    assertTrue(found >= trials * 95 / 100, "found only " + found + " of " + trials);
  }

  @Test
  void sameSeedSamePoint() {
    int compared = 0;
    for (int t = 0; t < 40; t++) {
      Instance p = instance(5000 + t);
      UnsafeCase unsafeCase = p.caseAt(p.min() + 0.02 * (p.max() - p.min()));
      Counterexample a = new CounterexampleSearch(p.net()).search(unsafeCase, 0, OPTIONS,
          Budget.unlimited());
      Counterexample b = new CounterexampleSearch(p.net()).search(unsafeCase, 0, OPTIONS,
          Budget.unlimited());
      assertEquals(a == null, b == null, "trial " + t);
      if (a != null) {
        assertArrayEquals(a.input(), b.input(), "trial " + t);
        compared++;
      }
    }
    assertTrue(compared > 0, "no counterexample to compare");
  }

  @Test
  void theDescentStartsAtTheBestPointAndStaysInItsBox() {
    Instance p = instance(77);
    CounterexampleCheck check = new CounterexampleCheck(p.net());
    MarginDescent.Result r = new MarginDescent(p.net(), check).run(
        List.of(p.caseAt(p.min() - 1)), List.of(0), p.box().lower(), p.box().upper(),
        RandomNets.point(new SplittableRandom(1), p.box()), 60, Budget.unlimited());
    assertNull(r.counterexample());
    assertNotNull(r.bestPoint());
    assertTrue(p.box().contains(r.bestPoint()));
    // the margin reported is the point's own margin, and never below the exact minimum's
    double margin = RandomNets.dot(p.c(), p.net().evaluate(r.bestPoint())) - (p.min() - 1);
    assertEquals(margin, r.bestMargin(), 1e-12 * (1 + Math.abs(margin)));
    assertTrue(r.bestMargin() >= 1 - 1e-9 * (1 + Math.abs(p.min())));
  }
}
