package dev.robustspec.engine.lp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.network.ConvGeometry;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.Cores;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The triangle LP and k-ReLU passes: hand-computed bounds, soundness and ordering on random nets. */
class LpPassTest {

  /** {@code out = relu(x) - relu(x)}, x in [-1, 1]: always 0, but no single-neuron relaxation sees it. */
  static Network twinNeurons() {
    return new Network("twins", new int[] {1}, List.of(
        new DenseLayer("in", 1, 2, new double[] {1, 1}, new double[] {0, 0}),
        new ReluLayer("relu", 2),
        new DenseLayer("out", 2, 1, new double[] {1, -1}, new double[] {0})));
  }

  @Test
  void triangleLpBoundsTheTwinsByHandAndKReluClosesTheGap() {
    Network net = twinNeurons();
    Box box = new Box(new double[] {-1}, new double[] {1});
    double[][] upperOfOut = {{-1}}; // lower bound of -out = -(upper bound of out)
    BoundState dp = new BoundState(net, box);
    double deeppoly = new DeepPolyPass().run(dp, upperOfOut, Budget.unlimited())[0];
    // triangle: relu(x) <= (x + 1) / 2, relu(x) >= max(0, x): max of the difference is 1/2 at x = 0
    double lp = new LpPass().run(dp, upperOfOut, Budget.unlimited())[0];
    assertEquals(-0.5, lp, 1e-9);
    assertTrue(lp <= -0.5, "LP bound above the triangle optimum: " + lp);
    assertTrue(deeppoly <= lp + 1e-12, "deeppoly tighter than the LP");
    // the hull of {(x, x, relu x, relu x)} has y1 = y2: out <= 0 up to the rounding slack
    KReluPass krelu = new KReluPass(new OjAlgoLpSolver(), 2, 2, 1, false);
    double multi = krelu.run(dp, upperOfOut, Budget.unlimited())[0];
    assertTrue(multi <= 0, "k-ReLU claims out < 0, but out = 0 everywhere");
    assertTrue(multi > -1e-9, "k-ReLU did not close the gap: " + multi);
    assertEquals(1, krelu.statistics().perLayer().get(1)[0], "one group at the ReLU layer");
  }

