package dev.robustspec.engine.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one normal form: on random formulas over a few atoms it means exactly what the formula
 * means (checked on every truth assignment), its case order is the one each language documents,
 * and its limits are errors naming the node that crossed them.
 */
class DnfTest {
  static final int ATOMS = 5;

  /** Atom i is {@code v_i <= 0}; its negation, added by the DNF, {@code -v_i < 0}. */
  static AtomTable table() {
    AtomTable t = new AtomTable();
    for (int i = 0; i < ATOMS; i++) {
      t.add(new LinearAtom(new int[] {i}, new double[] {1}, 0, false));
    }
    return t;
  }

  static Formula atom(int i) {
    return new Formula.Atom(i, "a" + i);
  }

  static Formula and(Formula... parts) {
    return new Formula.And(List.of(parts), "and");
  }

  static Formula or(Formula... parts) {
    return new Formula.Or(List.of(parts), "or");
  }

  static Formula random(SplittableRandom r, int depth) {
    int pick = depth == 0 ? r.nextInt(3) : r.nextInt(7);
    switch (pick) {
      case 0, 1 -> {
        return atom(r.nextInt(ATOMS));
      }
      case 2 -> {
        return new Formula.Const(r.nextBoolean(), "c");
      }
      case 3 -> {
        return new Formula.Not(random(r, depth - 1), "not");
      }
      default -> {
        List<Formula> parts = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
          parts.add(random(r, depth - 1));
        }
        return pick % 2 == 0 ? new Formula.And(parts, "and") : new Formula.Or(parts, "or");
      }
    }
  }

  /** The formula's truth under {@code bits} (bit i: atom i holds). */
  static boolean eval(Formula f, int bits) {
    if (f instanceof Formula.Atom a) {
      return (bits >> a.id() & 1) == 1;
    }
    if (f instanceof Formula.Const c) {
      return c.value();
    }
    if (f instanceof Formula.Not n) {
      return !eval(n.operand(), bits);
    }
    if (f instanceof Formula.And a) {
      return a.parts().stream().allMatch(p -> eval(p, bits));
    }
    return ((Formula.Or) f).parts().stream().anyMatch(p -> eval(p, bits));
  }

  /** A literal of the table: atom v_i <= 0 or its negation -v_i < 0. */
  static boolean holds(LinearAtom a, int bits) {
    boolean base = (bits >> a.variables()[0] & 1) == 1;
    return a.coefficients()[0] > 0 ? base : !base;
  }

  static boolean evalTerms(List<int[]> terms, AtomTable t, int bits) {
    for (int[] term : terms) {
      boolean all = true;
      for (int id : term) {
        all &= holds(t.get(id), bits);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  @Test
  void randomFormulasMeanWhatTheirNormalFormSays() throws Exception {
    SplittableRandom r = new SplittableRandom(13);
    for (int trial = 0; trial < 500; trial++) {
      Formula f = random(r, 4);
      for (Dnf.Order order : Dnf.Order.values()) {
        AtomTable t = table();
        Dnf dnf = new Dnf(t, 100_000, order);
        List<int[]> terms = dnf.terms(f);
        List<int[]> negation = dnf.negationTerms(f);
        for (int bits = 0; bits < 1 << ATOMS; bits++) {
          assertEquals(eval(f, bits), evalTerms(terms, t, bits), f + " at " + bits);
          assertEquals(!eval(f, bits), evalTerms(negation, t, bits), "not " + f + " at " + bits);
        }
      }
    }
  }

  @Test
  void negationFlipsStrictnessAndSigns() throws Exception {
    AtomTable t = new AtomTable();
    t.add(new LinearAtom(new int[] {0, 2}, new double[] {1, -2}, 1.5, false));
    List<int[]> terms = new Dnf(t, 10, Dnf.Order.LAST_VARIES_FASTEST)
        .negationTerms(new Formula.Atom(0, null));
    LinearAtom n = t.get(terms.get(0)[0]);
    assertArrayEquals(new int[] {0, 2}, n.variables());
    assertArrayEquals(new double[] {-1, 2}, n.coefficients());
    assertEquals(-1.5, n.bound());
    assertEquals(true, n.strict());
  }

  @Test
  void caseOrderOfEachLanguage() throws Exception {
    Formula f = and(or(atom(0), atom(1)), or(atom(2), atom(3)));
    List<int[]> vnnlib = new Dnf(table(), 10, Dnf.Order.LAST_VARIES_FASTEST).terms(f);
    assertEquals(List.of("[0, 2]", "[0, 3]", "[1, 2]", "[1, 3]"), show(vnnlib));
    List<int[]> rspec = new Dnf(table(), 10, Dnf.Order.FIRST_VARIES_FASTEST).terms(f);
    assertEquals(List.of("[0, 2]", "[1, 2]", "[0, 3]", "[1, 3]"), show(rspec));
    // single-term conjuncts keep their place in the term (source order)
    Formula g = and(atom(4), or(atom(0), atom(1)), atom(2));
    assertEquals(List.of("[4, 0, 2]", "[4, 1, 2]"),
        show(new Dnf(table(), 10, Dnf.Order.LAST_VARIES_FASTEST).terms(g)));
    // true is one empty term, false no term; a false conjunct empties the conjunction
    assertEquals(List.of("[]"), show(new Dnf(table(), 10, Dnf.Order.LAST_VARIES_FASTEST)
        .terms(new Formula.Const(true, null))));
    assertEquals(List.of(), new Dnf(table(), 10, Dnf.Order.LAST_VARIES_FASTEST)
        .terms(and(or(atom(0), atom(1)), new Formula.Const(false, null))));
  }

  static List<String> show(List<int[]> terms) {
    return terms.stream().map(java.util.Arrays::toString).toList();
  }

  @Test
  void aLongFlatConjunctionIsOneTermInSourceOrder() throws Exception {
    AtomTable t = new AtomTable();
    List<Formula> parts = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      parts.add(new Formula.Atom(t.add(new LinearAtom(new int[] {i}, new double[] {1}, 1,
          false)), null));
    }
    List<int[]> terms = new Dnf(t, 10, Dnf.Order.LAST_VARIES_FASTEST)
        .terms(new Formula.And(parts, null));
    assertEquals(1, terms.size());
    assertEquals(100_000, terms.get(0).length);
    for (int i = 0; i < 100_000; i++) {
      assertEquals(i, terms.get(0)[i]);
    }
  }

  @Test
  void limitsNameTheNodeThatCrossedThem() {
    Formula wide = new Formula.Or(List.of(atom(0), atom(1), atom(2)), "the or");
    CaseLimitException e = assertThrows(CaseLimitException.class,
        () -> new Dnf(table(), 2, Dnf.Order.LAST_VARIES_FASTEST).terms(wide));
    assertEquals(CaseLimitException.Kind.OR, e.kind());
    assertEquals("the or", e.where());
    assertEquals(2, e.limit());
    Formula product = new Formula.And(List.of(or(atom(0), atom(1)), or(atom(2), atom(3))),
        "the and");
    e = assertThrows(CaseLimitException.class,
        () -> new Dnf(table(), 3, Dnf.Order.FIRST_VARIES_FASTEST).terms(product));
    assertEquals(CaseLimitException.Kind.AND, e.kind());
    assertEquals("the and", e.where());
    // the negation of an and of ors is an or of ands: two terms, within the limit of 3
    assertEquals(2, assertDoesNotThrow(() ->
        new Dnf(table(), 3, Dnf.Order.FIRST_VARIES_FASTEST).negationTerms(product)).size());
  }

  static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
  }
}
