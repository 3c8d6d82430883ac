package dev.robustspec.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code robustspec} command. */
@Command(
    name = "robustspec",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Proves properties of ReLU neural networks: each property ends certified (holds),",
        "falsified (violated, with a real counterexample) or unknown (with the best bound).",
        ""},
    subcommands = {CheckCommand.class, PlanCommand.class, VerifyCommand.class,
        InstanceCommand.class, BoundsCommand.class, BatchCommand.class,
        CertifyCommand.class, PlotCommand.class,
        SupportsCommand.class, ExportCommand.class, CommandLine.HelpCommand.class},
    footer = {
        "",
        "Examples:",
        "  robustspec verify examples/tutorial.rspec",
        "  robustspec check my.rspec && robustspec plan my.rspec",
        "  robustspec instance examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx \\",
        "                      examples/acasxu/prop_1.vnnlib --timeout 30",
        "  robustspec bounds NET.onnx PROP.vnnlib --pass deeppoly --json",
        "  robustspec batch ../shared/benchmarks/acasxu/instances.csv --timeout 10",
        "",
        "Exit codes: see each command's --help; 2 always means bad input or usage."})
public final class Main implements java.util.concurrent.Callable<Integer> {
  /** The VNN-LIB 2 solver interface's global {@code --name}. */
  @CommandLine.Option(names = "--name", description = "Print the solver's name and exit.")
  boolean name;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (name) {
      spec.commandLine().getOut().println("robustspec");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this). */
  public static int run(String... args) {
    return configured().execute(args);
  }

  /** Runs the CLI writing to {@code out} and {@code err} instead of System.out/err (tests). */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = configured();
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static CommandLine configured() {
    CommandLine cli = new CommandLine(new Main());
    for (CliExtension extension : java.util.ServiceLoader.load(CliExtension.class)) {
      cli.addSubcommand(extension.subcommand());
    }
    cli.setUsageHelpWidth(100);
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("robustspec: internal error: " + ex);
      return ExitCodes.INPUT_ERROR;
    });
    cli.setExitCodeExceptionMapper(ex -> ExitCodes.INPUT_ERROR);
    return cli;
  }

  /** Version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      // the bare version string: the VNN-LIB 2 solver interface reads it as semver
      return new String[] {v == null ? "0.1.0-SNAPSHOT" : v};
    }
  }
}
