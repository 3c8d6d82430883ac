package dev.robustspec.engine.query;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.Theories;
import dev.robustspec.engine.io.VnnlibQuery.Atom;
import dev.robustspec.engine.io.VnnlibQuery.Equivalence;
import dev.robustspec.engine.io.VnnlibQuery.Kind;
import dev.robustspec.engine.io.VnnlibQuery.NetworkDecl;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery.VarDecl;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ProductNetwork;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link VnnlibQuery} and the networks it names into what the engine verifies: one
 * {@link Network} (the model itself for one network, else a {@link ProductNetwork} of all) and a
 * {@link Specification} whose unsafe cases are the query's DNF terms. The query is satisfiable
 * iff some unsafe case is non-empty, so "unsat" = certified, "sat" = falsified.
 *
 * <p>Engine inputs are the declared input elements, except that inputs the query equates in
 * every case ({@code (== A[0] C[0])}, or {@code <=} both ways) are merged into one engine input:
 * two networks then read the same variable and DeepPoly sees the correlation, which is what
 * makes "the pruned network agrees with the original" provable. Engine outputs are the declared
 * outputs, network after network. Atoms over inputs only become box bounds (one variable) or
 * {@link InputConstraint}s (several); the box is then tightened soundly by interval propagation
 * over those constraints. Atoms over outputs become {@link OutputConstraint}s. Strict
 * comparisons are closed (the closed set contains the open one: sound for "unsat"); every
 * counterexample is checked against the original query, strictness included ({@link Replay}).
 */
public final class QueryLowering {
  /** Most unsafe cases a query may expand to. */
  public static final int MAX_CASES = 100_000;

  private QueryLowering() {}

  /**
   * The lowered query. {@code network} is null when lowered without models (shapes only).
   * {@code productInput[slot]} is the engine input of an input slot (else -1);
   * {@code outputIndex[slot]} the engine output of an output slot (else -1).
   */
  public record Lowered(VnnlibQuery query, Network network, Specification spec,
      List<Lane> lanes, int[] laneInputMap, int[] productInput, int[] outputIndex) {}

  /**
   * One network of the product: it reads declared input {@code input} and computes
   * {@code output}, a declared output, or a declared hidden node (then {@code network} is the
   * prefix of the model that computes that node). A lane not {@code inProduct} duplicates an
   * earlier one (the same model on the same engine inputs): its output shares that lane's
   * engine outputs, and only the replay evaluates it.
   */
  public record Lane(Network network, VarDecl input, VarDecl output, boolean inProduct) {
    public Lane(Network network, VarDecl input, VarDecl output) {
      this(network, input, output, true);
    }
  }

  /**
   * Lowers {@code query}; {@code models} maps each network declaration without
   * {@code equal-to} to its model (null: check and lower against the declared shapes only).
   */
  public static Lowered lower(VnnlibQuery query, Map<String, Network> models)
      throws InputFormatException {
    return new QueryLowering.Run(query, models, Map.of()).run();
  }

  /**
   * Like {@link #lower(VnnlibQuery, Map)}, for queries with {@code declare-hidden}:
   * {@code hidden} maps a model's name (as in {@code models}) to the ONNX values its passes can
   * see, each as the prefix network computing it ({@code io.OnnxHiddenValues}).
   */
  public static Lowered lower(VnnlibQuery query, Map<String, Network> models,
      Map<String, Map<String, Network>> hidden) throws InputFormatException {
    return new QueryLowering.Run(query, models, hidden).run();
  }

  private static final class Run {
    final VnnlibQuery q;
    final Map<String, Network> models;
    final Map<String, Map<String, Network>> hidden;
    final int slots;
    final Kind[] kind;
    final int[] node; // slot -> index of its variable declaration (the ONNX node)
    final String[] net; // slot -> network name

