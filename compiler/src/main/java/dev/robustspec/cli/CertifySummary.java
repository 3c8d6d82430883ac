package dev.robustspec.cli;

import dev.robustspec.compiler.plot.CertifyPlots;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of a certify run, from the table's rows (read back on --resume, or written now):
 * certified accuracy per epsilon, or the distribution of certified radii; and its pictures.
 */
final class CertifySummary {
  private final CertifyRun.Config config;
  private final ResultsTable table;

  CertifySummary(CertifyRun.Config config, ResultsTable table) {
    this.config = config;
    this.table = table;
  }

  /** Rows whose verdict is error. */
  int errors() {
    int n = 0;
    for (String[] r : table.rows()) {
      if (config.radius() ? r[2].equals("error") : r[3].equals("error")) {
        n++;
      }
    }
    return n;
  }

  void print(PrintWriter out) {
    int items = config.data().items().size();
    List<String[]> rows = table.rows();
    if (config.radius()) {
      printRadius(out, rows, items);
      return;
    }
    double time = 0;
    for (String[] r : rows) {
      time += Double.parseDouble(r[6]);
    }
    out.printf(Locale.ROOT, "%d items, %d rows in %.1f s (each item's verdict at each eps;"
        + " an item misclassified at its centre counts as falsified)%n", items, rows.size(), time);
    for (String eps : epsilons(rows)) {
      Map<String, Integer> tally = new TreeMap<>();
      int centre = 0;
      for (String[] r : rows) {
        if (r[2].equals(eps)) {
          tally.merge(r[3], 1, Integer::sum);
          centre += r[4].equals("centre") ? 1 : 0;
        }
      }
      int certified = tally.getOrDefault("certified", 0);
      out.printf(Locale.ROOT, "eps %s: certified accuracy %.1f%% (%d of %d); %s%s%n", eps,
          100.0 * certified / items, certified, items, tally.toString().replaceAll("[{}]", ""),
          centre > 0 ? " (" + centre + " falsified at the centre)" : "");
    }
  }

  private void printRadius(PrintWriter out, List<String[]> rows, int items) {
    List<Double> radii = certifiedRadii(rows);
    int falsified = 0;
    int atCentre = 0;
    double time = 0;
    for (String[] r : rows) {
      time += Double.parseDouble(r[4]);
      if (!r[3].isEmpty() && !r[3].equals("error")) {
        falsified++;
        atCentre += Double.parseDouble(r[3]) == 0 ? 1 : 0;
      }
    }
    out.printf(Locale.ROOT, "%d items, %d searched in %.1f s; radius searched in (0, %s],"
        + " bracket tolerance %s%n", items, rows.size(), time, config.maxRadius(),
        CertifyCommand.format(config.tolerance()));
    List<Double> sorted = new ArrayList<>(radii);
    sorted.sort(null);
    if (sorted.isEmpty()) {
      out.println("no item has a certified radius");
    } else {
      out.printf(Locale.ROOT, "certified radius: %d items; min %s, median %s, max %s%n",
          sorted.size(), CertifyCommand.format(sorted.get(0)),
          CertifyCommand.format(sorted.get(sorted.size() / 2)),
          CertifyCommand.format(sorted.get(sorted.size() - 1)));
    }
    out.printf(Locale.ROOT, "falsified: %d items have a counterexample (%d misclassified at"
        + " the centre, radius 0)%n", falsified, atCentre);
    StringBuilder acc = new StringBuilder("certified accuracy at radius:");
    for (int k = 1; k <= 5; k++) {
      double r = sorted.isEmpty() ? config.maxRadius() * k / 5
          : sorted.get(sorted.size() - 1) * k / 5;
      long n = radii.stream().filter(x -> x >= r).count();
      acc.append(String.format(Locale.ROOT, " %s: %.1f%%;", CertifyCommand.format(r),
          100.0 * n / items));
    }
    out.println(acc.substring(0, acc.length() - 1));
  }

  /** Writes the SVG pictures when --plot was given. */
  void plots() {
    Path file = config.plot();
    if (file == null) {
      return;
    }
    int items = config.data().items().size();
    List<String[]> rows = table.rows();
    List<CertifyPlots.Point> points = new ArrayList<>();
    if (config.radius()) {
      List<Double> radii = certifiedRadii(rows);
      radii.sort(null);
      points.add(CertifyRun.point(0, radii.size() / (double) items));
      // accuracy stays at n/items up to the smallest radius, then drops by one per radius
      for (int i = 0; i < radii.size(); i++) {
        points.add(CertifyRun.point(radii.get(i), (radii.size() - i - 1) / (double) items));
      }
      CertifyRun.writeSvg(file, CertifyPlots.accuracyCurve("Certified accuracy (radius search)",
          points, true, items));
      String name = file.getFileName().toString().replaceFirst("\\.svg$", "");
      CertifyRun.writeSvg(file.resolveSibling(name + "-histogram.svg"),
          CertifyPlots.radiusHistogram("Largest certified radius per item", radii,
              items - radii.size(), radii.isEmpty() ? config.maxRadius()
                  : radii.get(radii.size() - 1), 20));
      return;
    }
    for (String eps : epsilons(rows)) {
      long certified = rows.stream().filter(r -> r[2].equals(eps) && r[3].equals("certified"))
          .count();
      points.add(CertifyRun.point(new BigDecimal(eps).doubleValue(),
          certified / (double) items));
    }
    points.sort((a, b) -> Double.compare(a.eps(), b.eps()));
    CertifyRun.writeSvg(file, CertifyPlots.accuracyCurve("Certified accuracy against epsilon",
        points, false, items));
  }

  /** The epsilons of this run, and any other found in the resumed file, in order given. */
  private List<String> epsilons(List<String[]> rows) {
    List<String> eps = new ArrayList<>(config.eps());
    for (String[] r : rows) {
      if (!eps.contains(r[2])) {
        eps.add(r[2]);
      }
    }
    return eps;
  }

  private static List<Double> certifiedRadii(List<String[]> rows) {
    List<Double> radii = new ArrayList<>();
    for (String[] r : rows) {
      if (!r[2].isEmpty() && !r[2].equals("error")) {
        radii.add(Double.parseDouble(r[2]));
      }
    }
    return radii;
  }
}
