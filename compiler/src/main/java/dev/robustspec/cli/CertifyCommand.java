package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.io.dataset.DatasetReader;
import dev.robustspec.engine.io.dataset.RowRange;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.LocalRobustness;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec certify NET --data FILE --eps E,...|--radius}: a whole test set. */
@Command(
    name = "certify",
    header = "Certify local robustness of a classifier on every item of a data set.",
    mixinStandardHelpOptions = true,
    description = {
        "For every item (image) of a data set, proves or refutes that every input within",
        "L-inf distance eps of it, clipped to --clip, is classified as its label (argmax, a tie",
        "counting against). Items misclassified at the centre count as falsified, with the",
        "centre as counterexample (as ERAN and alpha-beta-CROWN report them). eps and --clip",
        "are in the scaled space (stored value * --scale); --mean/--std normalise after that,",
        "per channel, the channel being the last axis (interleaved R,G,B).",
        "",
        "--eps: one CSV row per item and epsilon: index,label,eps,verdict,decided_by,margin,",
        "seconds (verdict: certified, falsified, unknown, timeout, error).",
        "--radius: the largest certified radius per item by bisection in (0, --max-radius]",
        "until the bracket [certified, not certified] is at most --tolerance wide; a",
        "counterexample at distance d lowers the bracket's top to d. One row per item:",
        "index,label,radius_certified,radius_falsified,seconds (empty where none was found).",
        "",
        "Rows are written and flushed as items finish; --resume skips rows already in --out.",
        "Ctrl-C (SIGINT/SIGTERM) prints the summary of what finished and exits 130.",
        ""},
    footer = {
        "",
        "Example:",
        "  robustspec certify ../shared/benchmarks/mnistfc/onnx/mnist-net_256x2.onnx \\",
        "      --data ../shared/datasets/mnist_test.csv --scale 1/255 --clip 0,1 \\",
        "      --eps 0.01,0.02,0.03 --out results.csv --save-counterexamples cex",
        "",
        "Exit codes: 0 when every item got a verdict, 1 when an item errored, 2 for bad input,",
        "130 when interrupted."})
