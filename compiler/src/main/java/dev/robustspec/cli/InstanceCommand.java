package dev.robustspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec instance NET PROP}: one VNN-COMP instance. */
@Command(
    name = "instance",
    header = "Verify one VNN-COMP instance: a network and a VNN-LIB property.",
    mixinStandardHelpOptions = true,
    description = {
        "Verifies one VNN-COMP instance: a network (.onnx or .nnet) and a VNN-LIB property",
        "(.vnnlib) that describes the UNSAFE outputs. Prints one line: holds (no unsafe input",
        "exists), violated (a counterexample was found and re-checked), unknown or timeout,",
        "with the method that decided and the time.",
        "",
        "The default plan: a quick counterexample search (attack), interval arithmetic",
        "(interval), DeepPoly/CROWN back-substitution (deeppoly), a thorough search (attack),",
        "then input-splitting branch and bound (bab, when the property lets at most 16",
        "inputs vary). Otherwise: alpha-CROWN's optimised intermediate bounds",
        "(alpha(interm=20)), ReLU-splitting branch and bound for up to 20 s (relubab), the",
        "k-ReLU multi-neuron bounds by gradient for up to 120 s (kalpha), then relubab again",
        "from kalpha's bounds. Every bound is sound under floating point; every",
        "counterexample is re-evaluated before it is reported.",
        "",
        "With --check-model, ONNX Runtime (the reference runtime) and our forward pass first",
        "evaluate 8 points of the input box; if they differ by more than 2^10 float32 ulps of",
        "the output's magnitude, the instance is refused (as NNV does): the message names the",
        "network, the point and both outputs, and the result file says 'error'.",
        ""},
    footer = {
        "",
        "Examples:",
        "  robustspec instance examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx \\",
        "                      examples/acasxu/prop_1.vnnlib",
        "  robustspec instance net.onnx prop.vnnlib --timeout 60 --result out.txt --json",
        "  robustspec instance net.onnx prop.vnnlib --save-counterexamples cex/",
        "",
        "Exit codes: 0 for any verdict, 2 for bad input (the result file then says 'error')."})
final class InstanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NET", description = "network: .onnx or .nnet")
  Path network;

  @Parameters(index = "1", paramLabel = "PROP", description = "property: .vnnlib")
  Path property;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "wall-clock limit, reading included (default: ${DEFAULT-VALUE})")
  double timeout;

  @Option(names = "--result", paramLabel = "FILE",
      description = "also write the VNN-COMP result file (unsat/sat/unknown/timeout/error)")
  Path resultFile;

  @Option(names = "--json", description = "print one JSON object instead of the line")
  boolean json;

  @Option(names = "--passes", paramLabel = "P1,P2", defaultValue = PassNames.DEFAULT,
      description = "the plan: passes in order, from interval, deeppoly, alpha, lp, krelu, kalpha,"
          + " attack, bab, relubab, with parameters in parentheses (krelu(k=3,ns=8)); or"
          + " 'default' (attack, interval, deeppoly, attack, then bab when at most 16 inputs"
          + " vary, otherwise alpha(interm=20,share=0.5), relubab(timeout=20), kalpha(timeout=120),"
          + " relubab)")
  String passes;

  @Option(names = "--check-model",
      description = "first compare our forward pass with ONNX Runtime on 8 points of the input"
          + " box; refuse to verify if they differ (.onnx networks)")
  boolean checkModel;

  @Option(names = "--save-counterexamples", paramLabel = "DIR",
      description = "write a counterexample as DIR/<property>.csv and .npy (the network's input)"
          + " and, for an image-shaped input, a PNG: the input box's centre, the"
          + " counterexample and their difference")
  Path cexDir;

  @Option(names = "--seed", defaultValue = "0",
      description = "seed of the counterexample search (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (TimeoutOption.problem(timeout) != null) {
      err.println("robustspec instance: " + TimeoutOption.problem(timeout));
      writeErrorResult();
      return ExitCodes.INPUT_ERROR;
    }
    if (resultFile != null && ResultDestination.problem(resultFile) != null) {
      err.println("robustspec instance: --result " + ResultDestination.problem(resultFile));
      return ExitCodes.INPUT_ERROR;
    }
    try {
      PassNames.validate(passes);
    } catch (IllegalArgumentException e) {
      err.println("robustspec instance: " + e.getMessage());
      writeErrorResult();
      return ExitCodes.INPUT_ERROR;
    }
    if (checkModel) {
      String refusal = modelCheckRefusal();
      if (refusal != null) {
        err.println("robustspec instance: " + refusal);
        writeErrorResult();
        return ExitCodes.INPUT_ERROR;
      }
    }
    ResultOnSignal result = ResultOnSignal.arm(resultFile, "unknown\n");
    InstanceRunner.Outcome o =
        InstanceRunner.run(network, property, passes, TimeoutOption.saturated(timeout), seed);
    result.complete(Reports.resultFile(o));
    if (cexDir != null && !o.failed()
        && o.result().verdict() instanceof dev.robustspec.engine.verify.Verdict.Falsified f) {
      save(o, f, err);
    }
    if (json) {
      out.println(Reports.toJson(Reports.json(o)));
    } else if (o.failed()) {
      err.println("robustspec: " + o.error().getMessage());
    } else {
      out.println(Reports.oneLine(o));
    }
    out.flush();
    return o.failed() ? ExitCodes.INPUT_ERROR : ExitCodes.OK;
  }

  /**
   * The counterexample as {@code verify} saves it, named after the property file; the picture's
   * "original" is the centre of the first input box, with the class the network gives it.
   */
  private void save(InstanceRunner.Outcome o, dev.robustspec.engine.verify.Verdict.Falsified f,
      PrintWriter err) {
    String name = property.getFileName().toString().replaceFirst("\\.vnnlib$", "");
    dev.robustspec.engine.spec.Box box = o.spec().regions().get(0);
    double[] centre = new double[box.dimension()];
    for (int i = 0; i < centre.length; i++) {
      centre[i] = box.lower()[i] / 2 + box.upper()[i] / 2;
    }
    double[] y = o.network().evaluate(centre);
    int label = 0;
    for (int j = 1; j < y.length; j++) {
      label = y[j] > y[label] ? j : label;
    }
    try {
      CounterexampleFiles.saveProperty(cexDir, name, f.input(), o.network().inputShape(),
          centre, label, f.output());
    } catch (IOException e) {
      err.println("robustspec instance: cannot save the counterexample in " + cexDir + ": "
          + e.getMessage());
    }
  }

  /** Null when the model passes {@link ModelCheck}, else why it is refused. */
  private String modelCheckRefusal() {
    if (!network.toString().endsWith(".onnx")) {
      return "--check-model compares with ONNX Runtime and needs an .onnx network, got "
          + network;
    }
    Inputs.Instance instance;
    try {
      instance = Inputs.instance(network, property);
    } catch (dev.robustspec.engine.io.InputFormatException e) {
      return e.getMessage();
    }
    ModelCheck.Report r;
    try {
      r = ModelCheck.check(network, instance.network(),
          instance.property().regions().get(0), 8, seed);
    } catch (ModelCheck.RuntimeFailure e) {
      return network + ": refusing to verify: " + e.getMessage();
    }
    if (r.mismatch() == null) {
      return null;
    }
    return ModelCheck.refusal(network, r);
  }

  /** Bad options are bad input too: the result file says so, as the help promises. */
  private void writeErrorResult() throws IOException {
    if (resultFile != null) {
      Files.writeString(resultFile, "error\n", StandardCharsets.UTF_8);
    }
  }
}
