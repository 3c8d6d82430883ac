package dev.robustspec.engine.io;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed, type-checked and linearised VNN-LIB query of either version: the network
 * declarations, the declared variables in declaration order, and the conjunction of the asserts
 * in disjunctive normal form over linear atoms ({@code logic.Dnf}). Plain data; both readers
 * produce it ({@link Vnnlib2Reader}; {@link VnnlibReader} for VNN-COMP 1 files, version
 * {@code "1.0"}, one network with input {@code X [n]} and output {@code Y [m]}), and
 * {@code query.QueryLowering} turns it (with the models, or without for shapes only) into a
 * network and a {@link dev.robustspec.engine.spec.Specification}.
 *
 * <p>Every declared tensor element has one <em>slot</em> in a global flat space (variables in
 * declaration order, elements row-major); atoms are linear over slots. The satisfiable set is
 * {@code AND(common) AND AND_d OR_t disjunctive[d][t]}, each term an array of atom ids.
 * {@code disjunctivePositions[d]} is where assert {@code d} was written (may be empty: no
 * positions known). {@code elementPositions} is empty for tensor declarations; a VNN-COMP 1
 * file declares every element on its own ({@code (declare-const X_3 Real)}), and then it holds
 * one position per slot, and messages name elements as declared ({@link #declaredName}).
 */
public record VnnlibQuery(Path file, String version, List<NetworkDecl> networks,
    List<VarDecl> variables, List<Atom> atoms, int[] common, List<List<int[]>> disjunctive,
    List<Pos> disjunctivePositions, List<Pos> elementPositions) {

  public VnnlibQuery {
    networks = List.copyOf(networks);
    variables = List.copyOf(variables);
    atoms = List.copyOf(atoms);
    disjunctive = List.copyOf(disjunctive);
    disjunctivePositions = List.copyOf(disjunctivePositions);
    elementPositions = List.copyOf(elementPositions);
  }

  /** A query of tensor declarations, without assert positions. */
  public VnnlibQuery(Path file, String version, List<NetworkDecl> networks,
      List<VarDecl> variables, List<Atom> atoms, int[] common, List<List<int[]>> disjunctive) {
    this(file, version, networks, variables, atoms, common, disjunctive, List.of(), List.of());
  }

  /** True when every element was declared on its own (VNN-COMP 1: {@code X_0}, {@code Y_3}). */
  public boolean elementwiseDeclarations() {
    return !elementPositions.isEmpty();
  }

  /** The slot's name as the file declares it: {@code X_3} (VNN-COMP 1) or {@code X[0,3]}. */
  public String declaredName(int slot) {
    if (!elementwiseDeclarations()) {
      return slotName(slot);
    }
    VarDecl v = variableOf(slot);
    return v.name() + "_" + (slot - v.firstSlot());
  }

  /** Where the slot was declared: its own declaration, else its tensor's. */
  public Pos declarationPos(int slot) {
    return elementwiseDeclarations() ? elementPositions.get(slot) : variableOf(slot).pos();
  }

  /** Where disjunctive assert {@code d} was written, or null when unknown. */
  public Pos disjunctivePos(int d) {
    return d < disjunctivePositions.size() ? disjunctivePositions.get(d) : null;
  }

  /** Where a declaration or atom came from, for messages. */
  public record Pos(int line, int column) {}

  public enum Kind { INPUT, HIDDEN, OUTPUT }

  /** How a network declaration relates to an earlier one. */
  public enum Equivalence { NONE, EQUAL_TO, ISOMORPHIC_TO }

  /**
   * One declared tensor: {@code elementType} is {@code real} or an ONNX element type name in
   * lower case ({@code float32}); {@code firstSlot} is its first element's global slot.
   */
  public record VarDecl(String name, Kind kind, String network, String elementType, int[] shape,
      String onnxName, boolean initialized, int firstSlot, Pos pos) {

    public int size() {
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    /** The element's name as VNN-LIB writes it: {@code X[0,2]}, or {@code Y} for a scalar. */
    public String elementName(int flat) {
      if (shape.length == 0) {
        return name;
      }
      int[] idx = new int[shape.length];
      for (int k = shape.length - 1; k >= 0; k--) {
        idx[k] = flat % shape[k];
        flat /= shape[k];
      }
      StringBuilder sb = new StringBuilder(name).append('[');
      for (int k = 0; k < idx.length; k++) {
        sb.append(k > 0 ? "," : "").append(idx[k]);
      }
      return sb.append(']').toString();
    }

    /** The shape as the standard prints it: {@code [2,2]}, {@code []}. */
    public String shapeText() {
      StringBuilder sb = new StringBuilder("[");
      for (int k = 0; k < shape.length; k++) {
        sb.append(k > 0 ? "," : "").append(shape[k]);
      }
      return sb.append(']').toString();
    }
  }

  /** A network declaration; {@code target} names the network of an equal-to / isomorphic-to. */
  public record NetworkDecl(String name, Equivalence equivalence, String target,
      List<VarDecl> inputs, List<VarDecl> hidden, List<VarDecl> outputs, Pos pos) {
    public NetworkDecl {
      inputs = List.copyOf(inputs);
      hidden = List.copyOf(hidden);
      outputs = List.copyOf(outputs);
    }
  }

  /**
   * A linear atom {@code sum coefs[k] * slot[slots[k]] <= bound} ({@code <} when {@code strict});
   * slots are distinct and coefficients non-zero.
   */
  public record Atom(int[] slots, double[] coefs, double bound, boolean strict, Pos pos) {}

  /** Total number of slots (declared tensor elements). */
  public int slotCount() {
    int n = 0;
    for (VarDecl v : variables) {
      n += v.size();
    }
    return n;
  }

  /** The declaration that owns {@code slot}. */
  public VarDecl variableOf(int slot) {
    for (VarDecl v : variables) {
      if (slot >= v.firstSlot() && slot < v.firstSlot() + v.size()) {
        return v;
      }
    }
    throw new IllegalArgumentException("no variable at slot " + slot);
  }

  /** The name of one slot's element, e.g. {@code X[0,2]}. */
  public String slotName(int slot) {
    VarDecl v = variableOf(slot);
    return v.elementName(slot - v.firstSlot());
  }

  public NetworkDecl network(String name) {
    for (NetworkDecl n : networks) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }
}
