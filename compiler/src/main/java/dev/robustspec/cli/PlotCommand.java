package dev.robustspec.cli;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.plot.PlotException;
import dev.robustspec.compiler.plot.PlotService;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec plot FILE --property P ...}: SVG pictures of a property's relaxations. */
@Command(
    name = "plot",
    header = "Draw a property's relaxations as an SVG picture.",
    mixinStandardHelpOptions = true,
    description = {
        "Two pictures, for one property of a .rspec file under its input region:",
        "",
        "--layer L --neurons I,J: two ReLUs of hidden layer L, in the plane of their inputs",
        "  (pre-activations) and of their outputs: the box each pass (interval, deeppoly)",
        "  allows, and the true values at random inputs of the region (--samples, --seed).",
        "  L counts the network's ReLU layers from 1; I and J are neuron indices within the",
        "  layer, from 0 (like net(x)[i]). A layer of images takes each neuron by channel and",
        "  position: --neurons C,H,W;C,H,W (e.g. --neurons '0,3,4;1,3,4'), and its axes are",
        "  labelled so: conv1 (0, 3, 4).",
        "--widths: per layer, the mean bound width (upper - lower) under each pass, on a log",
        "  scale: where precision is lost.",
        ""},
    footer = {
        "",
        "Examples:",
        "  robustspec plot examples/acasxu.rspec --property phi1 --layer 2 --neurons 0,2 \\",
        "                  --out neurons.svg",
        "  robustspec plot examples/mnist.rspec --property robust0_small --widths --out -",
        "",
        "Exit codes: 0 the picture was written, 2 bad input or options (the message says what",
        "to change)."})
final class PlotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "a .rspec file")
  Path file;

  @Option(names = "--property", required = true, paramLabel = "NAME",
      description = "the property whose region is plotted")
  String property;

  @Option(names = "--layer", paramLabel = "L",
      description = "hidden layer: the L-th ReLU layer of the network, counted from 1")
  Integer layer;

  @Option(names = "--neurons", paramLabel = "I,J",
      description = "two distinct neurons of that layer, counted from 0 (x axis, y axis);"
          + " C,H,W;C,H,W for a layer of images")
  String neurons;

  @Option(names = "--widths", description = "plot the mean bound width per layer instead")
  boolean widths;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "the SVG file to write, or - for standard output")
  String out;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "4000",
      description = "random inputs whose true values are drawn (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "random seed of the samples (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "wall-clock limit for the bounds and samples (default: ${DEFAULT-VALUE})")
  double timeout;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageError();
    if (usage != null) {
      err.println("robustspec plot: " + usage);
      return ExitCodes.INPUT_ERROR;
    }
    Compilation c = SpecFiles.load(file, err);
    if (c == null) {
      return ExitCodes.INPUT_ERROR;
    }
    SpecFiles.printDiagnostics(c, err);
    if (c.hasErrors()) {
      return ExitCodes.INPUT_ERROR;
    }
    PlotService service = PlotService.standard();
    Budget budget =
        Budget.of(Duration.ofNanos((long) (TimeoutOption.saturated(timeout) * 1e9)));
    String svg;
    try {
      if (widths) {
        svg = service.widthsSvg(c, property, budget);
      } else {
        int[] pair = neuronPair();
        if (pair == null) { // C,H,W;C,H,W: each neuron by channel and position
          int[][] multi = multiIndices();
          pair = new int[] {service.neuronAt(c, property, layer, multi[0]),
              service.neuronAt(c, property, layer, multi[1])};
          if (pair[0] == pair[1]) {
            err.println("robustspec plot: --neurons needs two different neurons of the layer;"
                + " got '" + neurons + "'");
            return ExitCodes.INPUT_ERROR;
          }
        }
        svg = service.neuronPairSvg(c, property, layer, pair[0], pair[1],
            new PlotService.Sampling(samples, seed), budget);
      }
    } catch (PlotException e) {
      err.println("robustspec plot: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    } catch (BudgetExhaustedException e) {
      err.println(String.format(Locale.ROOT, "robustspec plot: out of time after %.3g s;"
          + " raise --timeout or lower --samples", timeout));
      return ExitCodes.INPUT_ERROR;
    }
    if (out.equals("-")) {
      stdout.print(svg);
      stdout.flush();
      return ExitCodes.OK;
    }
    try {
      Files.writeString(Path.of(out), svg, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      err.println("robustspec plot: cannot write " + out + ": " + reason(e));
      return ExitCodes.INPUT_ERROR;
    }
    return ExitCodes.OK;
  }

  /** What is wrong with the options alone, or null. */
  private String usageError() {
    boolean pair = layer != null || neurons != null;
    if (widths && pair) {
      return "--widths plots every layer: drop --layer and --neurons, or drop --widths";
    }
    if (!widths && !pair) {
      return "say what to draw: --layer L --neurons I,J (two neurons of hidden layer L) or"
          + " --widths";
    }
    if (!widths && layer == null) {
      return "--neurons needs --layer L: the hidden layer (ReLU layer, counted from 1) they"
          + " belong to";
    }
    if (!widths && neurons == null) {
      return "--layer needs --neurons I,J: two neurons of that layer, counted from 0";
    }
    if (!widths && neuronPair() != null && neuronPair()[0] == neuronPair()[1]) {
      return "--neurons needs two different neurons of the layer; got '" + neurons + "'";
    }
    if (!widths && neuronPair() == null && multiIndices() == null) {
      return "--neurons takes two distinct neuron indices separated by a comma, e.g."
          + " --neurons 0,1, or for a layer of images two (channel, row, column) separated by"
          + " a semicolon, e.g. --neurons '0,3,4;1,3,4'; got '" + neurons + "'";
    }
    if (!(timeout > 0)) {
      return "--timeout must be positive";
    }
    if (!out.equals("-") && ResultDestination.problem(Path.of(out)) != null) {
      return "--out " + ResultDestination.problem(Path.of(out));
    }
    if (samples < 1 || samples > PlotService.MAX_SAMPLES) {
      return "--samples must be between 1 and " + PlotService.MAX_SAMPLES;
    }
    return null;
  }

  /** The two indices of --neurons, or null unless it is two integers. */
  private int[] neuronPair() {
    String[] parts = neurons.split(",", -1);
    if (parts.length != 2) {
      return null;
    }
    try {
      int i = Integer.parseInt(parts[0].trim());
      int j = Integer.parseInt(parts[1].trim());
      return new int[] {i, j};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The two multi-indices of --neurons C,H,W;C,H,W, or null unless it is that. */
  private int[][] multiIndices() {
    String[] parts = neurons.split(";", -1);
    if (parts.length != 2) {
      return null;
    }
    int[][] out = new int[2][];
    for (int n = 0; n < 2; n++) {
      String[] dims = parts[n].split(",", -1);
      out[n] = new int[dims.length];
      for (int d = 0; d < dims.length; d++) {
        try {
          out[n][d] = Integer.parseInt(dims[d].trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return out;
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such folder";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
