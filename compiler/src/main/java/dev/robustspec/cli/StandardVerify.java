package dev.robustspec.cli;

import com.google.protobuf.CodedOutputStream;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxFile;
import dev.robustspec.engine.io.OnnxSignature;
import dev.robustspec.engine.io.Theories;
import dev.robustspec.engine.io.Vnnlib2Reader;
import dev.robustspec.engine.io.VnnlibQuery.Equivalence;
import dev.robustspec.engine.io.VnnlibQuery.NetworkDecl;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.io.VnnlibReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.QueryLowering.Lowered;
import dev.robustspec.engine.query.QueryLowering;
import dev.robustspec.engine.query.Replay;
import dev.robustspec.engine.run.DefaultPlan;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.run.Problem;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code robustspec verify QUERY.vnnlib --network NAME=MODEL ...}: the VNN-LIB 2 standard's
 * solver command line (chapter "Solver Command-line Interface"). stdout's first line is exactly
 * {@code sat}, {@code unsat}, {@code unknown} or {@code timed-out}; after {@code sat} each
 * declared variable follows in declaration order ({@code NAME TYPE SHAPE}, then one value per
 * line, row-major); nothing else goes to stdout. Logs and errors go to stderr; every verdict
 * exits 0, errors exit 2. The timeout is counted from the JVM's start, so the caller's clock and
 * ours agree; the verdict {@code timed-out} is printed by us, on time.
 */
final class StandardVerify {
  /** Kept free before the deadline for printing and exiting. */
  private static final long EXIT_RESERVE_MILLIS = 250;
  private static final long SEED = 1;
  /** {@code --serialise-assignments DIR} is implemented ({@link #serialise}). */
  static final boolean SERIALISES_ASSIGNMENTS = true;

  private StandardVerify() {}

  static int run(Path queryFile, List<String> networkOptions, Double timeoutSeconds,
      Path serialiseDir, PrintWriter out, PrintWriter err) {
    long deadline = timeoutSeconds == null ? Long.MAX_VALUE
        : ManagementFactory.getRuntimeMXBean().getStartTime()
            + (long) (timeoutSeconds * 1000) - EXIT_RESERVE_MILLIS;
    Lowered lowered;
    try {
      // Reading the query and the models counts against the deadline too (issue 12). With no
      // time left at all (the deadline counts from the JVM's start) the files are still read,
      // so that their errors are reported, and the verdict is timed-out.
      long left = deadline - System.currentTimeMillis();
      lowered = deadline == Long.MAX_VALUE || left <= 0 ? load(queryFile, networkOptions, err)
          : EngineRunner.readWithin(() -> load(queryFile, networkOptions, err),
              Duration.ofMillis(left));
    } catch (InputFormatException e) {
      return inputError(e, err);
    } catch (java.util.concurrent.TimeoutException e) {
      err.println("robustspec: timeout while reading the query and its networks");
      return answer(out, "timed-out");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof InputFormatException bad) {
        return inputError(bad, err);
      }
      throw new IllegalStateException("reading failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return answer(out, "timed-out");
    }
    return verify(lowered, deadline, serialiseDir, out, err);
  }

  private static int inputError(InputFormatException e, PrintWriter err) {
    err.println("robustspec verify: " + e.getMessage());
    err.flush();
    return ExitCodes.INPUT_ERROR;
  }

