package dev.robustspec.engine.search;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not a test: runs the plan [attack quick, interval, deeppoly, bab] on ACAS Xu instances from
 * {@code instances.csv} and prints each verdict and the totals. Arguments: timeout in seconds
 * (default 20), then optional substrings an instance line must contain one of (e.g.
 * {@code _1_ prop_5}).
 */
public final class AcasXuBabBenchmark {
  public static void main(String[] args) throws Exception {
    double timeout = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    List<String> filters = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
    Path dir = TestData.benchmarks().resolve("acasxu");
    Map<String, Integer> counts = new TreeMap<>();
    List<Double> times = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("instances.csv"))) {
      if (line.isBlank() || (!filters.isEmpty() && filters.stream().noneMatch(line::contains))) {
        continue;
      }
      String[] f = line.split(",");
      Network net = OnnxReader.read(dir.resolve(f[0]));
      Specification spec = VnnlibFiles.specification(dir.resolve(f[1]));
      Verifier.Plan plan = new Verifier.Plan(List.of(
          new PlanStep.Search(CounterexampleSearch.Options.quick(0), null),
          new PlanStep.Relax(new IntervalPass(), null),
          new PlanStep.Relax(new DeepPolyPass(), null),
          new PlanStep.Branch(BranchAndBound.Options.defaults(0), null)));
      VerificationResult r = new Verifier(net).verify(spec, plan,
          Budget.of(Duration.ofMillis((long) (timeout * 1000))));
      String word = r.verdict().word();
      counts.merge(word, 1, Integer::sum);
      times.add(r.seconds());
      System.out.printf("%-40s %-18s %-9s %7.2fs%n", f[0], f[1], word, r.seconds());
    }
    List<Double> sorted = times.stream().sorted().toList();
    double total = times.stream().mapToDouble(Double::doubleValue).sum();
    double median = sorted.isEmpty() ? 0 : sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf("%d instances: %s; total %.1fs, median %.2fs%n", times.size(), counts,
        total, median);
  }
}
