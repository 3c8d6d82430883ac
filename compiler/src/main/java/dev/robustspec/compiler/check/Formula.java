package dev.robustspec.compiler.check;

import dev.robustspec.engine.spec.OutputConstraint;
import java.util.ArrayList;
import java.util.List;

/**
 * A property's formula over network outputs, reduced to linear atoms {@code c . y <= d}, truth
 * constants, and/or/not. {@link #unsafeTerms} brings the negation into disjunctive normal form:
 * each term is a conjunction of output constraints, i.e. one unsafe case per input box.
 *
 * <p>Each atom keeps whether it is strict ({@code c . y < d}); negation flips it (the negation
 * of {@code c . y <= d} is {@code -c . y < -d}, of {@code c . y < d} is {@code -c . y <= -d}),
 * so an unsafe case's constraints say exactly which outputs violate the property. The passes
 * close every constraint (the unsafe set can only grow, so a proof stays a proof); the
 * counterexample check honours strictness, so a point where {@code y0 <= 1.5} holds with
 * equality is never reported as violating it.
 */
sealed interface Formula {

  /** {@code coefficients . y <= bound}, or {@code < bound} when {@code strict}. */
  record Atom(double[] coefficients, double bound, boolean strict) implements Formula {}

  record Const(boolean value) implements Formula {}

  record AndF(List<Formula> parts) implements Formula {}

  record OrF(List<Formula> parts) implements Formula {}

  record NotF(Formula operand) implements Formula {}

  /** Thrown when the normal form would have more terms than allowed. */
  final class TooManyTerms extends Exception {
    TooManyTerms() {
      super(null, null, false, false);
    }
  }

  /** The terms of the DNF of the formula's negation; an empty list means "never unsafe". */
  static List<List<OutputConstraint>> unsafeTerms(Formula f, int maxTerms) throws TooManyTerms {
    List<List<OutputConstraint>> terms = dnf(f, true, maxTerms);
    return terms == null ? List.of() : terms;
  }

  /**
   * DNF of {@code f} (negated when {@code negate}); a term list, where one empty term means
   * "always true" and an empty list "always false".
   */
  private static List<List<OutputConstraint>> dnf(Formula f, boolean negate, int maxTerms)
      throws TooManyTerms {
    if (f instanceof Const c) {
      return c.value() != negate ? List.of(List.of()) : List.of();
    }
    if (f instanceof Atom a) {
      if (!negate) {
        return List.of(List.of(new OutputConstraint(a.coefficients(), a.bound(), a.strict())));
      }
      double[] neg = new double[a.coefficients().length];
      for (int j = 0; j < neg.length; j++) {
        neg[j] = -a.coefficients()[j];
      }
      return List.of(List.of(new OutputConstraint(neg, -a.bound(), !a.strict())));
    }
    if (f instanceof NotF n) {
      return dnf(n.operand(), !negate, maxTerms);
    }
    boolean conjunction = f instanceof AndF != negate; // De Morgan
    List<Formula> parts = f instanceof AndF and ? and.parts() : ((OrF) f).parts();
    if (!conjunction) {
      List<List<OutputConstraint>> out = new ArrayList<>();
      for (Formula p : parts) {
        out.addAll(dnf(p, negate, maxTerms));
        if (out.size() > maxTerms) {
          throw new TooManyTerms();
        }
      }
      return out;
    }
    List<List<OutputConstraint>> acc = List.of(List.of());
    for (Formula p : parts) {
      List<List<OutputConstraint>> next = new ArrayList<>();
      for (List<OutputConstraint> left : dnf(p, negate, maxTerms)) {
        for (List<OutputConstraint> right : acc) {
          List<OutputConstraint> t = new ArrayList<>(right);
          t.addAll(left);
          next.add(t);
          if (next.size() > maxTerms) {
            throw new TooManyTerms();
          }
        }
      }
      acc = next;
    }
    return acc;
  }
}