  /** Reads the query and the models, checks them against each other, lowers. */
  static Lowered load(Path queryFile, List<String> networkOptions, PrintWriter err)
      throws InputFormatException {
    if (!Files.isRegularFile(queryFile)) {
      throw new InputFormatException(queryFile, Files.exists(queryFile) ? "not a readable file"
          : "no such file");
    }
    String text;
    try {
      text = dev.robustspec.engine.io.Utf8Text.read(queryFile);
    } catch (IOException e) {
      throw new InputFormatException(queryFile, "cannot read the file: " + e.getMessage());
    }
    Map<String, Path> given = new LinkedHashMap<>();
    for (String opt : networkOptions) {
      int eq = opt.indexOf('=');
      if (eq <= 0 || eq == opt.length() - 1) {
        throw new InputFormatException(null, "--network expects NAME=MODEL.onnx, got '" + opt
            + "'");
      }
      String name = opt.substring(0, eq);
      if (given.put(name, Path.of(opt.substring(eq + 1))) != null) {
        throw new InputFormatException(null, "--network " + name + " is given twice");
      }
    }
    VnnlibQuery q;
    if (Vnnlib2Reader.hasVersionHeader(text)) {
      q = Vnnlib2Reader.read(text, queryFile);
    } else {
      // VNN-COMP 1 file: no declarations name the network, so the one --network names it
      if (given.size() != 1) {
        throw new InputFormatException(queryFile, "a VNN-LIB 1 query (no vnnlib-version header)"
            + " concerns one network: give exactly one --network NAME=MODEL.onnx");
      }
      q = VnnlibReader.query(text, queryFile, given.keySet().iterator().next());
    }
    Map<String, Network> models = new LinkedHashMap<>();
    for (NetworkDecl d : q.networks()) {
      boolean needed = d.equivalence() != Equivalence.EQUAL_TO;
      if (needed && !given.containsKey(d.name())) {
        throw new InputFormatException(queryFile, "the query declares network " + d.name()
            + " but no --network " + d.name() + "=MODEL.onnx was given ("
            + requiredNames(q) + ")");
      }
      if (!needed && given.containsKey(d.name())) {
        throw new InputFormatException(queryFile, "network " + d.name() + " is equal-to "
            + d.target() + ", so it takes " + d.target() + "'s model: remove --network "
            + d.name());
      }
    }
    for (String name : given.keySet()) {
      if (q.network(name) == null) {
        throw new InputFormatException(queryFile, "--network " + name + ": the query declares"
            + " no network named " + name + " (" + requiredNames(q) + ")");
      }
    }
    boolean anyHidden = q.networks().stream().anyMatch(n -> !n.hidden().isEmpty());
    Map<String, Map<String, Network>> hidden = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : given.entrySet()) {
      NetworkDecl d = q.network(e.getKey());
      Path model = e.getValue();
      Network net;
      if (model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
        // read once, decoded once: the network, its signature and its hidden values
        OnnxFile onnx = Inputs.onnx(model);
        net = onnx.network();
        checkSignature(d, model, onnx.signature());
        if (anyHidden) {
          hidden.put(e.getKey(), onnx.hiddenValues());
        }
      } else {
        net = Inputs.network(model);
      }
      models.put(e.getKey(), net);
    }
    Lowered lowered = QueryLowering.lower(q, models, hidden);
    err.println("robustspec: " + q.networks().size() + " network(s), " + lowered.spec().cases()
        .size() + " unsafe case(s), " + lowered.network().inputSize() + " engine input(s)");
    return lowered;
  }

  private static String requiredNames(VnnlibQuery q) {
    List<String> names = q.networks().stream()
        .filter(n -> n.equivalence() != Equivalence.EQUAL_TO).map(NetworkDecl::name).toList();
    return "models needed for: " + String.join(", ", names);
  }

  /** The standard's mandatory errors: element types must match the model unless Real. */
  private static void checkSignature(NetworkDecl d, Path model, OnnxSignature sig)
      throws InputFormatException {
    if (sig.opset() >= 0 && (sig.opset() < Theories.MIN_OPSET || sig.opset() > Theories.MAX_OPSET)) {
      throw new InputFormatException(model, "ONNX opset " + sig.opset() + " is not supported"
          + " (supported: " + Theories.MIN_OPSET + " to " + Theories.MAX_OPSET + ")");
    }
    check(d.inputs(), sig.inputTypes(), model, "input");
    check(d.outputs(), sig.outputTypes(), model, "output");
  }

  private static void check(List<VarDecl> decls, List<Integer> types, Path model, String what)
      throws InputFormatException {
    for (int k = 0; k < decls.size() && k < types.size(); k++) {
      VarDecl v = decls.get(k);
      String modelType = OnnxSignature.typeName(types.get(k));
      if (!v.elementType().equals("real") && !v.elementType().equals(modelType)) {
        throw new InputFormatException(model, "the model's " + what + " " + k + " has element"
            + " type " + modelType + " but the query declares " + v.name() + " as "
            + v.elementType() + " (declare it " + modelType + ", or Real to accept real"
            + " arithmetic)");
      }
    }
  }

  private static int verify(Lowered lowered, long deadline, Path serialiseDir, PrintWriter out,
      PrintWriter err) {
    if (lowered.spec().cases().isEmpty()) {
      err.println("robustspec: no unsafe case survives lowering (the constraints are"
          + " contradictory)");
      return answer(out, "unsat");
    }
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      return answer(out, "timed-out");
    }
    Network net = lowered.network();
    Problem problem = new Problem(net, lowered.spec(),
        PassNames.plan(PassNames.DEFAULT, DefaultPlan.varyingInputs(lowered.spec()), SEED));
    // no grace: the deadline already keeps EXIT_RESERVE_MILLIS free for printing the verdict
    EngineRunner.Limits limits = deadline == Long.MAX_VALUE ? EngineRunner.Limits.unlimited()
        : new EngineRunner.Limits(Duration.ofMillis(left), Duration.ZERO);
    VerificationResult result;
    try {
      result = new EngineRunner().run(problem, limits);
    } catch (EngineRunner.EngineFailure e) {
      err.println("robustspec verify: internal error: " + e.getCause());
      return answer(out, "unknown");
    }
    Verdict v = result.verdict();
    err.printf(Locale.ROOT, "robustspec: %s in %.3f s%n", v.word(), result.seconds());
    if (v instanceof Verdict.Certified) {
      return answer(out, "unsat");
    }
    if (v instanceof Verdict.Timeout) {
      return answer(out, "timed-out");
    }
    if (v instanceof Verdict.Unknown u) {
      err.println("robustspec: unknown: " + u.reason());
      return answer(out, "unknown");
    }
    Verdict.Falsified fal = (Verdict.Falsified) v;
    Replay.Result replay = Replay.check(lowered, fal.input(), fal.caseIndex());
    if (!replay.confirmed()) {
      err.println("robustspec: unknown: " + replay.reason());
      return answer(out, "unknown");
    }
    if (serialiseDir != null) {
      try {
        serialise(lowered.query(), replay.values(), serialiseDir);
      } catch (IOException e) {
        err.println("robustspec verify: cannot write the assignments to " + serialiseDir + ": "
            + e.getMessage());
        return ExitCodes.INPUT_ERROR;
      }
      return answer(out, "sat");
    }
    out.print(assignmentText(lowered.query(), replay.values()));
    return answer(out, null);
  }

  private static int answer(PrintWriter out, String word) {
    if (word != null) {
      out.println(word);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** {@code sat} and the standard's command-line assignment format. */
  static String assignmentText(VnnlibQuery q, double[] values) {
    StringBuilder sb = new StringBuilder("sat\n");
    for (VarDecl v : q.variables()) {
      sb.append(v.name()).append(' ').append(typeWord(v)).append(' ').append(v.shapeText())
          .append('\n');
      for (int k = 0; k < v.size(); k++) {
        sb.append(Double.toString(values[v.firstSlot() + k])).append('\n');
      }
    }
    return sb.toString();
  }

  static String typeWord(VarDecl v) {
    return v.elementType().equals("real") ? "Real" : v.elementType();
  }

  /** One ONNX TensorProto per variable, {@code DIR/NAME.pb} (float64 data). */
  static void serialise(VnnlibQuery q, double[] values, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (VarDecl v : q.variables()) {
      try (OutputStream os = Files.newOutputStream(dir.resolve(v.name() + ".pb"))) {
        CodedOutputStream c = CodedOutputStream.newInstance(os);
        for (int d : v.shape()) {
          c.writeInt64(1, d); // dims
        }
        boolean f32 = v.elementType().equals("float32");
        c.writeInt32(2, f32 ? 1 : 11); // data_type: FLOAT or DOUBLE
        c.writeString(8, v.name()); // name
        byte[] raw = new byte[v.size() * (f32 ? 4 : 8)];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < v.size(); k++) {
          if (f32) {
            b.putFloat((float) values[v.firstSlot() + k]);
          } else {
            b.putDouble(values[v.firstSlot() + k]);
          }
        }
        c.writeByteArray(9, raw); // raw_data
        c.flush();
      }
    }
  }
}
