package dev.robustspec.engine.base;

/** Unwinds a pass or search when its {@link Budget} runs out; the verifier turns it into a verdict. */
public final class BudgetExhaustedException extends RuntimeException {
  public BudgetExhaustedException(String why) {
    super(why, null, false, false);
  }
}
