package dev.robustspec.engine.verify;

import dev.robustspec.engine.base.Budget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Never a wrong definite verdict: each pass alone (interval, deeppoly), the search alone (a
 * Verifier with no pass) and the default plan must agree. No instance may be certified by a
 * pass while the search found a counterexample; every counterexample lies in its case's region
 * and violates every constraint of that case when re-evaluated; every pass's objective bound is
 * below the objective's value at the counterexample. On random 1-input nets with at most 8 ReLUs
 * a dense enumeration of the input interval checks certified verdicts exactly.
 */
class ConsistencyTest {
  private static final List<Supplier<RelaxationPass>> PASSES =
      List.of(IntervalPass::new, DeepPolyPass::new);

  /** What each method said about one instance. */
  record Outcome(boolean[] certifiedByPass, Verdict search, Verdict plan) {}

  @Test
  void benchmarkInstancesAreConsistent() throws InputFormatException {
    Path b = TestData.benchmarks();
    Map<String, Integer> counts = new TreeMap<>();
    List<String> nets = List.of("1_1", "1_9", "2_1", "2_9", "3_3", "3_7", "4_5", "5_9");
    for (String n : nets) {
      Network net = OnnxReader.read(b.resolve("acasxu/onnx/ACASXU_run2a_" + n + "_batch_2000.onnx"));
      for (int p = 1; p <= 4; p++) {
        Specification spec = VnnlibFiles.specification(b.resolve("acasxu/vnnlib/prop_" + p + ".vnnlib"));
        tally(counts, "acasxu", check("acasxu " + n + " prop_" + p, net, spec, 3.0));
      }
    }
    Network mnist = OnnxReader.read(b.resolve("mnistfc/onnx/mnist-net_256x2.onnx"));
    for (int i = 0; i <= 2; i++) {
      for (String eps : List.of("0.03", "0.05")) {
        Specification spec =
            VnnlibFiles.specification(b.resolve("mnistfc/vnnlib/prop_" + i + "_" + eps + ".vnnlib"));
        tally(counts, "mnist", check("mnist 256x2 prop_" + i + "_" + eps, mnist, spec, 2.0));
      }
    }
    System.out.println("ConsistencyTest benchmark counts: " + counts);
    assertEquals(38, counts.get("acasxu instances") + counts.get("mnist instances"));
  }