final class CertifyCommand implements Callable<Integer> {
  /** Some item ended in an error (its row says error). */
  static final int ITEM_ERRORS = 1;
  /** Stopped by SIGINT or SIGTERM: the finished rows are kept. */
  static final int INTERRUPTED = InterruptibleRun.EXIT_CODE;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NET", description = "network: .onnx or .nnet")
  Path network;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "data set: .csv (label, values), .npy (with --labels) or IDX (with --labels)")
  Path data;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "labels of a .npy (a .npy or one label a line) or IDX data set")
  Path labels;

  static final class Mode {
    @Option(names = "--eps", paramLabel = "E[,E...]", required = true,
        description = "the radii to certify each item at")
    String eps;

    @Option(names = "--radius", required = true,
        description = "find each item's largest certified radius")
    boolean radius;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  @Option(names = "--rows", paramLabel = "A..B", description = "rows A to B, inclusive, from 0")
  String rows;

  @Option(names = "--scale", paramLabel = "S", defaultValue = "1",
      description = "multiply stored values by S: a number or a fraction (1/255)")
  String scale;

  @Option(names = "--mean", paramLabel = "M[,M...]", defaultValue = "0",
      description = "per-channel mean subtracted after scaling (default: 0)")
  String mean;

  @Option(names = "--std", paramLabel = "S[,S...]", defaultValue = "1",
      description = "per-channel standard deviation divided by after (default: 1)")
  String std;

  @Option(names = "--clip", paramLabel = "LO,HI",
      description = "the valid range of scaled values (default: none)")
  String clip;

  @Option(names = "--shape", paramLabel = "H,W[,C]",
      description = "item shape, for pictures (default: from the file, or square images)")
  String shape;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "per item and eps; with --radius per item (default: ${DEFAULT-VALUE})")
  double timeout;

  @Option(names = "--seed", defaultValue = "0", description = "search seed (default: 0)")
  long seed;

  @Option(names = "--max-radius", paramLabel = "R",
      description = "--radius searches (0, R] (default: the clip range's width)")
  Double maxRadius;

  @Option(names = "--tolerance", paramLabel = "T",
      description = "--radius stops when the bracket is at most T wide (default: R/1000)")
  Double tolerance;

  @Option(names = "--out", paramLabel = "FILE", description = "results CSV (default:"
      + " stdout); with --spark, R.parquet: a Parquet table, derived from R.parquet.csv written"
      + " row by row")
  Path out;

  @Option(names = "--save-counterexamples", paramLabel = "DIR",
      description = "write DIR/item<index>_eps<eps>.csv, .npy and .png")
  Path cexDir;

  @Option(names = "--resume", description = "skip the rows already in --out")
  boolean resume;

  @Option(names = "--plot", paramLabel = "FILE.svg",
      description = "certified accuracy against eps as SVG (--radius: and FILE-histogram.svg)")
  Path plot;

  @Option(names = "--passes", paramLabel = "P1,P2", defaultValue = PassNames.DEFAULT,
      description = "the plan, as for instance (default: ${DEFAULT-VALUE})")
  String passes;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "run the items as Spark tasks: local[2], spark://host:7077, ... or submit"
          + " (the master of spark-submit); see docs/spark.md")
  String spark;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CertifyRun run;
    try {
      run = prepare();
    } catch (IllegalArgumentException e) {
      err.println("robustspec certify: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    } catch (InputFormatException e) {
      err.println("robustspec certify: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    try {
      return run.execute(stdout, err, System.console() != null);
    } catch (IllegalArgumentException e) {
      err.println("robustspec certify: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
  }

  private CertifyRun prepare() throws InputFormatException {
    if (!(timeout > 0)) {
      throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
    }
    if (resume && out == null) {
      throw new IllegalArgumentException("--resume needs --out FILE (the rows to skip)");
    }
    PassNames.validate(passes);
    if (out != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
        && spark == null) {
      throw new IllegalArgumentException("--out " + out + ": Parquet tables are written by the"
          + " Spark back end; add --spark local[*] (or write a .csv)");
    }
    if (spark != null) {
      WorkBackend.find(); // a missing back end is an error before any work
    }
    BigDecimal[] s = CertifyArguments.fraction("--scale", scale);
    List<BigDecimal> m = CertifyArguments.numbers("--mean", mean);
    List<BigDecimal> d = CertifyArguments.numbers("--std", std);
    BigDecimal lo = BigDecimal.valueOf(-Double.MAX_VALUE);
    BigDecimal hi = BigDecimal.valueOf(Double.MAX_VALUE);
    if (clip != null) {
      List<BigDecimal> c = CertifyArguments.numbers("--clip", clip);
      if (c.size() != 2 || c.get(0).compareTo(c.get(1)) > 0) {
        throw new IllegalArgumentException("--clip takes LO,HI with LO <= HI, got '" + clip
            + "'");
      }
      lo = c.get(0);
      hi = c.get(1);
    }
    LocalRobustness ball = new LocalRobustness(s[0], s[1], m.toArray(BigDecimal[]::new),
        d.toArray(BigDecimal[]::new), lo, hi);
    List<String> eps = mode.radius ? List.of() : CertifyArguments.epsilons(mode.eps);
    double max = 0;
    double tol = 0;
    if (mode.radius) {
      if (maxRadius == null && clip == null) {
        throw new IllegalArgumentException("--radius needs --max-radius R or --clip LO,HI"
            + " (whose width is the default R)");
      }
      max = maxRadius != null ? maxRadius : hi.subtract(lo).doubleValue();
      if (!(max > 0) || Double.isInfinite(max)) {
        throw new IllegalArgumentException("--max-radius must be positive, got " + max);
      }
      tol = tolerance != null ? tolerance : max / 1000;
      if (!(tol > 0)) {
        throw new IllegalArgumentException("--tolerance must be positive, got " + tol);
      }
    }
    Network net = Inputs.network(network);
    int[] itemShape = shape == null ? null : CertifyArguments.shape(shape);
    Dataset set = DatasetReader.read(new DatasetReader.Request(data, labels, itemShape,
        rows == null ? RowRange.ALL : RowRange.parse(rows)));
    if (set.itemSize() != net.inputSize()) {
      throw new InputFormatException(data, "items have " + set.itemSize() + " values but the"
          + " network " + network + " takes " + net.inputSize() + " inputs");
    }
    ItemCertifier.Setup setup = new ItemCertifier.Setup(net, ball, passes, timeout, seed);
    return new CertifyRun(new CertifyRun.Config(setup, set, eps, max, tol, out, resume, cexDir,
        plot, clip == null ? null : new double[] {lo.doubleValue(), hi.doubleValue()},
        NetworkFile.of(network), spark));
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
