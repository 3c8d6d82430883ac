package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.LocalRobustness;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * One row of {@code certify}: a data item at one epsilon ({@code eps} as written), or with
 * {@code eps} null its radius search in (0, maxRadius]. Locally and on a cluster the row comes
 * from here, so both write the same columns from the same code.
 */
record CertifyItem(NetworkFile network, Ball ball, String passes, double timeout, long seed,
    int index, int label, double[] values, String eps, double maxRadius, double tolerance)
    implements WorkItem {

  /** {@link LocalRobustness}'s parameters, serialisable. */
  record Ball(BigDecimal scaleNumerator, BigDecimal scaleDenominator, BigDecimal[] mean,
      BigDecimal[] std, BigDecimal lo, BigDecimal hi) implements Serializable {
    static Ball of(LocalRobustness r) {
      return new Ball(r.scaleNumerator(), r.scaleDenominator(), r.mean(), r.std(), r.clipLow(),
          r.clipHigh());
    }

    LocalRobustness robustness() {
      return new LocalRobustness(scaleNumerator, scaleDenominator, mean, std, lo, hi);
    }
  }

  @Override
  public String key() {
    return eps == null ? Integer.toString(index) : index + "," + eps;
  }

  @Override
  public WorkResult run(NetworkSource networks) {
    long start = System.nanoTime();
    Network net;
    try {
      net = networks.network(network);
    } catch (InputFormatException e) {
      return failed(e.getMessage(), (System.nanoTime() - start) / 1e9);
    }
    return run(new ItemCertifier(new ItemCertifier.Setup(net, ball.robustness(), passes,
        timeout, seed)));
  }

  /** The run with a certifier already made (the local runner's one for every item). */
  WorkResult run(ItemCertifier certifier) {
    Dataset.Item item = new Dataset.Item(index, label, values);
    String i = Integer.toString(index);
    String l = Integer.toString(label);
    if (eps == null) {
      ItemCertifier.Radius r = certifier.radius(item, maxRadius, tolerance);
      String falsified = CertifyRun.radiusText(r.falsified(), RoundingMode.CEILING);
      String[] row = {i, l,
          r.error() != null ? "error" : CertifyRun.radiusText(r.certified(), RoundingMode.FLOOR),
          r.error() != null ? "error" : falsified, seconds(r.seconds())};
      ItemCertifier.Probe f = r.falsifying();
      return new WorkResult(key(), row, r.error() != null ? "error" : "", r.error(),
          f == null ? null : f.counterexample(), f == null ? -1 : f.predicted(),
          f == null ? Double.NaN : r.falsified(), null, null, r.seconds());
    }
    ItemCertifier.Probe p = certifier.probe(item, new BigDecimal(eps), timeout);
    String[] row = {i, l, eps, p.verdict(), p.decidedBy(),
        Double.isFinite(p.margin()) ? CertifyCommand.format(p.margin()) : "",
        seconds(p.seconds())};
    return new WorkResult(key(), row, p.verdict(),
        p.verdict().equals("error") ? p.message() : null,
        p.falsified() ? p.counterexample() : null, p.predicted(),
        p.falsified() ? new BigDecimal(eps).doubleValue() : Double.NaN, null, null,
        p.seconds());
  }

  @Override
  public WorkResult failed(String message, double seconds) {
    String i = Integer.toString(index);
    String l = Integer.toString(label);
    String[] row = eps == null ? new String[] {i, l, "error", "error", seconds(seconds)}
        : new String[] {i, l, eps, "error", "", "", seconds(seconds)};
    return WorkResult.of(key(), row, "error", message, seconds);
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }
}
