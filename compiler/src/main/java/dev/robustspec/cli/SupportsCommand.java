package dev.robustspec.cli;

import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.Theories;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code robustspec supports --CAPABILITY}: the VNN-LIB 2 standard's capability queries. Every
 * answer is read from the code that decides it (the ONNX reader's operator registry, the
 * {@link Theories} the VNN-LIB 2 reader and lowering consult), never kept by hand here.
 */
@Command(
    name = "supports",
    header = "Report a capability (the VNN-LIB 2 solver interface).",
    mixinStandardHelpOptions = true,
    description = {"Prints one capability in the format of the VNN-LIB standard: a list, one item",
        "per line, or true/false.", ""},
    footer = {"", "Example:", "  robustspec supports --onnx-operators"})
final class SupportsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Capability capability;

  static final class Capability {
    @Option(names = "--onnx-opset-versions", description = "oldest and newest ONNX opset")
    boolean opsets;
    @Option(names = "--onnx-element-types", description = "element types analysed soundly")
    boolean elementTypes;
    @Option(names = "--onnx-operators", description = "ONNX operators the reader lowers")
    boolean operators;
    @Option(names = "--onnx-operators-unsat-proofs", description = "operators with UNSAT proofs")
    boolean operatorsProofs;
    @Option(names = "--vnnlib-versions", description = "oldest and newest VNN-LIB version")
    boolean versions;
    @Option(names = "--hidden-node-theories", description = "NH and/or H")
    boolean hidden;
    @Option(names = "--multiple-input-output-theories", description = "SIO and/or MIO")
    boolean mio;
    @Option(names = "--multiple-network-theories", description = "SNET and/or MNET")
    boolean mnet;
    @Option(names = "--multiple-node-comparison-theories", description = "SNC and/or MNC")
    boolean mnc;
    @Option(names = "--arithmetic-complexity-theories", description = "BND, LIN, POLY")
    boolean arithmetic;
    @Option(names = "--optimised-disjunctive-reasoning", description = "true or false")
    boolean disjunctive;
    @Option(names = "--serialise-assignments", description = "true or false")
    boolean serialise;
    @Option(names = "--unsat-proofs", description = "true or false")
    boolean proofs;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Capability c = capability;
    List<String> lines;
    if (c.opsets) {
      lines = List.of(Integer.toString(Theories.MIN_OPSET), Integer.toString(Theories.MAX_OPSET));
    } else if (c.elementTypes) {
      lines = Theories.ELEMENT_TYPES;
    } else if (c.operators) {
      lines = OnnxReader.supportedOperators();
    } else if (c.operatorsProofs) {
      lines = List.of(); // no UNSAT proofs: no operator
    } else if (c.versions) {
      lines = List.of(Theories.MIN_VERSION, Theories.MAX_VERSION);
    } else if (c.hidden) {
      lines = Theories.HIDDEN_NODE;
    } else if (c.mio) {
      lines = Theories.MULTIPLE_INPUT_OUTPUT;
    } else if (c.mnet) {
      lines = Theories.MULTIPLE_NETWORK;
    } else if (c.mnc) {
      lines = Theories.MULTIPLE_NODE_COMPARISON;
    } else if (c.arithmetic) {
      lines = Theories.ARITHMETIC_COMPLEXITY;
    } else if (c.disjunctive) {
      lines = List.of(Boolean.toString(Theories.OPTIMISED_DISJUNCTIVE_REASONING));
    } else if (c.serialise) {
      lines = List.of(Boolean.toString(StandardVerify.SERIALISES_ASSIGNMENTS));
    } else {
      lines = List.of("false"); // UNSAT proofs are not produced
    }
    for (String l : lines) {
      out.println(l);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
