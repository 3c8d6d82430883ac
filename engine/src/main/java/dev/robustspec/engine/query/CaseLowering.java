package dev.robustspec.engine.query;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.VnnlibQuery.Atom;
import dev.robustspec.engine.io.VnnlibQuery.Kind;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.lp.LpSolver;
import dev.robustspec.engine.lp.OjAlgoLpSolver;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unsafe cases of a {@link VnnlibQuery} of either version, for {@link QueryLowering}: one
 * case per term of the asserts' product (common atoms in every case, one term per disjunctive
 * assert, the last varying fastest). A case's atoms over inputs only become its box (one
 * variable, bounds rounded outward when a division is inexact) or {@link InputConstraint}s
 * (several; the box is then tightened by interval propagation and, for few inputs, LPs); its
 * atoms over outputs become {@link OutputConstraint}s, strict ones kept strict. Cases with the
 * same input atoms share one box instance; a case whose box holds no point is dropped; an
 * unbounded input is an error worded as the file declares its elements.
 */
final class CaseLowering {
  private static final int TIGHTEN_ROUNDS = 20;
  /** Total box bounds (distinct boxes times inputs) a query may allocate: a memory guard. */
  private static final long MAX_BOX_DOUBLES = 20_000_000;

  private final VnnlibQuery q;
  private final Kind[] kind;
  private final int n;
  private final int m;
  private final int[] productInput;
  private final int[] outputIndex;

  /**
   * {@code kind[slot]} is the slot's declaration kind; {@code n} engine inputs and {@code m}
   * engine outputs; {@code productInput[slot]} / {@code outputIndex[slot]} map slots to them.
   */
  CaseLowering(VnnlibQuery q, Kind[] kind, int n, int m, int[] productInput,
      int[] outputIndex) {
    this.q = q;
    this.kind = kind;
    this.n = n;
    this.m = m;
    this.productInput = productInput;
    this.outputIndex = outputIndex;
  }

  private InputFormatException err(Pos p, String problem) {
    return new InputFormatException(q.file(), p.line(), p.column(), problem);
  }

  List<UnsafeCase> cases() throws InputFormatException {
    List<List<int[]>> dis = q.disjunctive();
    long total = 1;
    for (int d = 0; d < dis.size(); d++) {
      total *= dis.get(d).size();
      if (total > QueryLowering.MAX_CASES) {
        String problem = "the asserts expand to more than " + QueryLowering.MAX_CASES
            + " cases (disjunctions multiply)";
        Pos at = q.disjunctivePos(d);
        throw at == null ? new InputFormatException(q.file(), problem) : err(at, problem);
      }
    }
    List<UnsafeCase> cases = new ArrayList<>();
    if (total == 0) {
      return cases;
    }
    Map<List<Integer>, Region> regions = new HashMap<>();
    int[] choice = new int[dis.size()];
    while (true) {
      List<Integer> ids = new ArrayList<>();
      for (int id : q.common()) {
        ids.add(id);
      }
      for (int d = 0; d < choice.length; d++) {
        for (int id : dis.get(d).get(choice[d])) {
          ids.add(id);
        }
      }
      UnsafeCase c = lowerCase(ids, regions);
      if (c != null) {
        cases.add(c);
      }
      int d = choice.length - 1;
      while (d >= 0 && ++choice[d] == dis.get(d).size()) {
        choice[d] = 0;
        d--;
      }
      if (d < 0) {
        break;
      }
    }
    return cases;
  }

  /**
   * The input part of a case, shared by every case with the same input atoms: its box (one
   * instance, so {@code Specification.regions()} sees it once) and polytope rows; a null box
   * holds no point.
   */
  private record Region(Box box, List<InputConstraint> rows) {}

  /** Box bounds allocated so far (distinct boxes times inputs), against a memory guard. */
  private long boxDoubles;

  private boolean inputOnly(Atom a) {
    for (int sl : a.slots()) {
      if (kind[sl] != Kind.INPUT) {
        return false;
      }
    }
    return true;
  }

  private UnsafeCase lowerCase(List<Integer> ids, Map<List<Integer>, Region> regions)
      throws InputFormatException {
    List<Integer> inputIds = new ArrayList<>();
    List<OutputConstraint> outputRows = new ArrayList<>();
    for (int id : ids) {
      Atom a = q.atoms().get(id);
      if (inputOnly(a)) {
        inputIds.add(id);
        continue;
      }
      double[] row = new double[m];
      for (int k = 0; k < a.slots().length; k++) {
        row[outputIndex[a.slots()[k]]] += a.coefs()[k];
      }
      OutputConstraint oc = new OutputConstraint(row, a.bound(), a.strict());
      if (!outputRows.contains(oc)) {
        outputRows.add(oc);
      }
    }
    List<Integer> key = new ArrayList<>(inputIds);
    key.sort(null);
    Region region = regions.get(key);
    if (region == null) {
      region = region(inputIds);
      regions.put(key, region);
    }
    if (region.box() == null) {
      return null;
    }
    return new UnsafeCase(region.box(), outputRows, region.rows());
  }

