package dev.robustspec.engine.logic;

/**
 * The disjunctive normal form of a formula would exceed its limit: {@code kind} says which
 * bound, {@code where} is the origin of the node that crossed it, {@code limit} the bound. Each
 * front end words it (a located diagnostic, an input-format error).
 */
public final class CaseLimitException extends Exception {

  /** Which limit was crossed. */
  public enum Kind {
    /** An {@code or} has more than {@code limit} terms. */
    OR,
    /** An {@code and} of disjunctions multiplies to more than {@code limit} terms. */
    AND,
    /** The terms together would hold more atom references than the memory guard allows. */
    SIZE
  }

  private final Kind kind;
  private final transient Object where;
  private final long limit;

  public CaseLimitException(Kind kind, Object where, long limit) {
    super(kind + " over " + limit, null, false, false);
    this.kind = kind;
    this.where = where;
    this.limit = limit;
  }

  public Kind kind() {
    return kind;
  }

  public Object where() {
    return where;
  }

  public long limit() {
    return limit;
  }
}
