package dev.robustspec.engine.verify;

import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.search.BranchAndBound;
import dev.robustspec.engine.search.CounterexampleSearch;
import dev.robustspec.engine.search.ReluSplitSearch;
import java.time.Duration;

/**
 * One step of a verification plan: a relaxation pass, a counterexample search or an
 * input-splitting branch and bound, each with an
 * optional time cap of its own (within the run's budget). A step whose cap runs out is skipped
 * for the rest of the run; the run's own deadline ends the run.
 */
public sealed interface PlanStep {

  /** The step's name as plans print it. */
  String name();

  /** The step's own time cap, or null for none. */
  Duration timeout();

  record Relax(RelaxationPass pass, Duration timeout) implements PlanStep {
    @Override
    public String name() {
      return pass.name();
    }
  }

  record Search(CounterexampleSearch.Options options, Duration timeout) implements PlanStep {
    @Override
    public String name() {
      return "attack";
    }
  }

  /** Input-splitting branch and bound ({@link BranchAndBound}) on every open case. */
  record Branch(BranchAndBound.Options options, Duration timeout) implements PlanStep {
    @Override
    public String name() {
      return "bab";
    }
  }

  /** ReLU-splitting branch and bound ({@link ReluSplitSearch}) on every open case. */
  record ReluBranch(ReluSplitSearch.Options options, Duration timeout) implements PlanStep {
    @Override
    public String name() {
      return "relubab";
    }
  }
}