  /** The box and polytope rows of the input atoms {@code inputIds}. */
  private Region region(List<Integer> inputIds) throws InputFormatException {
    boxDoubles += 2L * n;
    if (boxDoubles > MAX_BOX_DOUBLES) {
      String problem = "the input region splits into too many boxes";
      Pos at = q.disjunctivePos(0);
      throw at == null ? new InputFormatException(q.file(), problem) : err(at, problem);
    }
    double[] lo = new double[n];
    double[] hi = new double[n];
    Arrays.fill(lo, Double.NEGATIVE_INFINITY);
    Arrays.fill(hi, Double.POSITIVE_INFINITY);
    List<InputConstraint> inputRows = new ArrayList<>();
    for (int id : inputIds) {
      Atom a = q.atoms().get(id);
      if (a.slots().length == 1) { // a bound of one input (all of VNN-COMP 1's)
        if (!bound(productInput[a.slots()[0]], a.coefs()[0], a.bound(), lo, hi)) {
          return new Region(null, List.of()); // cannot happen: coefficients are non-zero
        }
        continue;
      }
      double[] row = new double[n];
      for (int k = 0; k < a.slots().length; k++) {
        row[productInput[a.slots()[k]]] += a.coefs()[k];
      }
      int nonZero = 0;
      int at = -1;
      for (int j = 0; j < n; j++) {
        if (row[j] != 0) {
          nonZero++;
          at = j;
        }
      }
      if (nonZero == 0) {
        if (!(a.strict() ? 0 < a.bound() : 0 <= a.bound())) {
          return new Region(null, List.of()); // e.g. A[0] < A[0] after merging: no point
        }
      } else if (nonZero == 1) {
        bound(at, row[at], a.bound(), lo, hi);
      } else {
        InputConstraint ic = new InputConstraint(row, a.bound());
        if (!inputRows.contains(ic)) {
          inputRows.add(ic);
        }
      }
    }
    for (int round = 0; round < TIGHTEN_ROUNDS && !inputRows.isEmpty(); round++) {
      double[] before = Arrays.copyOf(lo, n);
      double[] beforeHi = Arrays.copyOf(hi, n);
      for (InputConstraint ic : inputRows) {
        ic.tighten(lo, hi);
      }
      if (Arrays.equals(before, lo) && Arrays.equals(beforeHi, hi)) {
        break;
      }
    }
    if (!inputRows.isEmpty() && finite(lo) && finite(hi)) {
      lpTighten(lo, hi, inputRows);
    }
    Box box = new Box(lo, hi);
    if (box.isEmpty()) {
      return new Region(null, List.of());
    }
    for (int j = 0; j < n; j++) {
      if (lo[j] == Double.NEGATIVE_INFINITY || hi[j] == Double.POSITIVE_INFINITY) {
        int slot = 0;
        while (productInput[slot] != j) {
          slot++;
        }
        throw missingBound(slot, lo[j] == Double.NEGATIVE_INFINITY);
      }
    }
    return new Region(box, inputRows);
  }

  /**
   * {@code c * x_j <= b} applied to the box; false when {@code c} is 0. A bound from an
   * inexact division is rounded outward so the box stays sound.
   */
  private static boolean bound(int j, double c, double b, double[] lo, double[] hi) {
    if (c == 0) {
      return false;
    }
    double v = b / c + 0.0; // + 0.0: no -0.0 bounds
    boolean exact = Math.fma(v, c, -b) == 0 && Double.isFinite(v);
    if (c > 0) {
      hi[j] = Math.min(hi[j], exact ? v : Math.nextUp(v));
    } else {
      lo[j] = Math.max(lo[j], exact ? v : Math.nextDown(v));
    }
    return true;
  }

  /** An input without a lower or upper bound, worded as the file's version declares it. */
  private InputFormatException missingBound(int slot, boolean noLower) {
    String name = q.declaredName(slot);
    String op = noLower ? ">=" : "<=";
    String which = noLower ? "lower" : "upper";
    if (q.elementwiseDeclarations()) {
      return err(q.declarationPos(slot), "input " + name + " has no " + which + " bound: add"
          + " (assert (" + op + " " + name + " ...)) so the input region is a bounded box");
    }
    return err(q.declarationPos(slot), "input " + name + " has no " + which + " bound: the"
        + " passes need a bounded input region (add (assert (" + op + " " + name + " ...)))");
  }

  /** Largest input count for which a polytope's box is also tightened by LPs (2n LPs). */
  private static final int LP_TIGHTEN_MAX_INPUTS = 64;

  static boolean finite(double[] v) {
    for (double d : v) {
      if (!Double.isFinite(d)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tightens the box of a polytope further with LPs: {@code min x_i} and {@code max x_i} over
   * box and rows, each turned into a rigorous bound by {@link DualBound} from the solver's row
   * multipliers (a wrong or missing answer only loosens the bound, never makes it unsound).
   */
  static void lpTighten(double[] lo, double[] hi, List<InputConstraint> rows) {
    int n = lo.length;
    if (n > LP_TIGHTEN_MAX_INPUTS) {
      return;
    }
    LinearProgram p = new LinearProgram();
    for (int i = 0; i < n; i++) {
      if (lo[i] > hi[i]) {
        return; // already empty
      }
      p.addVariable(lo[i], hi[i]);
    }
    for (InputConstraint ic : rows) {
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      p.addRow(idx, ic.coefficients(), Double.NEGATIVE_INFINITY, ic.bound());
    }
    LpSolver solver = new OjAlgoLpSolver();
    Budget budget = Budget.of(java.time.Duration.ofSeconds(2));
    for (int i = 0; i < n; i++) {
      for (int sign = 1; sign >= -1; sign -= 2) {
        double[] c = new double[n];
        c[i] = sign;
        try {
          LpSolver.Solution sol = solver.minimise(p, c, budget);
          if (sol.rowMultipliers() == null) {
            continue;
          }
          double b = DualBound.lowerBound(p, c, sol.rowMultipliers());
          if (sign > 0 && b > lo[i]) {
            lo[i] = b; // x_i >= b
          } else if (sign < 0 && -b < hi[i]) {
            hi[i] = -b; // -x_i >= b
          }
        } catch (RuntimeException e) {
          return; // out of time or a solver failure: the interval box stands, still sound
        }
      }
    }
  }
}
