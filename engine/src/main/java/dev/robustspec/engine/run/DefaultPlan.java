package dev.robustspec.engine.run;

import dev.robustspec.engine.lp.KReluAlphaPass;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.search.BranchAndBound;
import dev.robustspec.engine.search.CounterexampleSearch;
import dev.robustspec.engine.search.ReluSplitSearch;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one default plan, chosen by the network: a quick attack, {@code interval},
 * {@code deeppoly}, a thorough attack (a lighter one before {@code relubab}, which attacks in its
 * open parts), then branch and bound: input splitting ({@code bab}) when
 * at most {@link #BAB_MAX_INPUTS} inputs are left free by the specification (each split halves
 * one input's width, which pays off only when few inputs drive the bounds; dist_shift fixes 784 of
 * its 792 inputs and varies 8), ReLU splitting ({@code relubab}, {@link ReluSplitSearch})
 * otherwise, after {@code alpha(interm = 20, share = 0.5)}: α-CROWN's optimised intermediate
 * bounds ({@link AlphaPass}), which the ReLU splitting starts every part from (on deep nets at
 * a large radius DeepPoly leaves almost every ReLU of the later layers unstable, and splitting
 * then needs far too many parts; measured on MNIST-FC, issue 15), within half the time left so
 * that the splitting keeps the other half. That splitting runs at most {@link #FIRST_SPLITTING};
 * what it leaves open gets {@code kalpha} (the k-ReLU multi-neuron relaxation bounded by
 * gradient, at most {@link #MULTI_NEURON}) and then {@code relubab} again, from those tighter
 * bounds, with the rest of the time. The
 * .rspec language shows it (with its parameters) as {@code PropertyPlan.defaultPlan}, built from
 * this one; {@code --passes default} runs it.
 */
public final class DefaultPlan {
  /** At most this many varying inputs get {@code bab}, more get {@code relubab}. */
  public static final int BAB_MAX_INPUTS = 16;

  /** The α step before {@code relubab}: intermediate bounds optimised, half the time left. */
  public static final AlphaPass.Options INTERMEDIATE = new AlphaPass.Options(20, 0.5, 0.98, 20,
      0.5);

  /**
   * The first {@code relubab}'s cap. What it decides it decides fast: on MNIST-FC every one of
   * its proofs came within 17 s at a 120 s limit (BENCHMARKS.md, issue 15), and the time after
   * it went to nothing.
   */
  public static final Duration FIRST_SPLITTING = Duration.ofSeconds(20);

  /**
   * The cap of {@code kalpha} ({@link KReluAlphaPass}) after the first {@code relubab}: the k-ReLU
   * hulls' facets tighten every layer's bounds (8-53 s on MNIST-FC 256x4 at eps 0.05, longer on
   * 256x6), and the second {@code relubab} starts from them with the time left.
   */
  public static final Duration MULTI_NEURON = Duration.ofSeconds(120);

  private DefaultPlan() {}

  /** The default plan for the problem's network and specification; {@code seed} seeds searches. */
  public static Verifier.Plan forProblem(Specification spec, long seed) {
    return forNetwork(varyingInputs(spec), seed);
  }

  /**
   * The default plan when {@code inputSize} inputs vary (all of the network's when no
   * specification is at hand); {@code seed} seeds searches.
   */
  public static Verifier.Plan forNetwork(int inputSize, long seed) {
    List<PlanStep> steps = new ArrayList<>(
        new Verifier.Plan(List.of(new IntervalPass(), new DeepPolyPass()), seed).steps());
    if (inputSize <= BAB_MAX_INPUTS) {
      steps.add(new PlanStep.Branch(BranchAndBound.Options.defaults(seed), null));
    } else {
      // the last search (thorough) becomes the lighter one: relubab attacks in its open parts
      steps.set(steps.size() - 1, new PlanStep.Search(
          CounterexampleSearch.Options.beforeReluSplitting(seed), null));
      steps.add(new PlanStep.Relax(new AlphaPass(INTERMEDIATE), null));
      steps.add(new PlanStep.ReluBranch(ReluSplitSearch.Options.defaults(), FIRST_SPLITTING));
      steps.add(new PlanStep.Relax(KReluAlphaPass.defaults(), MULTI_NEURON));
      steps.add(new PlanStep.ReluBranch(ReluSplitSearch.Options.defaults(), null));
    }
    return new Verifier.Plan(steps);
  }

  /**
   * Inputs that some region lets vary ({@code lower < upper}): the dimension input splitting
   * works in.
   */
  public static int varyingInputs(Specification spec) {
    int varying = 0;
    int n = spec.regions().get(0).dimension();
    for (int i = 0; i < n; i++) {
      for (Box b : spec.regions()) {
        if (b.lower()[i] < b.upper()[i]) {
          varying++;
          break;
        }
      }
    }
    return varying;
  }
}
