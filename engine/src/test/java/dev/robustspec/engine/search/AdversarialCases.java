package dev.robustspec.engine.search;

import dev.robustspec.engine.ExactChecks;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small ReLU nets built to make double rounding matter: weights of magnitude 1e-6 to 1e3 with
 * random signs, pairs of hidden neurons that nearly cancel in the next layer, boxes from a single
 * point to 1e4 wide, and a threshold within 3 ulps of the largest exact value of the objective
 * seen on the box's corners, centre and random points (strict or not at random).
 */
final class AdversarialCases {
  private AdversarialCases() {}

  record Instance(Network net, Specification spec) {}

  static Instance generate(long seed) {
    SplittableRandom r = new SplittableRandom(seed * 7919 + 17);
    int inputs = 1 + r.nextInt(3);
    int hidden = 1 + r.nextInt(4);
    int outputs = 1 + r.nextInt(2);
    List<Layer> layers = new ArrayList<>();
    double[] w1 = new double[hidden * inputs];
    double[] b1 = new double[hidden];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = weight(r);
    }
    for (int i = 0; i < hidden; i++) {
      b1[i] = weight(r);
    }
    boolean cancel = hidden >= 2 && r.nextBoolean();
    if (cancel) { // neuron 1 copies neuron 0 up to a relative 1e-12
      for (int c = 0; c < inputs; c++) {
        w1[inputs + c] = w1[c] * (1 + 1e-12 * (r.nextDouble() - 0.5));
      }
      b1[1] = b1[0];
    }
    layers.add(new DenseLayer("d1", inputs, hidden, w1, b1));
    layers.add(new ReluLayer("r1", hidden));
    double[] w2 = new double[outputs * hidden];
    double[] b2 = new double[outputs];
    for (int i = 0; i < w2.length; i++) {
      w2[i] = weight(r);
    }
    for (int j = 0; j < outputs; j++) {
      b2[j] = weight(r);
      if (cancel) { // the two copies nearly cancel
        w2[j * hidden + 1] = -w2[j * hidden];
      }
    }
    layers.add(new DenseLayer("d2", hidden, outputs, w2, b2));
    Network net = new Network("adversarial" + seed, new int[] {inputs}, layers);

    double[] lo = new double[inputs];
    double[] hi = new double[inputs];
    boolean point = r.nextInt(4) == 0;
    for (int i = 0; i < inputs; i++) {
      double centre = (r.nextDouble() * 2 - 1) * 10;
      double width = point ? 0 : Math.pow(10, -6 + 10 * r.nextDouble());
      lo[i] = point ? centre : centre - width / 2;
      hi[i] = point ? centre : centre + width / 2;
    }
    Box box = new Box(lo, hi);
    double[] objective = new double[outputs];
    objective[0] = r.nextBoolean() ? 1 : -1;
    if (outputs == 2) {
      objective[1] = -objective[0];
    }
    // the best exact value of the objective on a few points of the box
    BigDecimal best = null;
    for (int s = 0; s < 40; s++) {
      double[] x = new double[inputs];
      for (int i = 0; i < inputs; i++) {
        x[i] = switch (s) {
          case 0 -> lo[i] + (hi[i] - lo[i]) / 2;
          default -> s < 1 + (1 << inputs) ? (((s - 1) >> i & 1) == 0 ? lo[i] : hi[i])
              : Math.min(hi[i], lo[i] + r.nextDouble() * (hi[i] - lo[i]));
        };
      }
      BigDecimal v = ExactChecks.exactObjective(net, objective, x);
      best = best == null || v.compareTo(best) > 0 ? v : best;
    }
    double t = best.doubleValue();
    int ulps = r.nextInt(7) - 3;
    for (int k = 0; k < Math.abs(ulps); k++) {
      t = ulps > 0 ? Math.nextUp(t) : Math.nextDown(t);
    }
    // unsafe when objective >= t (or > t): -objective <= -t
    double[] neg = new double[outputs];
    for (int j = 0; j < outputs; j++) {
      neg[j] = -objective[j];
    }
    UnsafeCase c = new UnsafeCase(box, List.of(new OutputConstraint(neg, -t, r.nextBoolean())));
    return new Instance(net, new Specification(inputs, outputs, List.of(c)));
  }

  /** A weight of magnitude 1e-6 to 1e3, random sign. */
  static double weight(SplittableRandom r) {
    return (r.nextBoolean() ? 1 : -1) * Math.pow(10, -6 + 9 * r.nextDouble());
  }
}
