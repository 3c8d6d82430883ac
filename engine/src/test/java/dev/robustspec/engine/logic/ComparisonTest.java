package dev.robustspec.engine.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Comparisons of linear forms, worked by hand: the atom is {@code difference <= 0} with the
 * bound on the right, strictness kept, constants decided as written, overflow refused.
 */
class ComparisonTest {

  /** {@code 2 * v0 - v1 + 0.5}. */
  static LinearForm left() {
    LinearForm f = LinearForm.variable(0).scaled(2);
    f.add(LinearForm.variable(1).scaled(-1));
    f.add(LinearForm.constant(0.5));
    return f;
  }

  static LinearAtom only(Formula f, AtomTable t) {
    return t.get(assertInstanceOf(Formula.Atom.class, f).id());
  }

  @Test
  void atomsOverTheDifference() {
    AtomTable t = new AtomTable();
    // 2 v0 - v1 + 0.5 <= 1  ->  2 v0 - v1 <= 0.5
    LinearAtom le = only(Comparison.LE.formula(left(), LinearForm.constant(1), t, null), t);
    assertArrayEquals(new int[] {0, 1}, le.variables());
    assertArrayEquals(new double[] {2, -1}, le.coefficients());
    assertEquals(0.5, le.bound());
    assertEquals(false, le.strict());
    // ... > 1  ->  1 - (2 v0 - v1 + 0.5) < 0  ->  -2 v0 + v1 < -0.5
    LinearAtom gt = only(Comparison.GT.formula(left(), LinearForm.constant(1), t, null), t);
    assertArrayEquals(new double[] {-2, 1}, gt.coefficients());
    assertEquals(-0.5, gt.bound());
    assertEquals(true, gt.strict());
    // v3 = 2: both closed atoms; v3 != 2: either strict one
    Formula.And eq = assertInstanceOf(Formula.And.class,
        Comparison.EQ.formula(LinearForm.variable(3), LinearForm.constant(2), t, null));
    assertEquals(List.of(2.0, -2.0), eq.parts().stream().map(p -> only(p, t).bound()).toList());
    Formula.Or ne = assertInstanceOf(Formula.Or.class,
        Comparison.NE.formula(LinearForm.variable(3), LinearForm.constant(2), t, null));
    assertEquals(List.of(true, true), ne.parts().stream().map(p -> only(p, t).strict()).toList());
  }

  @Test
  void constantsAreDecidedAsWrittenAndOverflowIsRefused() {
    AtomTable t = new AtomTable();
    assertEquals(new Formula.Const(true, "o"),
        Comparison.LE.formula(LinearForm.constant(1), LinearForm.constant(1), t, "o"));
    assertEquals(new Formula.Const(false, "o"),
        Comparison.LT.formula(LinearForm.constant(1), LinearForm.constant(1), t, "o"));
    // v0 - v0 cancels: no variable is left, 0 <= 0 holds
    LinearForm x = LinearForm.variable(0);
    assertEquals(new Formula.Const(true, null), Comparison.GE.formula(x, x, t, null));
    assertEquals(0, t.size());
    assertNull(Comparison.LE.formula(LinearForm.variable(0).scaled(1e300).scaled(1e300),
        LinearForm.constant(0), t, null));
    assertEquals(Comparison.EQ, Comparison.of("=="));
    assertEquals(Comparison.EQ, Comparison.of("="));
    assertNull(Comparison.of("=>"));
  }
}
