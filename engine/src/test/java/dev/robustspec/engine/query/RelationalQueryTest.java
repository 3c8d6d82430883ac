package dev.robustspec.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.io.Vnnlib2Reader;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseActivationLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Relational properties over networks with sigmoid and tanh layers, end to end. */
class RelationalQueryTest {
  /** dense [[1, -1], [0.5, 2]] + [0, 0.5], the activation, dense [[1, -2]] + [0.25]. */
  private static Network net(String name, Layer activation) {
    return new Network(name, new int[] {2}, List.of(
        new DenseLayer("d0", 2, 2, new double[] {1, -1, 0.5, 2}, new double[] {0, 0.5}),
        activation,
        new DenseLayer("d1", 2, 1, new double[] {1, -2}, new double[] {0.25})));
  }

  /** Two networks f and g reading the same input in [-0.5, 0.5]^2; the unsafe case is given. */
  private static QueryLowering.Lowered query(String unsafe, Network f, Network g)
      throws Exception {
    return QueryLowering.lower(Vnnlib2Reader.read("(vnnlib-version <2.0>)\n"
        + "(declare-network f (declare-input A Real [2]) (declare-output B Real [1]))\n"
        + "(declare-network g (declare-input C Real [2]) (declare-output D Real [1]))\n"
        + "(assert (and (>= A[0] -0.5) (<= A[0] 0.5) (>= A[1] -0.5) (<= A[1] 0.5)))\n"
        + "(assert (== A[0] C[0])) (assert (== A[1] C[1]))\n"
        + "(assert " + unsafe + ")", Path.of("q.vnnlib")), Map.of("f", f, "g", g));
  }

  @Test
  void twoCopiesOfASigmoidNetAgreeCertified() throws Exception {
    Network f = net("f", ElementwiseActivationLayer.sigmoid("sig", 2));
    Network g = net("g", ElementwiseActivationLayer.sigmoid("sig", 2));
    // unsafe: the copies differ by more than 0.5 somewhere on the box
    var l = query("(or (> (- B[0] D[0]) 0.5) (> (- D[0] B[0]) 0.5))", f, g);
    assertEquals(2, l.lanes().size());
    assertEquals(2, l.network().outputSize(), "two lanes in the product, not one shared lane");
    var v = new Verifier(l.network()).verify(l.spec(),
        new Verifier.Plan(List.of(new DeepPolyPass()), 1), Budget.unlimited());
    assertTrue(v.verdict() instanceof Verdict.Certified, v.verdict().toString());
  }

  @Test
  void aSigmoidNetAndATanhNetDifferFalsifiedWithARealCounterexample() throws Exception {
    Network f = net("f", ElementwiseActivationLayer.sigmoid("sig", 2));
    Network g = net("g", ElementwiseActivationLayer.tanh("tanh", 2));
    // at x = 0: f = sig(0) - 2 sig(0.5) + 0.25, g = tanh(0) - 2 tanh(0.5) + 0.25
    double f0 = 0.5 - 2 / (1 + Math.exp(-0.5)) + 0.25;
    double g0 = -2 * Math.tanh(0.5) + 0.25;
    assertEquals(f0, f.evaluate(new double[2])[0], 1e-12);
    assertEquals(g0, g.evaluate(new double[2])[0], 1e-12);
    // unsafe: B - D above (f0 - g0) - 0.05, which x = 0 satisfies
    var l = query("(> (- B[0] D[0]) " + (f0 - g0 - 0.05) + ")", f, g);
    var v = new Verifier(l.network()).verify(l.spec(),
        new Verifier.Plan(List.of(new DeepPolyPass()), 1), Budget.unlimited());
    assertTrue(v.verdict() instanceof Verdict.Falsified, v.verdict().toString());
    Verdict.Falsified cx = (Verdict.Falsified) v.verdict();
    double[] x = cx.input();
    double diff = f.evaluate(x)[0] - g.evaluate(x)[0];
    assertTrue(diff > f0 - g0 - 0.05, "the networks evaluated on their own violate: " + diff);
    assertTrue(Replay.check(l, x, cx.caseIndex()).confirmed(), "replayed by enclosure");
  }
}