  /**
   * Random nets: every sampled output respects every pass's objective bound, and the passes are
   * ordered as their relaxations are nested: krelu >= lp >= deeppoly (up to solver tolerance).
   */
  @Property(tries = 30)
  void boundsAreSoundAndNested(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int depth = 2 + random.nextInt(2);
    int[] widths = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      widths[i] = 2 + random.nextInt(5);
    }
    Network net = RandomNets.dense(random, widths, false);
    Box box = RandomNets.box(random, widths[0], 1.5);
    double[][] objectives = new double[2][net.outputSize()];
    for (double[] row : objectives) {
      for (int j = 0; j < row.length; j++) {
        row[j] = RandomNets.gaussian(random);
      }
    }
    BoundState state = new BoundState(net, box);
    double[] dp = new DeepPolyPass().run(state, objectives, Budget.unlimited());
    double[] lp = new LpPass().run(state, objectives, Budget.unlimited());
    double[] kr = new KReluPass(new OjAlgoLpSolver(), 3, 6, 1, false)
        .run(state, objectives, Budget.unlimited());
    for (int r = 0; r < objectives.length; r++) {
      double tol = 1e-7 * (1 + Math.abs(dp[r]));
      assertTrue(lp[r] >= dp[r] - tol, "lp " + lp[r] + " looser than deeppoly " + dp[r]);
      assertTrue(kr[r] >= lp[r] - tol, "krelu " + kr[r] + " looser than lp " + lp[r]);
    }
    for (int s = 0; s < 2000; s++) {
      double[] y = net.evaluate(RandomNets.point(random, box));
      for (int r = 0; r < objectives.length; r++) {
        double v = 0;
        for (int j = 0; j < y.length; j++) {
          v += objectives[r][j] * y[j];
        }
        double tol = 1e-12 * (1 + Math.abs(v));
        assertTrue(lp[r] <= v + tol, "lp bound " + lp[r] + " above a sampled value " + v);
        assertTrue(kr[r] <= v + tol, "krelu bound " + kr[r] + " above a sampled value " + v);
      }
    }
  }

  /** conv (2x2 kernel, 2 channels) -> relu -> dense on a 1x4x4 image: lp below every sample. */
  @Property(tries = 15)
  void lpIsSoundOnASmallConvNet(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ConvGeometry g = new ConvGeometry(1, 4, 4, 2, 2, 2, 1 + random.nextInt(2), 1,
        random.nextInt(2), 0, 0, random.nextInt(2), 1, 1, 1);
    double[] w = new double[2 * g.kernelSize()];
    for (int i = 0; i < w.length; i++) {
      w[i] = RandomNets.gaussian(random) / 2;
    }
    ConvLayer conv = new ConvLayer("conv", g, w, new double[] {RandomNets.gaussian(random) / 4,
        RandomNets.gaussian(random) / 4});
    int hidden = conv.outputSize();
    double[] dense = new double[2 * hidden];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = RandomNets.gaussian(random) / Math.sqrt(hidden);
    }
    Network net = new Network("convnet", new int[] {1, 1, 4, 4}, List.of(conv,
        new ReluLayer("relu", hidden), new DenseLayer("out", hidden, 2, dense, new double[2])));
    Box box = RandomNets.box(random, 16, 1.0);
    double[][] objectives = {{1, -1}, {-1, 0.5}};
    BoundState state = new BoundState(net, box);
    double[] dp = new DeepPolyPass().run(state, objectives, Budget.unlimited());
    double[] lp = new LpPass().run(state, objectives, Budget.unlimited());
    for (int r = 0; r < objectives.length; r++) {
      assertTrue(lp[r] >= dp[r] - 1e-7 * (1 + Math.abs(dp[r])), "lp looser than deeppoly");
    }
    for (int s = 0; s < 2000; s++) {
      double[] y = net.evaluate(RandomNets.point(random, box));
      for (int r = 0; r < objectives.length; r++) {
        double v = objectives[r][0] * y[0] + objectives[r][1] * y[1];
        assertTrue(lp[r] <= v + 1e-12 * (1 + Math.abs(v)),
            "lp bound " + lp[r] + " above a sampled value " + v);
      }
    }
  }

  @Property(tries = 10)
  void tighteningIntermediateBoundsKeepsThemSound(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = RandomNets.dense(random, new int[] {3, 6, 6, 2}, false);
    Box box = RandomNets.box(random, 3, 1.5);
    BoundState state = new BoundState(net, box);
    new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
    BoundState tightened = new BoundState(net, box);
    tightened.tighten(state);
    new LpPass(new OjAlgoLpSolver(), true).run(tightened, new double[0][], Budget.unlimited());
    for (int s = 0; s < 2000; s++) {
      List<double[]> trace = net.trace(RandomNets.point(random, box));
      for (int k = 0; k < trace.size(); k++) {
        for (int i = 0; i < trace.get(k).length; i++) {
          double v = trace.get(k)[i];
          assertTrue(tightened.lower(k)[i] <= v && v <= tightened.upper(k)[i],
              "value outside LP-tightened bounds at " + k + "," + i);
          assertTrue(tightened.lower(k)[i] >= state.lower(k)[i]
              && tightened.upper(k)[i] <= state.upper(k)[i], "tightening loosened a bound");
        }
      }
    }
  }

  /**
   * LP tightening shared by three workers (three solvers, three copies of the program) gives the
   * bounds one worker gives, up to the solvers' tolerance; and the first ReLU layer's input (one
   * dense layer over the box) keeps exactly its interval bounds, whose range is exact.
   */
  @Property(tries = 10)
  void tighteningByThreeWorkersMatchesOneAndSkipsTheExactFirstLayer(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = RandomNets.dense(random, new int[] {3, 8, 8, 8, 2}, false);
    Box box = RandomNets.box(random, 3, 1.5);
    BoundState base = new BoundState(net, box);
    new DeepPolyPass().run(base, new double[0][], Budget.unlimited());
    BoundState one = new BoundState(net, box);
    one.tighten(base);
    LpBounds.tighten(one, new OjAlgoLpSolver(), null, null, Budget.unlimited());
    BoundState three = new BoundState(net, box);
    three.tighten(base);
    LpBounds.tighten(three, new OjAlgoLpSolver(), OjAlgoLpSolver::new, 3, null,
        Budget.unlimited());
    for (int k = 0; k < net.layers().size() + 1; k++) {
      for (int i = 0; i < one.lower(k).length; i++) {
        double tol = 1e-6 * (1 + Math.abs(one.lower(k)[i]) + Math.abs(one.upper(k)[i]));
        assertEquals(one.lower(k)[i], three.lower(k)[i], tol, "lower " + k + "," + i);
        assertEquals(one.upper(k)[i], three.upper(k)[i], tol, "upper " + k + "," + i);
      }
    }
    assertTrue(java.util.Arrays.equals(base.lower(1), three.lower(1))
        && java.util.Arrays.equals(base.upper(1), three.upper(1)), "first layer re-derived");
    for (int s = 0; s < 2000; s++) {
      List<double[]> trace = net.trace(RandomNets.point(random, box));
      for (int k = 0; k < trace.size(); k++) {
        for (int i = 0; i < trace.get(k).length; i++) {
          double v = trace.get(k)[i];
          assertTrue(three.lower(k)[i] <= v && v <= three.upper(k)[i],
              "value outside the bounds three workers tightened at " + k + "," + i);
        }
      }
    }
  }

  /** k-ReLU tightening by three workers: every sampled value inside every tightened bound. */
  @Property(tries = 10)
  void kReluTighteningByThreeWorkersIsSound(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = RandomNets.dense(random, new int[] {3, 8, 8, 8, 2}, false);
    Box box = RandomNets.box(random, 3, 1.5);
    BoundState state = new BoundState(net, box);
    new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
    BoundState before = new BoundState(net, box);
    before.tighten(state);
    double[][] objective = {{1, -1}};
    double[] kr = Cores.limitedTo(3, () -> new KReluPass(OjAlgoLpSolver::new, 3, 6, 1, true)
        .run(state, objective, Budget.unlimited()));
    for (int s = 0; s < 2000; s++) {
      List<double[]> trace = net.trace(RandomNets.point(random, box));
      for (int k = 0; k < trace.size(); k++) {
        for (int i = 0; i < trace.get(k).length; i++) {
          double v = trace.get(k)[i];
          assertTrue(state.lower(k)[i] <= v && v <= state.upper(k)[i],
              "value outside k-ReLU-tightened bounds at " + k + "," + i);
          assertTrue(state.lower(k)[i] >= before.lower(k)[i]
              && state.upper(k)[i] <= before.upper(k)[i], "tightening loosened a bound");
        }
      }
      double[] y = trace.get(trace.size() - 1);
      assertTrue(kr[0] <= y[0] - y[1] + 1e-12 * (1 + Math.abs(y[0] - y[1])), "objective bound");
    }
  }

  /**
   * Every row of the encoding — affine equalities, triangles, and the k-ReLU hull rows of every
   * group — holds at the true values of thousands of sampled inputs: the LP contains the network.
   */
  @Property(tries = 25)
  void everyLpRowHoldsAtSampledNetworkValues(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = RandomNets.dense(random, new int[] {2 + random.nextInt(3), 6, 5, 2}, false);
    Box box = RandomNets.box(random, net.inputSize(), 1.5);
    BoundState state = new BoundState(net, box);
    new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
    NetworkLp lp = new NetworkLp(state, state.size() - 1);
    KReluPass krelu = new KReluPass(LpSolvers.best(), 3, 5, 1, false);
    int groups = 0;
    for (int k = 0; k < net.layers().size(); k++) {
      if (net.layers().get(k) instanceof ReluLayer) {
        for (int[] g : KReluPass.groups(state.lower(k), state.upper(k), 3, 5, 1)) {
          krelu.addGroup(lp, state, k, g, Budget.unlimited());
          groups++;
        }
      }
    }
    LinearProgram p = lp.program();
    for (int s = 0; s < 2000; s++) {
      List<double[]> trace = net.trace(RandomNets.point(random, box));
      double[] z = new double[p.variables()];
      for (int k = 0; k < trace.size(); k++) {
        for (int i = 0; i < trace.get(k).length; i++) {
          int v = lp.variable(k, i);
          if (v >= 0) {
            z[v] = trace.get(k)[i];
          } else {
            assertEquals(0, trace.get(k)[i], "a value encoded as the constant 0 is not 0");
          }
        }
      }
      for (int j = 0; j < p.variables(); j++) {
        assertTrue(p.variableLower(j) <= z[j] && z[j] <= p.variableUpper(j), "outside a box");
      }
      for (LinearProgram.Row row : p.rows()) {
        double v = row.value(z);
        double tol = 1e-12 * (1 + Math.abs(v) + Math.abs(row.lower()) + Math.abs(row.upper()));
        assertTrue(v >= row.lower() - tol && v <= row.upper() + tol,
            "row violated by a true point (groups: " + groups + "): " + v + " not in ["
                + row.lower() + ", " + row.upper() + "]");
      }
    }
  }

  /**
   * A VNN-LIB 2 input polytope reaches the LP: y = x1 + x2 on [0, 1]^2 with x1 + x2 <= 0.5 has
   * y <= 0.5, which the box alone (y <= 2) cannot show; through the Verifier, the property
   * y < 0.6 is certified by lp and not by deeppoly.
   */
  @Test
  void inputPolytopeRowsTightenTheLp() {
    Network sum = new Network("sum", new int[] {2}, List.of(
        new DenseLayer("sum", 2, 1, new double[] {1, 1}, new double[] {0})));
    Box box = new Box(new double[] {0, 0}, new double[] {1, 1});
    List<dev.robustspec.engine.spec.InputConstraint> polytope =
        List.of(new dev.robustspec.engine.spec.InputConstraint(new double[] {1, 1}, 0.5));
    BoundState state = new BoundState(sum, box);
    assertEquals(-2, new LpPass().run(state, new double[][] {{-1}}, Budget.unlimited())[0], 1e-9);
    BoundState constrained = new BoundState(sum, box);
    constrained.constrainInputs(polytope);
    assertEquals(-0.5, new LpPass().run(constrained, new double[][] {{-1}}, Budget.unlimited())[0],
        1e-9);
    var unsafe = new dev.robustspec.engine.spec.UnsafeCase(box,
        List.of(new dev.robustspec.engine.spec.OutputConstraint(new double[] {-1}, -0.6)), polytope);
    var spec = new dev.robustspec.engine.spec.Specification(2, 1, List.of(unsafe));
    var verifier = new dev.robustspec.engine.verify.Verifier(sum);
    var deeppolyOnly = verifier.verify(spec, new dev.robustspec.engine.verify.Verifier.Plan(List.of(
        new dev.robustspec.engine.verify.PlanStep.Relax(new DeepPolyPass(), null))),
        Budget.unlimited());
    assertTrue(deeppolyOnly.verdict() instanceof dev.robustspec.engine.verify.Verdict.Unknown,
        "deeppoly sees only the box: " + deeppolyOnly.verdict());
    var withLp = verifier.verify(spec, new dev.robustspec.engine.verify.Verifier.Plan(List.of(
        new dev.robustspec.engine.verify.PlanStep.Relax(new LpPass(), null))), Budget.unlimited());
    assertTrue(withLp.verdict() instanceof dev.robustspec.engine.verify.Verdict.Certified,
        "lp should use the polytope: " + withLp.verdict());
  }
}