    Run(VnnlibQuery q, Map<String, Network> models, Map<String, Map<String, Network>> hidden) {
      this.q = q;
      this.models = models;
      this.hidden = hidden;
      this.slots = q.slotCount();
      kind = new Kind[slots];
      node = new int[slots];
      net = new String[slots];
      for (int v = 0; v < q.variables().size(); v++) {
        VarDecl d = q.variables().get(v);
        for (int k = 0; k < d.size(); k++) {
          kind[d.firstSlot() + k] = d.kind();
          node[d.firstSlot() + k] = v;
          net[d.firstSlot() + k] = d.network();
        }
      }
    }

    InputFormatException err(Pos p, String problem) {
      return new InputFormatException(q.file(), p.line(), p.column(), problem);
    }

    Lowered run() throws InputFormatException {
      checkTheories();
      int[] productInput = mergeEqualInputs();
      // engine outputs: per network its output, then its hidden nodes (the lanes' order)
      int[] outputIndex = new int[slots];
      Arrays.fill(outputIndex, -1);
      int m = 0;
      Map<String, VarDecl> firstOfKey = new HashMap<>();
      for (NetworkDecl d : q.networks()) {
        VarDecl first = firstOfKey.putIfAbsent(laneKey(d, productInput), d.outputs().get(0));
        List<VarDecl> outs = new ArrayList<>(d.outputs());
        outs.addAll(d.hidden());
        for (VarDecl v : outs) {
          for (int k = 0; k < v.size(); k++) {
            if (first != null && v == d.outputs().get(0)) {
              // the same model on the same inputs: its outputs are the earlier lane's, so
              // "a copy agrees with itself" is exact for every pass
              outputIndex[v.firstSlot() + k] = outputIndex[first.firstSlot() + k];
            } else {
              outputIndex[v.firstSlot() + k] = m++;
            }
          }
        }
        duplicate.add(first != null);
      }
      // networks whose input takes part in a comparison with an output or hidden node get a
      // copy of that input among the engine outputs (an identity lane)
      java.util.Set<String> copied = new java.util.LinkedHashSet<>();
      for (Atom a : q.atoms()) {
        if (mixed(a)) {
          for (int s : a.slots()) {
            if (kind[s] == Kind.INPUT) {
              copied.add(net[s]);
            }
          }
        }
      }
      for (NetworkDecl d : q.networks()) {
        if (copied.contains(d.name())) {
          VarDecl in = d.inputs().get(0);
          for (int k = 0; k < in.size(); k++) {
            outputIndex[in.firstSlot() + k] = m++;
          }
        }
      }
      int n = 0;
      for (int p : productInput) {
        n = Math.max(n, p + 1);
      }
      List<UnsafeCase> cases = new CaseLowering(q, kind, n, m, productInput, outputIndex)
          .cases();
      Specification spec = new Specification(n, m, cases);

      // lanes: per network declaration its model, then one prefix per hidden node; each reads
      // the engine inputs of the network's declared input
      List<Integer> map = new ArrayList<>();
      for (int di = 0; di < q.networks().size(); di++) {
        NetworkDecl d = q.networks().get(di);
        VarDecl in = d.inputs().get(0);
        for (int copy = duplicate.get(di) ? 1 : 0; copy < 1 + d.hidden().size(); copy++) {
          for (int k = 0; k < in.size(); k++) {
            map.add(productInput[in.firstSlot() + k]);
          }
        }
      }
      for (NetworkDecl d : q.networks()) {
        if (copied.contains(d.name())) {
          VarDecl in = d.inputs().get(0);
          for (int k = 0; k < in.size(); k++) {
            map.add(productInput[in.firstSlot() + k]);
          }
        }
      }
      int[] laneInputMap = map.stream().mapToInt(Integer::intValue).toArray();
      if (models == null) {
        return new Lowered(q, null, spec, List.of(), laneInputMap, productInput, outputIndex);
      }
      List<Lane> lanes = new ArrayList<>();
      for (NetworkDecl d : q.networks()) {
        String source = d.equivalence() == Equivalence.EQUAL_TO ? d.target() : d.name();
        Network model = models.get(source);
        if (model == null) {
          throw err(d.pos(), "no model for network " + source);
        }
        VarDecl in = d.inputs().get(0);
        VarDecl out = d.outputs().get(0);
        if (model.inputSize() != in.size()) {
          throw err(in.pos(), "network " + d.name() + ": the model has " + model.inputSize()
              + " input elements but " + in.name() + " is declared with shape " + in.shapeText()
              + " (" + in.size() + " elements)");
        }
        if (model.outputSize() != out.size()) {
          throw err(out.pos(), "network " + d.name() + ": the model has " + model.outputSize()
              + " output elements but " + out.name() + " is declared with shape "
              + out.shapeText() + " (" + out.size() + " elements)");
        }
        lanes.add(new Lane(model, in, out, !duplicate.get(q.networks().indexOf(d))));
        for (VarDecl h : d.hidden()) {
          Network prefix = hidden.getOrDefault(source, Map.of()).get(h.onnxName());
          if (prefix == null) {
            throw err(h.pos(), "unsupported: hidden-node theory H for \"" + h.onnxName()
                + "\" (" + h.name() + "): the passes see a hidden value only where it enters or"
                + " leaves a Relu node of the model, and \"" + h.onnxName() + "\" is not such a"
                + " value of " + source + "'s model");
          }
          if (prefix.outputSize() != h.size()) {
            throw err(h.pos(), "hidden node \"" + h.onnxName() + "\" has " + prefix.outputSize()
                + " elements but " + h.name() + " is declared with shape " + h.shapeText()
                + " (" + h.size() + " elements)");
          }
          lanes.add(new Lane(prefix, in, h));
        }
      }
      for (NetworkDecl d : q.networks()) {
        if (copied.contains(d.name())) {
          VarDecl in = d.inputs().get(0);
          Network copy = new Network(d.name() + "@input", new int[] {in.size()},
              List.of(dev.robustspec.engine.network.ElementwiseAffineLayer.uniform(
                  in.name() + "-copy", in.size(), 1, 0)));
          lanes.add(new Lane(copy, in, in)); // recomputes the input: harmless in the replay
        }
      }
      Network network;
      boolean identity = laneInputMap.length == n;
      for (int k = 0; k < laneInputMap.length && identity; k++) {
        identity = laneInputMap[k] == k;
      }
      List<Network> productLanes = lanes.stream().filter(Lane::inProduct).map(Lane::network)
          .toList();
      if (productLanes.size() == 1 && identity) {
        network = productLanes.get(0);
      } else {
        String name = String.join("*", q.networks().stream().map(NetworkDecl::name).toList());
        network = ProductNetwork.of(name, productLanes, laneInputMap, n);
      }
      return new Lowered(q, network, spec, lanes, laneInputMap, productInput, outputIndex);
    }

