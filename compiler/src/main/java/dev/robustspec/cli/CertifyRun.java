package dev.robustspec.cli;

import dev.robustspec.compiler.plot.CertifyPlots;
import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.spec.LocalRobustness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One certify run over a data set: the rows written as items finish, progress on a terminal,
 * counterexamples saved, the summary and the pictures at the end, or on SIGINT/SIGTERM the
 * summary of what finished and exit 130.
 */
final class CertifyRun {
  static final String EPS_HEADER = "index,label,eps,verdict,decided_by,margin,seconds";
  static final String RADIUS_HEADER = "index,label,radius_certified,radius_falsified,seconds";

  /** Everything the run needs; {@code eps} empty means the radius search. */
  record Config(ItemCertifier.Setup setup, Dataset data, List<String> eps, double maxRadius,
      double tolerance, Path out, boolean resume, Path cexDir, Path plot, double[] clip) {
    boolean radius() {
      return eps.isEmpty();
    }
  }

  private final Config config;

  CertifyRun(Config config) {
    this.config = config;
  }

  int execute(PrintWriter stdout, PrintWriter err, boolean terminal) throws IOException {
    boolean radius = config.radius();
    int total = config.data().items().size() * (radius ? 1 : config.eps().size());
    try (ResultsTable table = new ResultsTable(config.out(), radius ? RADIUS_HEADER
        : EPS_HEADER, radius ? new int[] {0} : new int[] {0, 2}, config.resume(), stdout)) {
      CertifySummary summary = new CertifySummary(config, table);
      try (InterruptibleRun signal = InterruptibleRun.arm(table, () -> {
        stdout.println("interrupted: " + table.rows().size() + " of " + total
            + " rows finished");
        summary.print(stdout);
        stdout.flush();
        table.close();
      })) {
        loop(table, err, terminal, total);
      }
      if (terminal) {
        err.print("\r\033[K");
        err.flush();
      }
      summary.print(stdout);
      stdout.flush();
      summary.plots();
      return summary.errors() > 0 ? CertifyCommand.ITEM_ERRORS : ExitCodes.OK;
    }
  }

  private void loop(ResultsTable table, PrintWriter err, boolean terminal, int total)
      throws IOException {
    ItemCertifier certifier = new ItemCertifier(config.setup());
    long start = System.nanoTime();
    int done = table.rows().size();
    int ranHere = 0;
    for (Dataset.Item item : config.data().items()) {
      String index = Integer.toString(item.index());
      String label = Integer.toString(item.label());
      if (config.radius()) {
        if (table.has(index)) {
          continue;
        }
        progress(err, terminal, done, total, ranHere, start, "item " + index + " radius");
        ItemCertifier.Radius r = certifier.radius(item, config.maxRadius(), config.tolerance());
        if (r.error() != null) {
          err.println("robustspec certify: item " + index + ": " + r.error());
        }
        String falsified = radiusText(r.falsified(), RoundingMode.CEILING);
        if (r.falsifying() != null) {
          save(item, falsified, r.falsifying(), r.falsified());
        }
        table.add(index, label,
            r.error() != null ? "error" : radiusText(r.certified(), RoundingMode.FLOOR),
            r.error() != null ? "error" : falsified, seconds(r.seconds()));
        done++;
        ranHere++;
        continue;
      }
      for (String eps : config.eps()) {
        if (table.has(index, eps)) {
          continue;
        }
        progress(err, terminal, done, total, ranHere, start, "item " + index + " eps " + eps);
        ItemCertifier.Probe p = certifier.probe(item, new BigDecimal(eps), config.setup()
            .timeout());
        if (p.message() != null && p.verdict().equals("error")) {
          err.println("robustspec certify: item " + index + " eps " + eps + ": " + p.message());
        }
        if (p.falsified()) {
          save(item, eps, p, new BigDecimal(eps).doubleValue());
        }
        table.add(index, label, eps, p.verdict(), p.decidedBy(),
            Double.isFinite(p.margin()) ? CertifyCommand.format(p.margin()) : "",
            seconds(p.seconds()));
        done++;
        ranHere++;
      }
    }
  }

  /** {@code [12/300] 0:41 elapsed, ~9:20 left: item 4 eps 0.02}, overwriting its line. */
  private static void progress(PrintWriter err, boolean terminal, int done, int total,
      int ranHere, long start, String current) {
    if (!terminal) {
      return;
    }
    err.print("\r\033[K" + RunClock.status(done, total, ranHere, start) + ": " + current);
    err.flush();
  }

  private void save(Dataset.Item item, String eps, ItemCertifier.Probe p, double radius)
      throws IOException {
    if (config.cexDir() == null) {
      return;
    }
    LocalRobustness ball = config.setup().robustness();
    double[] original = scaled(ball, item.values());
    double[] adversarial = unnormalised(ball, p.counterexample());
    int[] image = CounterexampleFiles.imageShape(config.data().itemShape(),
        item.values().length);
    CounterexampleFiles.Picture picture = null;
    if (image != null) {
      double lo = config.clip() != null ? config.clip()[0] : extreme(original, adversarial, true);
      double hi = config.clip() != null ? config.clip()[1] : extreme(original, adversarial, false);
      picture = new CounterexampleFiles.Picture(image, lo, hi > lo ? hi : lo + 1);
    }
    CounterexampleFiles.save(config.cexDir(), item.index(), eps, p.counterexample(),
        config.setup().network().inputShape(), picture, original, adversarial, item.label(),
        p.predicted(), radius);
  }

  private static double extreme(double[] a, double[] b, boolean low) {
    double m = low ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    for (int i = 0; i < a.length; i++) {
      m = low ? Math.min(m, Math.min(a[i], b[i])) : Math.max(m, Math.max(a[i], b[i]));
    }
    return m;
  }

  private static double[] scaled(LocalRobustness ball, double[] raw) {
    double[] v = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      v[i] = new BigDecimal(raw[i]).multiply(ball.scaleNumerator())
          .divide(ball.scaleDenominator(), MathContext.DECIMAL64).doubleValue();
    }
    return v;
  }

  private static double[] unnormalised(LocalRobustness ball, double[] x) {
    double[] v = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = x[i] * ball.std()[i % ball.std().length].doubleValue()
          + ball.mean()[i % ball.mean().length].doubleValue();
    }
    return v;
  }

  /**
   * A radius as a decimal of 10 significant digits, rounded so that the text itself stays true:
   * down for a certified radius (every smaller one is certified too), up for a falsified one
   * (the counterexample lies within it). The empty string when there is none.
   */
  static String radiusText(Double v, RoundingMode mode) {
    return v == null ? "" : new BigDecimal(v).round(new MathContext(10, mode))
        .stripTrailingZeros().toPlainString();
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  static void writeSvg(Path file, String svg) {
    try {
      Files.writeString(file, svg, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CertifyPlots.Point point(double eps, double accuracy) {
    return new CertifyPlots.Point(eps, accuracy);
  }
}
