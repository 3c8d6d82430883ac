package dev.robustspec.engine.search;

import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Not a test: branch and bound alone on ACAS Xu instances, printing per instance the outcome, the
 * boxes bounded, the time and the boxes per second. Arguments: benchmarks folder, timeout in
 * seconds, then (system property bounding picks a {@link BranchAndBound.Bounding}; system property maxBoxes caps the boxes per case, so a capped run reports its
 * rate as UNKNOWN) {@code net:prop} pairs such as {@code 1_1:3}.
 */
public final class BabThroughput {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).resolve("acasxu");
    double timeout = Double.parseDouble(args[1]);
    long maxBoxes = Long.getLong("maxBoxes", 1_000_000);
    for (int a = 2; a < args.length; a++) {
      String[] p = args[a].split(":");
      Network net = OnnxReader.read(dir.resolve("onnx/ACASXU_run2a_" + p[0] + "_batch_2000.onnx"));
      Specification spec = VnnlibFiles.specification(dir.resolve("vnnlib/prop_" + p[1] + ".vnnlib"));
      BranchAndBound bab = new BranchAndBound(net,
          BranchAndBound.Bounding.valueOf(System.getProperty("bounding", "DEEPPOLY")));
      long start = System.nanoTime();
      Budget budget = Budget.of(Duration.ofMillis((long) (timeout * 1000)));
      long boxes = 0;
      String status = "PROVEN";
      double margin = Double.POSITIVE_INFINITY;
      try {
        for (int c = 0; c < spec.cases().size(); c++) {
          BranchAndBound.Outcome o = bab.run(spec.cases().get(c), c,
              new BranchAndBound.Options(40, maxBoxes, 0, 0), budget);
          boxes += o.boxes();
          margin = Math.min(margin, o.margin());
          if (o.status() != BranchAndBound.Outcome.Status.PROVEN) {
            status = o.status().toString();
            break;
          }
        }
      } catch (BudgetExhaustedException e) {
        status = "TIMEOUT";
        boxes = -1;
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("%-6s prop_%s %-9s boxes %8d  %7.2fs  %8.0f boxes/s  margin %.6g%n",
          p[0], p[1], status, boxes, s, boxes / s, margin);
    }
  }
}
