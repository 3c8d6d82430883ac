package dev.robustspec.engine.logic;

/**
 * A comparison of two linear forms as the property languages write it, turned into a formula
 * over {@code difference <= 0} atoms the same way for VNN-LIB 1, VNN-LIB 2 and {@code .rspec}:
 * {@code a <= b} is {@code a - b <= 0}, {@code a >= b} is {@code b - a <= 0}, strict ones
 * strict; {@code a = b} is both closed atoms, {@code a != b} either strict one.
 */
public enum Comparison {
  LE, LT, GE, GT, EQ, NE;

  /** The comparison written {@code op} ({@code <= < >= > = == !=}), or null. */
  public static Comparison of(String op) {
    return switch (op) {
      case "<=" -> LE;
      case "<" -> LT;
      case ">=" -> GE;
      case ">" -> GT;
      case "=", "==" -> EQ;
      case "!=" -> NE;
      default -> null;
    };
  }

  /**
   * The form whose sign the comparison is about: {@code left - right}, or {@code right - left}
   * for {@code >=} and {@code >} (both variables sets are the same).
   */
  public LinearForm difference(LinearForm left, LinearForm right) {
    return this == GE || this == GT ? LinearForm.difference(right, left)
        : LinearForm.difference(left, right);
  }

  /**
   * {@code left OP right} as a formula with its atoms added to {@code atoms}; null when a
   * coefficient or the constant of the difference is not a finite number (the caller says so).
   */
  public Formula formula(LinearForm left, LinearForm right, AtomTable atoms, Object origin) {
    LinearForm d = difference(left, right);
    if (!d.isFinite()) {
      return null;
    }
    return switch (this) {
      case LE, GE -> d.lessEqZero(false, atoms, origin);
      case LT, GT -> d.lessEqZero(true, atoms, origin);
      case EQ -> new Formula.And(java.util.List.of(d.lessEqZero(false, atoms, origin),
          LinearForm.difference(right, left).lessEqZero(false, atoms, origin)), origin);
      case NE -> new Formula.Or(java.util.List.of(d.lessEqZero(true, atoms, origin),
          LinearForm.difference(right, left).lessEqZero(true, atoms, origin)), origin);
    };
  }
}
