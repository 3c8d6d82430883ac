package dev.robustspec.engine.logic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one disjunctive normal form of the engine: a {@link Formula} over linear atoms becomes a
 * list of terms, each an array of atom ids (a conjunction); the empty list is "false", one empty
 * term "true". VNN-LIB asserts and {@code .rspec} formulas both go through it; their terms
 * become unsafe cases ({@code query.QueryLowering}, the compiler's property lowering).
 *
 * <p>Negation is pushed to the atoms (De Morgan; a negated atom is {@link LinearAtom#negated},
 * added to the table), so {@code not} costs nothing. An {@code or} concatenates its children's
 * terms; an {@code and} multiplies them, each product term its parts' atoms in source order.
 * Single-term children (atoms, flat conjunctions) are appended in place, so a long flat
 * {@code (and ...)} costs linear time; only disjunctive children multiply. A false child ends
 * an {@code and} at once.
 *
 * <p>Limits: more than {@code maxTerms} terms from one {@code or} or {@code and}, or more than
 * {@link #MAX_ATOM_REFS} atom references in all (a pathological file cannot exhaust memory),
 * is a {@link CaseLimitException} naming the node.
 */
public final class Dnf {
  /** Total atom references one {@code Dnf} may allocate. */
  public static final long MAX_ATOM_REFS = 10_000_000;

  /** Which part of a conjunction's product varies fastest in the list of terms. */
  public enum Order {
    /**
     * The last part varies fastest ({@code (and (or a b) (or c d))}: ac, ad, bc, bd): VNN-LIB's
     * order, the same as across asserts.
     */
    LAST_VARIES_FASTEST,
    /** The first part varies fastest (ac, bc, ad, bd): the {@code .rspec} case order. */
    FIRST_VARIES_FASTEST
  }

  private final AtomTable atoms;
  private final int maxTerms;
  private final Order order;
  private long refBudget = MAX_ATOM_REFS;

  public Dnf(AtomTable atoms, int maxTerms, Order order) {
    this.atoms = atoms;
    this.maxTerms = maxTerms;
    this.order = order;
  }

  /** The terms of {@code f}. */
  public List<int[]> terms(Formula f) throws CaseLimitException {
    return finish(dnf(f, false));
  }

  /** The terms of {@code not f}: the unsafe cases of a property that must hold. */
  public List<int[]> negationTerms(Formula f) throws CaseLimitException {
    return finish(dnf(f, true));
  }

  /** A growable conjunction of atom ids. */
  private static final class Term {
    int[] ids;
    int size;

    Term(int capacity) {
      ids = new int[Math.max(capacity, 1)];
    }

    static Term of(int id) {
      Term t = new Term(1);
      t.ids[0] = id;
      t.size = 1;
      return t;
    }

    void append(Term o) {
      if (size + o.size > ids.length) {
        ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + o.size));
      }
      System.arraycopy(o.ids, 0, ids, size, o.size);
      size += o.size;
    }

    Term concat(Term o) {
      Term t = new Term(size + o.size);
      System.arraycopy(ids, 0, t.ids, 0, size);
      System.arraycopy(o.ids, 0, t.ids, size, o.size);
      t.size = size + o.size;
      return t;
    }
  }

  private static List<int[]> finish(List<Term> terms) {
    List<int[]> out = new ArrayList<>(terms.size());
    for (Term t : terms) {
      out.add(Arrays.copyOf(t.ids, t.size));
    }
    return out;
  }

  private List<Term> dnf(Formula f, boolean negate) throws CaseLimitException {
    if (f instanceof Formula.Const c) {
      return c.value() != negate ? new ArrayList<>(List.of(new Term(0))) : new ArrayList<>();
    }
    if (f instanceof Formula.Atom a) {
      spend(1, f);
      int id = negate ? atoms.add(atoms.get(a.id()).negated()) : a.id();
      return new ArrayList<>(List.of(Term.of(id)));
    }
    if (f instanceof Formula.Not n) {
      return dnf(n.operand(), !negate);
    }
    if (f instanceof Formula.And and) {
      return negate ? disjunction(and.parts(), true, f) : conjunction(and.parts(), false, f);
    }
    Formula.Or or = (Formula.Or) f;
    return negate ? conjunction(or.parts(), true, f) : disjunction(or.parts(), false, f);
  }

  private List<Term> disjunction(List<Formula> parts, boolean negate, Formula where)
      throws CaseLimitException {
    List<Term> out = new ArrayList<>();
    for (Formula p : parts) {
      out.addAll(dnf(p, negate));
      if (out.size() > maxTerms) {
        throw new CaseLimitException(CaseLimitException.Kind.OR, where.origin(), maxTerms);
      }
    }
    return out;
  }

  private List<Term> conjunction(List<Formula> parts, boolean negate, Formula where)
      throws CaseLimitException {
    List<Term> acc = new ArrayList<>(List.of(new Term(0)));
    for (Formula p : parts) {
      List<Term> child = dnf(p, negate);
      if (child.isEmpty()) {
        return child; // a false conjunct makes the whole conjunction false
      }
      if (child.size() == 1) {
        Term t = child.get(0);
        spend((long) t.size * acc.size(), where);
        for (Term a : acc) {
          a.append(t); // acc's terms are this conjunction's own: appended in place
        }
        continue;
      }
      if ((long) acc.size() * child.size() > maxTerms) {
        throw new CaseLimitException(CaseLimitException.Kind.AND, where.origin(), maxTerms);
      }
      long refs = 0;
      for (Term a : acc) {
        refs += (long) a.size * child.size();
      }
      for (Term c : child) {
        refs += (long) c.size * acc.size();
      }
      spend(refs, where);
      List<Term> next = new ArrayList<>(acc.size() * child.size());
      if (order == Order.LAST_VARIES_FASTEST) {
        for (Term a : acc) {
          for (Term c : child) {
            next.add(a.concat(c));
          }
        }
      } else {
        for (Term c : child) {
          for (Term a : acc) {
            next.add(a.concat(c));
          }
        }
      }
      acc = next;
    }
    return acc;
  }

  private void spend(long refs, Formula where) throws CaseLimitException {
    refBudget -= refs;
    if (refBudget < 0) {
      throw new CaseLimitException(CaseLimitException.Kind.SIZE, where.origin(), MAX_ATOM_REFS);
    }
  }
}