    void checkTheories() throws InputFormatException {
      if (q.networks().size() > 1 && !Theories.MULTIPLE_NETWORK.contains("MNET")) {
        throw err(q.networks().get(1).pos(), "unsupported: multiple-network theory MNET");
      }
      for (NetworkDecl d : q.networks()) {
        if (!d.hidden().isEmpty() && !Theories.HIDDEN_NODE.contains("H")) {
          VarDecl h = d.hidden().get(0);
          throw err(h.pos(), "unsupported: hidden-node theory H (declare-hidden " + h.name()
              + " \"" + h.onnxName() + "\"): RobustSpec's ONNX reader merges nodes into layers"
              + " and does not keep a node's value for the passes; supported: "
              + String.join(", ", Theories.HIDDEN_NODE));
        }
        if ((d.inputs().size() > 1 || d.outputs().size() > 1)
            && !Theories.MULTIPLE_INPUT_OUTPUT.contains("MIO")) {
          VarDecl v = d.inputs().size() > 1 ? d.inputs().get(1) : d.outputs().get(1);
          throw err(v.pos(), "unsupported: multiple-input-output theory MIO (network " + d.name()
              + " declares " + d.inputs().size() + " inputs and " + d.outputs().size()
              + " outputs); supported: " + String.join(", ", Theories.MULTIPLE_INPUT_OUTPUT));
        }
        for (VarDecl v : d.inputs()) {
          if (v.initialized()) {
            throw err(v.pos(), "unsupported: the VNN-LIB 2.1 'initialized' option (input "
                + v.name() + ")");
          }
        }
      }
      for (VarDecl v : q.variables()) {
        if (!Theories.ELEMENT_TYPES.contains(v.elementType())) {
          throw err(v.pos(), "unsupported element type " + v.elementType() + " (" + v.name()
              + "): RobustSpec's bounds are sound for "
              + String.join(" and ", Theories.ELEMENT_TYPES) + " only; declare the variables"
              + " Real to accept an analysis in real arithmetic");
        }
      }
    }

