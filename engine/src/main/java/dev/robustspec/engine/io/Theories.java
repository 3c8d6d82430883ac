package dev.robustspec.engine.io;

import java.util.List;

/**
 * What the VNN-LIB 2 reader and {@link QueryLowering} support, in the standard's own terms
 * (theories of "Theories and Logics", element types, versions). The reader and the lowering
 * consult these lists before accepting a construct, and {@code robustspec supports} prints them,
 * so the answer other tools read is the code's behaviour, not a hand-kept list.
 */
public final class Theories {
  private Theories() {}

  /** Oldest and newest VNN-LIB versions read ("1.0" is the VNN-COMP subset without a header). */
  public static final String MIN_VERSION = "1.0";
  public static final String MAX_VERSION = "2.1";

  /**
   * Hidden nodes: H for the values entering or leaving a Relu node ({@code io.OnnxHiddenValues});
   * others are refused with a clear error, since the ONNX reader folds the other nodes together.
   */
  public static final List<String> HIDDEN_NODE = List.of("NH", "H");
  /** One input and one output node per network (the ONNX reader reads chain graphs). */
  public static final List<String> MULTIPLE_INPUT_OUTPUT = List.of("SIO");
  /** Several networks: verified as one product network ({@link QueryLowering}). */
  public static final List<String> MULTIPLE_NETWORK = List.of("SNET", "MNET");
  /**
   * Comparisons may relate any declared nodes: outputs and hidden nodes are all engine outputs,
   * and an input compared with them is copied to the engine outputs by an identity lane.
   */
  public static final List<String> MULTIPLE_NODE_COMPARISON = List.of("SNC", "MNC");
  /** Bounds and linear constraints; products of two variables (POLY) are rejected. */
  public static final List<String> ARITHMETIC_COMPLEXITY = List.of("BND", "LIN");

  /**
   * Element types the analysis is sound for. The passes widen their own arithmetic by rigorous
   * rounding terms (relax/Rounding.java), so their bounds hold for the network evaluated in
   * real arithmetic; nothing bounds the gap between that and a float64 or float32 evaluation
   * of the model, so only the standard's {@code real} type (real arithmetic, with the user's
   * consent) is claimed.
   */
  public static final List<String> ELEMENT_TYPES = List.of("real");

  /** The ONNX element type names of the standard (ONNX IR "Set 1"), lower case. */
  public static final List<String> ONNX_ELEMENT_TYPES = List.of("float32", "uint8", "int8",
      "uint16", "int16", "int32", "int64", "string", "bool", "float16", "float64", "uint32",
      "uint64", "complex64", "complex128", "bfloat16", "float8e4m3fn", "float8e4m3fnuz",
      "float8e5m2", "float8e5m2fnuz", "uint4", "int4", "float4e2m1");

  /**
   * ONNX opsets the ONNX reader's operator semantics match: numpy broadcasting of Add/Sub/Mul/Div
   * (opset 7 on), Reshape's shape as an input (opset 5 on); nothing it reads changed meaning
   * up to opset 21 (Reshape's allowzero, opset 14, only matters for zero dimensions, which the
   * reader rejects).
   */
  public static final int MIN_OPSET = 7;
  public static final int MAX_OPSET = 21;

  /** The DNF is built from the asserts; there is no smarter handling of disjunctions. */
  public static final boolean OPTIMISED_DISJUNCTIVE_REASONING = false;
}
