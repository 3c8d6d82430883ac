package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sampled soundness on the real benchmark networks: after IntervalPass and then
 * DeepPolyPass(allNeurons) on one BoundState (and IntervalPass alone on another), every concrete
 * value at every layer ({@link Network#trace}) of thousands of inputs of the property's box
 * (uniform points, vertices, points on and near the faces, the centre) lies inside the bounds,
 * and every objective's lower bound is below its sampled values.
 */
class RealNetSoundnessTest {

  static Stream<Arguments> instances() {
    Path b = TestData.benchmarks();
    List<Arguments> list = new ArrayList<>();
    for (String net : List.of("1_1", "2_9", "4_5")) {
      for (int p = 1; p <= 4; p++) {
        list.add(Arguments.of(b.resolve("acasxu/onnx/ACASXU_run2a_" + net + "_batch_2000.onnx"),
            b.resolve("acasxu/vnnlib/prop_" + p + ".vnnlib"), 10_000));
      }
    }
    for (String net : List.of("mnist-net_256x2", "mnist-net_256x6")) {
      for (String prop : List.of("prop_0_0.03", "prop_1_0.05", "prop_7_0.05")) {
        list.add(Arguments.of(b.resolve("mnistfc/onnx/" + net + ".onnx"),
            b.resolve("mnistfc/vnnlib/" + prop + ".vnnlib"), 2000));
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("instances")
  void concreteValuesLieInsideBounds(Path netFile, Path propFile, int samples)
      throws InputFormatException {
    Network net = OnnxReader.read(netFile);
    Specification spec = VnnlibFiles.specification(propFile);
    for (Box box : spec.regions()) {
      List<OutputConstraint> constraints = new ArrayList<>();
      for (UnsafeCase c : spec.cases()) {
        if (c.region().equals(box)) {
          constraints.addAll(c.constraints());
        }
      }
      double[][] objectives = constraints.stream().map(OutputConstraint::coefficients)
          .toArray(double[][]::new);
      BoundState interval = new BoundState(net, box);
      double[] intervalObj = new IntervalPass().run(interval, objectives, Budget.unlimited());
      BoundState both = new BoundState(net, box);
      new IntervalPass().run(both, objectives, Budget.unlimited());
      double[] deeppolyObj = new DeepPolyPass(true).run(both, objectives, Budget.unlimited());
      assertTrue(!both.isInfeasible(), "bounds infeasible on a non-empty box");

      SplittableRandom random = new SplittableRandom(netFile.hashCode() * 31L + propFile.hashCode());
      for (double[] x : samplePoints(random, box, samples)) {
        assertTrue(box.contains(x), "sample outside the box");
        List<double[]> values = net.trace(x);
        check("interval", interval, values, x);
        check("interval+deeppoly", both, values, x);
        double[] y = values.get(values.size() - 1);
        for (int r = 0; r < objectives.length; r++) {
          double v = constraints.get(r).value(y);
          if (!(intervalObj[r] <= v && deeppolyObj[r] <= v)) {
            fail("objective " + r + " (" + constraints.get(r) + "): value " + v
                + " below the bound (interval " + intervalObj[r] + ", deeppoly " + deeppolyObj[r]
                + ") for " + netFile.getFileName() + " " + propFile.getFileName());
          }
        }
      }
    }
  }

  private static void check(String what, BoundState s, List<double[]> values, double[] x) {
    for (int k = 0; k < values.size(); k++) {
      double[] v = values.get(k);
      double[] lo = s.lower(k);
      double[] hi = s.upper(k);
      for (int i = 0; i < v.length; i++) {
        if (!(lo[i] <= v[i] && v[i] <= hi[i])) {
          fail(what + ": value " + v[i] + " outside [" + lo[i] + ", " + hi[i] + "] at index " + k
              + ", neuron " + i + " (" + s.network().name() + ")");
        }
      }
    }
  }

  /**
   * The centre, then a mix: uniform points, random vertices, points with a few coordinates on a
   * face, and points within a few ulps-to-1e-9 of the faces; for small boxes all vertices too.
   */
  static List<double[]> samplePoints(SplittableRandom random, Box box, int count) {
    int n = box.dimension();
    double[] lo = box.lower();
    double[] hi = box.upper();
    List<double[]> points = new ArrayList<>();
    double[] centre = new double[n];
    for (int i = 0; i < n; i++) {
      centre[i] = lo[i] + (hi[i] - lo[i]) / 2;
    }
    points.add(centre);
    if (n <= 10) {
      for (int mask = 0; mask < 1 << n; mask++) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = (mask >> i & 1) == 0 ? lo[i] : hi[i];
        }
        points.add(v);
      }
    }
    while (points.size() < count) {
      double[] x = new double[n];
      int kind = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        double u = lo[i] + random.nextDouble() * (hi[i] - lo[i]);
        x[i] = switch (kind) {
          case 0 -> u;                                          // uniform
          case 1 -> random.nextBoolean() ? lo[i] : hi[i];      // vertex
          case 2 -> random.nextInt(n) < 3 ? (random.nextBoolean() ? lo[i] : hi[i]) : u; // on faces
          default -> random.nextBoolean()                       // near the faces, inside
              ? Math.min(hi[i], lo[i] + random.nextDouble() * 1e-9 * (hi[i] - lo[i]))
              : Math.max(lo[i], hi[i] - random.nextDouble() * 1e-9 * (hi[i] - lo[i]));
        };
        x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
      }
      points.add(x);
    }
    return points;
  }
}
