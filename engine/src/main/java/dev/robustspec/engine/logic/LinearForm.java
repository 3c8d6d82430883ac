package dev.robustspec.engine.logic;

import java.util.Map;
import java.util.TreeMap;

/**
 * A linear form {@code sum coefficient(v) * v + constant} over integer variable ids, as the
 * property languages write their terms ({@code (+ (* 2 X_0) 1)}, {@code 2 * net(x)[0] + 1}).
 * Every front end (VNN-LIB 1 and 2, {@code .rspec}) builds its comparisons from this one class,
 * so a term means the same number in each: the arithmetic is plain double, in the order the
 * term is written, and {@link #lessEqZero} turns a difference into an atom the same way for all.
 *
 * <p>Mutable in {@link #add} only (sums of many terms stay linear in time); the other operations
 * return new forms. Variables are kept in ascending id order.
 */
public final class LinearForm {
  private final TreeMap<Integer, Double> coefficients = new TreeMap<>();
  private double constant;

  private LinearForm() {}

  /** The constant {@code c}. */
  public static LinearForm constant(double c) {
    LinearForm f = new LinearForm();
    f.constant = c;
    return f;
  }

  /** The variable {@code id} with coefficient 1. */
  public static LinearForm variable(int id) {
    LinearForm f = new LinearForm();
    f.coefficients.put(id, 1.0);
    return f;
  }

  /** The empty sum (0), to {@link #add} terms to. */
  public static LinearForm zero() {
    return new LinearForm();
  }

  /** {@code k * this}, every coefficient and the constant multiplied by {@code k}. */
  public LinearForm scaled(double k) {
    LinearForm r = new LinearForm();
    r.constant = constant * k;
    coefficients.forEach((v, c) -> r.coefficients.put(v, c * k));
    return r;
  }

  /** {@code this += other}, coefficient by coefficient. */
  public void add(LinearForm other) {
    constant += other.constant;
    other.coefficients.forEach((v, c) -> coefficients.merge(v, c, Double::sum));
  }

  /** {@code a - b}, computed as {@code a + (-1) * b}. */
  public static LinearForm difference(LinearForm a, LinearForm b) {
    LinearForm r = a.scaled(1);
    r.add(b.scaled(-1));
    return r;
  }

  /** True when no variable was ever added (a coefficient that cancelled to 0 still counts). */
  public boolean isConstant() {
    return coefficients.isEmpty();
  }

  public double constant() {
    return constant;
  }

  /** The coefficients by variable id, ascending (zeros included). */
  public Map<Integer, Double> coefficients() {
    return java.util.Collections.unmodifiableMap(coefficients);
  }

  /** True when the constant and every coefficient are finite numbers. */
  public boolean isFinite() {
    if (!Double.isFinite(constant)) {
      return false;
    }
    for (double c : coefficients.values()) {
      if (!Double.isFinite(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code this <= 0} ({@code < 0} when {@code strict}) as a formula: an atom
   * {@code sum c_v v <= -constant} over the non-zero coefficients, or, when none is left, the
   * comparison of the constant decided as written (strict ones strictly). Call only on a
   * {@link #isFinite finite} form; {@code atoms} receives the new atom.
   */
  public Formula lessEqZero(boolean strict, AtomTable atoms, Object origin) {
    int n = 0;
    for (double c : coefficients.values()) {
      if (c != 0.0) {
        n++;
      }
    }
    double bound = 0.0 - constant + 0.0; // + 0.0: no -0.0 bounds
    if (n == 0) {
      return new Formula.Const(strict ? 0 < bound : 0 <= bound, origin);
    }
    int[] vars = new int[n];
    double[] coefs = new double[n];
    int k = 0;
    for (Map.Entry<Integer, Double> e : coefficients.entrySet()) {
      if (e.getValue() != 0.0) {
        vars[k] = e.getKey();
        coefs[k] = e.getValue() + 0.0;
        k++;
      }
    }
    return new Formula.Atom(atoms.add(new LinearAtom(vars, coefs, bound, strict)), origin);
  }
}
