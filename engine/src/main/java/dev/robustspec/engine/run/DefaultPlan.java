package dev.robustspec.engine.run;

import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.search.BranchAndBound;
import dev.robustspec.engine.search.ReluSplitSearch;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.Verifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The one default plan, chosen by the network: a quick attack, {@code interval},
 * {@code deeppoly}, a thorough attack, then branch and bound: input splitting ({@code bab}) when
 * the network has at most {@link #BAB_MAX_INPUTS} inputs (each split halves one input's width,
 * which pays off only when few inputs drive the bounds), ReLU splitting ({@code relubab},
 * {@link ReluSplitSearch}) otherwise. The
 * .rspec language shows it (with its parameters) as {@code PropertyPlan.defaultPlan}, built from
 * this one; {@code --passes default} runs it.
 */
public final class DefaultPlan {
  /** Networks with at most this many inputs get {@code bab}, the others {@code relubab}. */
  public static final int BAB_MAX_INPUTS = 16;

  private DefaultPlan() {}

  /** The default plan for a network with {@code inputSize} inputs; {@code seed} seeds searches. */
  public static Verifier.Plan forNetwork(int inputSize, long seed) {
    List<PlanStep> steps = new ArrayList<>(
        new Verifier.Plan(List.of(new IntervalPass(), new DeepPolyPass()), seed).steps());
    if (inputSize <= BAB_MAX_INPUTS) {
      steps.add(new PlanStep.Branch(BranchAndBound.Options.defaults(seed), null));
    } else {
      steps.add(new PlanStep.ReluBranch(ReluSplitSearch.Options.defaults(), null));
    }
    return new Verifier.Plan(steps);
  }
}
