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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      double tolerance, Path out, boolean resume, Path cexDir, Path plot, double[] clip,
      NetworkFile networkFile, String spark) {
    boolean radius() {
      return eps.isEmpty();
    }
  }

  private final Config config;

  CertifyRun(Config config) {
    this.config = config;
  }

  int execute(PrintWriter stdout, PrintWriter err, boolean terminal) throws IOException {
    if (config.spark() == null) {
      return execute(null, stdout, err, terminal);
    }
    try (WorkBackend.Session cluster = WorkBackend.find().open(config.spark(), terminal, err)) {
      return execute(cluster, stdout, err, terminal);
    }
  }

  private int execute(WorkBackend.Session cluster, PrintWriter stdout, PrintWriter err,
      boolean terminal) throws IOException {
    boolean radius = config.radius();
    int total = config.data().items().size() * (radius ? 1 : config.eps().size());
    String header = radius ? RADIUS_HEADER : EPS_HEADER;
    int[] keys = radius ? new int[] {0} : new int[] {0, 2};
    try (ResultsTable table = ParquetOutput.open(cluster, config.out(), header, keys,
        config.resume(), stdout)) {
      CertifySummary summary = new CertifySummary(config, table);
      try (InterruptibleRun signal = InterruptibleRun.arm(table, () -> {
        stdout.println("interrupted: " + table.rows().size() + " of " + total
            + " rows finished");
        summary.print(stdout);
        stdout.flush();
        table.close();
      })) {
        loop(cluster, table, err, terminal, total);
      }
      if (terminal) {
        err.print("\r\033[K");
        err.flush();
      }
      ParquetOutput.finish(cluster, config.out(), header, table);
      summary.print(stdout);
      stdout.flush();
      summary.plots();
      return summary.errors() > 0 ? CertifyCommand.ITEM_ERRORS : ExitCodes.OK;
    }
  }

  /** The items whose rows are not in the table yet, in data-set order. */
  private Map<String, CertifyItem> pending(ResultsTable table) {
    Map<String, CertifyItem> items = new LinkedHashMap<>();
    CertifyItem.Ball ball = CertifyItem.Ball.of(config.setup().robustness());
    ItemCertifier.Setup s = config.setup();
    for (Dataset.Item item : config.data().items()) {
      String index = Integer.toString(item.index());
      for (String eps : config.radius() ? java.util.Collections.<String>singletonList(null)
          : config.eps()) {
        if (!(eps == null ? table.has(index) : table.has(index, eps))) {
          CertifyItem w = new CertifyItem(config.networkFile(), ball, s.passes(), s.timeout(),
              s.seed(), item.index(), item.label(), item.values(), eps, config.maxRadius(),
              config.tolerance());
          items.put(w.key(), w);
        }
      }
    }
    return items;
  }

  private void loop(WorkBackend.Session cluster, ResultsTable table, PrintWriter err,
      boolean terminal, int total) throws IOException {
    Map<String, CertifyItem> items = pending(table);
    if (cluster != null) {
      cluster.run("robustspec certify", List.copyOf(items.values()), r -> {
        try {
          record(items.get(r.key()), r, table, err);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return;
    }
    ItemCertifier certifier = new ItemCertifier(config.setup());
    long start = System.nanoTime();
    int done = table.rows().size();
    int ranHere = 0;
    for (CertifyItem item : items.values()) {
      progress(err, terminal, done, total, ranHere, start, "item " + item.index()
          + (item.eps() == null ? " radius" : " eps " + item.eps()));
      record(item, item.run(certifier), table, err);
      done++;
      ranHere++;
    }
  }

  /** One finished item: its error reported, its counterexample saved, its row written. */
  private void record(CertifyItem item, WorkResult r, ResultsTable table, PrintWriter err)
      throws IOException {
    if ("error".equals(r.verdict()) && r.message() != null) {
      err.println("robustspec certify: item " + item.index()
          + (item.eps() == null ? "" : " eps " + item.eps()) + ": " + r.message());
      err.flush();
    }
    if (r.counterexample() != null) {
      save(item, item.eps() == null ? r.row()[3] : item.eps(), r);
    }
    table.add(r.row());
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

  private void save(CertifyItem item, String eps, WorkResult r) throws IOException {
    if (config.cexDir() == null) {
      return;
    }
    LocalRobustness ball = config.setup().robustness();
    double[] original = scaled(ball, item.values());
    double[] adversarial = unnormalised(ball, r.counterexample());
    int[] image = CounterexampleFiles.imageShape(config.data().itemShape(),
        item.values().length);
    CounterexampleFiles.Picture picture = null;
    if (image != null) {
      double lo = config.clip() != null ? config.clip()[0] : extreme(original, adversarial, true);
      double hi = config.clip() != null ? config.clip()[1] : extreme(original, adversarial, false);
      picture = new CounterexampleFiles.Picture(image, lo, hi > lo ? hi : lo + 1);
    }
    CounterexampleFiles.save(config.cexDir(), item.index(), eps, r.counterexample(),
        config.setup().network().inputShape(), picture, original, adversarial, item.label(),
        r.predicted(), r.counterexampleRadius());
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
    return dev.robustspec.compiler.service.RadiusRunner.radiusText(v, mode);
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
