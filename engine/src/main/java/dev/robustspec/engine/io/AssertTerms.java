package dev.robustspec.engine.io;

import dev.robustspec.engine.io.VnnlibQuery.Atom;
import dev.robustspec.engine.io.VnnlibQuery.Pos;
import dev.robustspec.engine.logic.AtomTable;
import dev.robustspec.engine.logic.CaseLimitException;
import dev.robustspec.engine.logic.Comparison;
import dev.robustspec.engine.logic.Dnf;
import dev.robustspec.engine.logic.Formula;
import dev.robustspec.engine.logic.LinearAtom;
import dev.robustspec.engine.logic.LinearForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * What both VNN-LIB readers do with an assert once its syntax is read: its formula goes through
 * the engine's one {@link Dnf} (VNN-LIB order: the last disjunct varies fastest) and is filed
 * as shared by every case (one term) or as one more disjunctive assert of the
 * {@link VnnlibQuery}. The readers only parse; the cases are {@code query.QueryLowering}'s.
 */
final class AssertTerms {
  private final Path file;
  private final int maxTerms;
  private final AtomTable table = new AtomTable();
  private final List<Pos> positions = new ArrayList<>();
  private final Dnf dnf;
  private final List<int[]> common = new ArrayList<>();
  private final List<List<int[]>> disjunctive = new ArrayList<>();
  private final List<Pos> disjunctivePositions = new ArrayList<>();
  private boolean alwaysFalse;

  AssertTerms(Path file, int maxTerms) {
    this.file = file;
    this.maxTerms = maxTerms;
    this.dnf = new Dnf(table, maxTerms, Dnf.Order.LAST_VARIES_FASTEST);
  }

  /** {@code left op right} with its atoms located at {@code pos}; null when not finite. */
  Formula comparison(Comparison op, LinearForm left, LinearForm right, Pos pos) {
    Formula f = op.formula(left, right, table, pos);
    while (positions.size() < table.size()) {
      positions.add(pos);
    }
    return f;
  }

  /** Files one assert, written at {@code pos}. */
  void add(Formula assertion, Pos pos) throws InputFormatException {
    List<int[]> terms;
    try {
      terms = dnf.terms(assertion);
    } catch (CaseLimitException e) {
      Pos at = (Pos) e.where();
      throw new InputFormatException(file, at.line(), at.column(), switch (e.kind()) {
        case OR -> "this 'or' expands to more than " + maxTerms + " cases";
        case AND -> "this 'and' of disjunctions expands to more than " + maxTerms + " cases";
        case SIZE -> "the formula is too large to expand into cases";
      });
    }
    if (terms.isEmpty()) {
      alwaysFalse = true;
    } else if (terms.size() == 1) {
      common.add(terms.get(0));
    } else {
      disjunctive.add(terms);
      disjunctivePositions.add(pos);
    }
  }

  /** The atoms ids of every single-term assert, in file order. */
  int[] common() {
    int total = 0;
    for (int[] t : common) {
      total += t.length;
    }
    int[] flat = new int[total];
    int p = 0;
    for (int[] t : common) {
      System.arraycopy(t, 0, flat, p, t.length);
      p += t.length;
    }
    return flat;
  }

  /** The disjunctive asserts; one with no term when some assert is false (nothing satisfies). */
  List<List<int[]>> disjunctive() {
    return alwaysFalse ? List.of(List.of()) : disjunctive;
  }

  List<Pos> disjunctivePositions() {
    return alwaysFalse ? List.of() : disjunctivePositions;
  }

  /** The atoms as the query holds them, each variable id mapped to its slot by {@code slot}. */
  List<Atom> atoms(IntUnaryOperator slot) {
    List<Atom> out = new ArrayList<>(table.size());
    for (int id = 0; id < table.size(); id++) {
      LinearAtom a = table.get(id);
      int n = a.variables().length;
      Integer[] order = new Integer[n];
      for (int k = 0; k < n; k++) {
        order[k] = k;
      }
      java.util.Arrays.sort(order, java.util.Comparator.comparingInt(
          k -> slot.applyAsInt(a.variables()[k])));
      int[] slots = new int[n];
      double[] coefs = new double[n];
      for (int k = 0; k < n; k++) { // ascending slots, whatever the ids' order was
        slots[k] = slot.applyAsInt(a.variables()[order[k]]);
        coefs[k] = a.coefficients()[order[k]];
      }
      out.add(new Atom(slots, coefs, a.bound(), a.strict(), positions.get(id)));
    }
    return out;
  }
}