    /**
     * True when the atom mixes inputs with outputs or hidden nodes. Such an atom relates two
     * nodes (theory MNC when they belong to one network): it becomes an output constraint over
     * a copy of the inputs that the product network carries to its output.
     */
    boolean mixed(Atom a) throws InputFormatException {
      Map<String, Integer> nodeOf = new HashMap<>();
      boolean in = false;
      boolean out = false;
      for (int s : a.slots()) {
        Integer prev = nodeOf.put(net[s], node[s]);
        if (prev != null && prev != node[s] && !Theories.MULTIPLE_NODE_COMPARISON.contains("MNC")) {
          throw err(a.pos(), "unsupported: multiple-node-comparison theory MNC (this comparison"
              + " relates " + q.variables().get(prev).name() + " and "
              + q.variables().get(node[s]).name() + " of network " + net[s] + "); supported: "
              + String.join(", ", Theories.MULTIPLE_NODE_COMPARISON));
        }
        in |= kind[s] == Kind.INPUT;
        out |= kind[s] != Kind.INPUT;
      }
      return in && out;
    }

    /** One list entry per network declaration: does it duplicate an earlier lane? */
    final List<Boolean> duplicate = new ArrayList<>();

    /** Networks with equal keys compute the same thing: one model on the same engine inputs. */
    String laneKey(NetworkDecl d, int[] productInput) {
      String source = d.equivalence() == Equivalence.EQUAL_TO ? d.target() : d.name();
      VarDecl in = d.inputs().get(0);
      StringBuilder sb = new StringBuilder(source).append(':');
      for (int k = 0; k < in.size(); k++) {
        sb.append(productInput[in.firstSlot() + k]).append(',');
      }
      return sb.toString();
    }

    /** Union-find over input slots equated in every case; returns slot -> engine input. */
    int[] mergeEqualInputs() {
      int[] parent = new int[slots];
      for (int s = 0; s < slots; s++) {
        parent[s] = s;
      }
      Set<String> seen = new HashSet<>();
      for (int id : q.common()) {
        Atom a = q.atoms().get(id);
        if (a.slots().length == 2 && !a.strict() && a.bound() == 0 && kind[a.slots()[0]] == Kind.INPUT
            && kind[a.slots()[1]] == Kind.INPUT && a.coefs()[0] == -a.coefs()[1]) {
          // s0 - s1 <= 0 (scaled); its mirror s1 - s0 <= 0 makes an equality
          int pos = a.coefs()[0] > 0 ? a.slots()[0] : a.slots()[1];
          int neg = a.coefs()[0] > 0 ? a.slots()[1] : a.slots()[0];
          String mirror = neg + "<=" + pos;
          if (seen.contains(mirror)) {
            union(parent, pos, neg);
          }
          seen.add(pos + "<=" + neg);
        }
      }
      int[] productInput = new int[slots];
      Arrays.fill(productInput, -1);
      Map<Integer, Integer> rootIndex = new LinkedHashMap<>();
      for (int s = 0; s < slots; s++) {
        if (kind[s] == Kind.INPUT) {
          int r = find(parent, s);
          Integer idx = rootIndex.get(r);
          if (idx == null) {
            idx = rootIndex.size();
            rootIndex.put(r, idx);
          }
          productInput[s] = idx;
        }
      }
      return productInput;
    }

    static int find(int[] p, int s) {
      while (p[s] != s) {
        p[s] = p[p[s]];
        s = p[s];
      }
      return s;
    }

    static void union(int[] p, int a, int b) {
      int ra = find(p, a);
      int rb = find(p, b);
      if (ra != rb) {
        p[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
}