  @Test
  void randomInstancesAreConsistentAndExactIn1D() {
    Map<String, Integer> counts = new TreeMap<>();
    for (int seed = 0; seed < 200; seed++) {
      SplittableRandom random = new SplittableRandom(1000 + seed);
      int inputs = random.nextBoolean() ? 1 : 1 + random.nextInt(4);
      int depth = 1 + random.nextInt(3);
      int[] widths = new int[depth + 1];
      widths[0] = inputs;
      for (int k = 1; k <= depth; k++) {
        widths[k] = 1 + random.nextInt(k == depth ? 3 : 5);
      }
      Network net = RandomNets.dense(random, widths, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      Specification spec = randomSpec(random, net, box);
      String name = "random seed " + seed + " widths " + java.util.Arrays.toString(widths);
      Outcome o = check(name, net, spec, 2.0);
      tally(counts, "random", o);
      if (inputs == 1 && relus(net) <= 8) {
        counts.merge("random exact-1d checked", 1, Integer::sum);
        boolean violatedSomewhere = exact1d(name, net, spec, o);
        counts.merge("random exact-1d violated somewhere", violatedSomewhere ? 1 : 0, Integer::sum);
      }
    }
    System.out.println("ConsistencyTest random counts: " + counts);
    assertEquals(200, counts.get("random instances"));
  }

  // ---- the checks ----

  /** Runs every method on one instance and asserts they agree; returns what each said. */
  static Outcome check(String name, Network net, Specification spec, double seconds) {
    boolean[] certified = new boolean[PASSES.size()];
    List<double[][]> lowers = new ArrayList<>(); // per pass: per case, per constraint
    for (int p = 0; p < PASSES.size(); p++) {
      double[][] lo = passLowerBounds(net, spec, PASSES.get(p).get());
      lowers.add(lo);
      certified[p] = true;
      for (int c = 0; c < spec.cases().size(); c++) {
        certified[p] &= closed(spec.cases().get(c), lo[c]);
      }
    }
    Verdict search = new Verifier(net).verify(spec, new Verifier.Plan(List.of(), 0),
        Budget.of(Duration.ofMillis((long) (seconds * 1000)))).verdict();
    Verdict plan = new Verifier(net).verify(spec,
        new Verifier.Plan(List.of(new IntervalPass(), new DeepPolyPass()), 0),
        Budget.of(Duration.ofMillis((long) (seconds * 1000)))).verdict();
    for (Verdict v : List.of(search, plan)) {
      if (v instanceof Verdict.Falsified f) {
        UnsafeCase uc = spec.cases().get(f.caseIndex());
        double[] y = net.evaluate(f.input());
        assertTrue(uc.region().contains(f.input()), name + ": counterexample outside its region");
        assertTrue(uc.isViolatedBy(f.input(), y), name + ": counterexample does not violate");
        assertTrue(java.util.Arrays.equals(y, f.output()), name + ": reported output differs");
        for (int p = 0; p < PASSES.size(); p++) {
          assertFalse(certified[p], name + ": certified by " + PASSES.get(p).get().name()
              + " but falsified by " + f.decidedBy());
          List<OutputConstraint> cs = uc.constraints();
          for (int j = 0; j < cs.size(); j++) {
            double bound = lowers.get(p)[f.caseIndex()][j];
            assertTrue(bound <= cs.get(j).value(y), name + ": " + PASSES.get(p).get().name()
                + " lower bound " + bound + " above the value " + cs.get(j).value(y)
                + " at the counterexample");
          }
        }
      }
    }
    boolean anyCertified = certified[0] || certified[1] || plan instanceof Verdict.Certified;
    if (anyCertified) {
      assertFalse(search instanceof Verdict.Falsified, name + ": certified and falsified");
      assertFalse(plan instanceof Verdict.Falsified, name + ": certified and falsified by plan");
    }
    if (plan instanceof Verdict.Certified) {
      assertTrue(certified[0] || certified[1] || allRegionsEmpty(spec),
          name + ": the plan certifies what neither pass alone does");
    }
    return new Outcome(certified, search, plan);
  }

  /** Lower bounds of every constraint's c . y, per case, from one pass on each region. */
  static double[][] passLowerBounds(Network net, Specification spec, RelaxationPass pass) {
    List<UnsafeCase> cases = spec.cases();
    double[][] out = new double[cases.size()][];
    for (Box region : spec.regions()) {
      List<Integer> here = new ArrayList<>();
      List<double[]> objectives = new ArrayList<>();
      for (int c = 0; c < cases.size(); c++) {
        if (cases.get(c).region().equals(region)) {
          here.add(c);
          cases.get(c).constraints().forEach(oc -> objectives.add(oc.coefficients()));
        }
      }
      double[] lo = region.isEmpty() ? null
          : pass.run(new BoundState(net, region), objectives.toArray(new double[0][]),
              Budget.unlimited());
      int at = 0;
      for (int c : here) {
        int m = cases.get(c).constraints().size();
        out[c] = new double[m];
        for (int j = 0; j < m; j++) {
          out[c][j] = lo == null ? Double.POSITIVE_INFINITY : lo[at++];
        }
      }
    }
    return out;
  }

  /** A case is closed when some constraint's lower bound exceeds its bound (rounded down). */
  static boolean closed(UnsafeCase c, double[] lowers) {
    for (int j = 0; j < lowers.length; j++) {
      if (Math.nextDown(lowers[j] - c.constraints().get(j).bound()) > 0) {
        return true;
      }
    }
    return c.region().isEmpty();
  }

  static boolean allRegionsEmpty(Specification spec) {
    return spec.cases().stream().allMatch(c -> c.region().isEmpty());
  }

  /**
   * Dense enumeration of a 1-input net over its interval: 100,001 evenly spaced points plus both
   * ends. A sampled point that violates a case refutes any certificate; each pass's objective
   * bound must be below every sampled objective value. Returns whether a violation was sampled.
   */
  static boolean exact1d(String name, Network net, Specification spec, Outcome o) {
    boolean violated = false;
    boolean anyCertified = o.certifiedByPass()[0] || o.certifiedByPass()[1]
        || o.plan() instanceof Verdict.Certified;
    List<double[][]> lowers = new ArrayList<>();
    for (Supplier<RelaxationPass> p : PASSES) {
      lowers.add(passLowerBounds(net, spec, p.get()));
    }
    for (int c = 0; c < spec.cases().size(); c++) {
      UnsafeCase uc = spec.cases().get(c);
      double lo = uc.region().lower()[0];
      double hi = uc.region().upper()[0];
      int n = 100_000;
      for (int i = 0; i <= n + 1; i++) {
        double x = i == n + 1 ? hi : lo + (hi - lo) * i / n;
        x = Math.min(hi, Math.max(lo, x));
        double[] in = {x};
        double[] y = net.evaluate(in);
        if (uc.isViolatedBy(in, y)) {
          violated = true;
          if (anyCertified) {
            fail(name + ": certified, yet x = " + x + " violates case " + c);
          }
        }
        for (int p = 0; p < PASSES.size(); p++) {
          for (int j = 0; j < uc.constraints().size(); j++) {
            double v = uc.constraints().get(j).value(y);
            if (!(lowers.get(p)[c][j] <= v)) {
              fail(name + ": " + PASSES.get(p).get().name() + " bound " + lowers.get(p)[c][j]
                  + " above the value " + v + " at x = " + x);
            }
          }
        }
      }
    }
    return violated;
  }

  /**
   * One or two unsafe cases on the box (the second on a sub-box), each with 1-3 random linear
   * constraints whose bounds sit near sampled values, so that some instances hold, some are
   * violated and some are close calls.
   */
  static Specification randomSpec(SplittableRandom random, Network net, Box box) {
    int m = net.outputSize();
    List<UnsafeCase> cases = new ArrayList<>();
    int caseCount = 1 + random.nextInt(2);
    for (int c = 0; c < caseCount; c++) {
      Box region = box;
      if (c == 1) {
        double[] lo = box.lower().clone();
        double[] hi = box.upper().clone();
        for (int i = 0; i < lo.length; i++) {
          double mid = lo[i] + (hi[i] - lo[i]) * random.nextDouble();
          if (random.nextBoolean()) {
            lo[i] = mid;
          } else {
            hi[i] = mid;
          }
        }
        region = new Box(lo, hi);
      }
      List<OutputConstraint> cs = new ArrayList<>();
      int k = 1 + random.nextInt(3);
      for (int j = 0; j < k; j++) {
        double[] coef = new double[m];
        for (int t = 0; t < m; t++) {
          coef[t] = RandomNets.gaussian(random);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < 64; s++) {
          double[] y = net.evaluate(RandomNets.point(random, region));
          double v = 0;
          for (int t = 0; t < m; t++) {
            v += coef[t] * y[t];
          }
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        double spread = Math.max(1e-3, max - min);
        // c . y <= d: d below the sampled minimum means likely empty (holds)
        double d = min + spread * (random.nextDouble() * 1.6 - 0.8);
        cs.add(new OutputConstraint(coef, d));
      }
      cases.add(new UnsafeCase(region, cs));
    }
    return new Specification(box.dimension(), m, cases);
  }

  static int relus(Network net) {
    int n = 0;
    for (Layer l : net.layers()) {
      if (l instanceof ReluLayer) {
        n += l.outputSize();
      }
    }
    return n;
  }

  static void tally(Map<String, Integer> counts, String group, Outcome o) {
    counts.merge(group + " instances", 1, Integer::sum);
    counts.merge(group + " certified by interval", o.certifiedByPass()[0] ? 1 : 0, Integer::sum);
    counts.merge(group + " certified by deeppoly", o.certifiedByPass()[1] ? 1 : 0, Integer::sum);
    counts.merge(group + " search " + o.search().word(), 1, Integer::sum);
    counts.merge(group + " plan " + o.plan().word(), 1, Integer::sum);
  }
}
