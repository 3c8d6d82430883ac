package dev.robustspec.engine.lp;

/** The LP solver the passes use: GLOP where its native library loads, else ojAlgo (pure Java). */
public final class LpSolvers {
  private LpSolvers() {}

  /** A new solver instance (each keeps its own incremental model; not shared across threads). */
  public static LpSolver best() {
    return GlopLpSolver.available() ? new GlopLpSolver() : new OjAlgoLpSolver();
  }
}
