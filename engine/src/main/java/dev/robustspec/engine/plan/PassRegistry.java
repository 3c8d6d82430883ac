package dev.robustspec.engine.plan;

import dev.robustspec.engine.lp.KReluAlphaPass;
import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.lp.LpPass;
import dev.robustspec.engine.lp.LpSolvers;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntermediateCuts;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.run.DefaultPlan;
import dev.robustspec.engine.search.BranchAndBound;
import dev.robustspec.engine.search.CounterexampleSearch;
import dev.robustspec.engine.search.ReluSplitSearch;
import dev.robustspec.engine.verify.PlanStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The passes a plan can name, with their parameters, defaults, ranges and documentation: one
 * registry that the checker, {@code robustspec plan}, completion and hover all read.
 */
public final class PassRegistry {

  /** How a parameter's value is written. */
  public enum ParamType { INTEGER, NUMBER, DURATION }

  /** One parameter: its name, type, default, inclusive range and what it does. */
  public record ParamSpec(String name, ParamType type, Double defaultValue, double min,
      double max, String doc) {}

  /**
   * One pass: name, one-line summary, parameters, how to build the engine step
   * ({@code factory}) and, the other way, which parameters a step of this pass was built with
   * ({@code described}: none but its time cap for a pass without options).
   */
  public record PassSpec(String name, String summary, List<ParamSpec> params,
      Function<Map<String, Double>, PlanStep> factory,
      Function<PlanStep, Map<String, Double>> described) {

    PassSpec(String name, String summary, List<ParamSpec> params,
        Function<Map<String, Double>, PlanStep> factory) {
      this(name, summary, params, factory, step -> Map.of());
    }

    /**
     * The parameters that build {@code step} again through {@link #factory}, its time cap
     * included, every other parameter at its default: how an engine step (the default plan's)
     * is shown as a pass.
     */
    public Map<String, Double> parameters(PlanStep step) {
      Map<String, Double> given = new LinkedHashMap<>(described.apply(step));
      if (step.timeout() != null) {
        given.put("timeout", step.timeout().toNanos() / 1e9);
      }
      return withDefaults(this, given);
    }

    public ParamSpec param(String name) {
      for (ParamSpec p : params) {
        if (p.name().equals(name)) {
          return p;
        }
      }
      return null;
    }
  }

  private static final ParamSpec TIMEOUT = new ParamSpec("timeout", ParamType.DURATION, null,
      0.001, 1e7, "time cap of this pass (e.g. 30s); the property's own timeout still applies");

  /** The search budgets are the engine's: defined once, in the engine's options. */
  private static final CounterexampleSearch.Options THOROUGH =
      CounterexampleSearch.Options.thorough(0);
  private static final BranchAndBound.Options BAB = BranchAndBound.Options.defaults(0);
  private static final ReluSplitSearch.Options RELU_BAB = ReluSplitSearch.Options.defaults();
  /** Neurons per group of relubab's multi-neuron cuts when {@code cuts = 1}. */
  private static final int CUT_GROUP = 3;

  private static final Map<String, PassSpec> PASSES = new LinkedHashMap<>();

  static {
    register(new PassSpec("interval",
        "interval arithmetic, layer by layer (IBP): cheapest, loosest",
        List.of(TIMEOUT), p -> new PlanStep.Relax(new IntervalPass(), timeout(p))));
    register(new PassSpec("deeppoly",
        "DeepPoly/CROWN: linear bounds back-substituted to the input, one lower and one upper"
            + " line per ReLU",
        List.of(TIMEOUT), p -> new PlanStep.Relax(new DeepPolyPass(), timeout(p))));
    register(new PassSpec("alpha",
        "alpha-CROWN: deeppoly with each unstable ReLU's lower slope optimised per objective by"
            + " projected gradient (Adam); every bound recomputed rigorously, never below deeppoly",
        List.of(
            new ParamSpec("iterations", ParamType.INTEGER, 20.0, 0, 10_000,
                "gradient steps on the slopes (0: deeppoly's slopes)"),
            new ParamSpec("lr", ParamType.NUMBER, 0.5, 1e-6, 10,
                "Adam's initial step size on the slopes (which lie in [0, 1])"),
            new ParamSpec("decay", ParamType.NUMBER, 0.98, 0.01, 1,
                "step size multiplied by this after every step"),
            new ParamSpec("interm", ParamType.INTEGER, 0.0, 0, 10_000,
                "gradient steps on the slopes of every ReLU layer's intermediate bounds, each"
                    + " unstable neuron's upper and lower bound optimised for itself, layer by"
                    + " layer, before the objectives (0: intermediate bounds stay deeppoly's);"
                    + " a relubab after it starts from these bounds"),
            new ParamSpec("share", ParamType.NUMBER, 1.0, 0.001, 1,
                "most of the time left that the intermediate bounds (interm) may use (1: all);"
                    + " at its end the layers tightened so far are kept and the objectives"
                    + " bounded"),
            TIMEOUT),
        p -> new PlanStep.Relax(new AlphaPass(new AlphaPass.Options(
            p.get("iterations").intValue(), p.get("lr"), p.get("decay"),
            p.get("interm").intValue(), p.get("share"))), timeout(p)),
        step -> {
          AlphaPass.Options o = ((AlphaPass) ((PlanStep.Relax) step).pass()).options();
          return Map.of("iterations", (double) o.iterations(), "lr", o.learningRate(),
              "decay", o.decay(), "interm", (double) o.intermediateIterations(),
              "share", o.intermediateShare());
        }));
    ParamSpec tighten = new ParamSpec("tighten", ParamType.INTEGER, 0.0, 0, 1,
        "1: first tighten every unstable neuron's bounds with two LPs each, layer by layer,"
            + " a layer's neurons shared among one worker per core (much tighter on deep nets,"
            + " slow on wide ones)");
    register(new PassSpec("lp",
        "triangle LP over the whole network on the bounds earlier passes left (run deeppoly"
            + " first): the tightest single-neuron relaxation; bounds rigorous by LP duality",
        List.of(tighten, TIMEOUT),
        p -> new PlanStep.Relax(new LpPass(LpSolvers::best, p.get("tighten") == 1),
            timeout(p))));
    // kPoly's groups, shared by krelu and kalpha
    ParamSpec hullK = new ParamSpec("k", ParamType.INTEGER, 3.0, 2, 4,
        "neurons relaxed jointly per group");
    ParamSpec hullSets = new ParamSpec("ns", ParamType.INTEGER, 8.0, 2, 1000,
        "unstable neurons of a layer are cut into consecutive sets of ns; groups are taken"
            + " inside a set");
    ParamSpec hullShared = new ParamSpec("s", ParamType.INTEGER, 1.0, 0, 3,
        "most neurons two groups of a set may share (less than k)");
    register(new PassSpec("krelu",
        "k-ReLU multi-neuron relaxation: the triangle LP plus the exact convex hull of groups of"
            + " k ReLUs over their octahedral input bounds (kPoly); beats any single-neuron"
            + " relaxation",
        List.of(hullK, hullSets, hullShared, tighten, TIMEOUT),
        p -> new PlanStep.Relax(new KReluPass(LpSolvers::best, p.get("k").intValue(),
            Math.max(p.get("ns").intValue(), p.get("k").intValue()),
            Math.min(p.get("s").intValue(), p.get("k").intValue() - 1),
            p.get("tighten") == 1), timeout(p))));
    register(new PassSpec("kalpha",
        "the k-ReLU multi-neuron relaxation bounded by gradient, no LP: every unstable neuron's"
            + " bounds, layer by layer, then the objectives, optimised over the slopes and one"
            + " multiplier per k-ReLU hull facet (MN-BaB's dual form); a relubab after it starts"
            + " from these bounds",
        List.of(
            new ParamSpec("iterations", ParamType.INTEGER, 50.0, 0, 10_000,
                "gradient steps per batch of bounds"),
            new ParamSpec("lr", ParamType.NUMBER, 0.5, 1e-6, 10,
                "Adam's initial step size on the slopes"),
            new ParamSpec("cutlr", ParamType.NUMBER, 0.05, 1e-6, 10,
                "Adam's initial step size on the hull facets' multipliers"),
            new ParamSpec("decay", ParamType.NUMBER, 0.98, 0.01, 1,
                "step sizes multiplied by this after every step"),
            hullK, hullSets, hullShared, TIMEOUT),
        p -> new PlanStep.Relax(new KReluAlphaPass(p.get("k").intValue(),
            Math.max(p.get("ns").intValue(), p.get("k").intValue()),
            Math.min(p.get("s").intValue(), p.get("k").intValue() - 1),
            new IntermediateCuts.Options(p.get("iterations").intValue(), p.get("lr"),
                p.get("cutlr"), p.get("decay"))), timeout(p)),
        step -> {
          KReluAlphaPass pass = (KReluAlphaPass) ((PlanStep.Relax) step).pass();
          IntermediateCuts.Options o = pass.options();
          return Map.of("iterations", (double) o.iterations(), "lr", o.alphaRate(),
              "cutlr", o.gammaRate(), "decay", o.decay(), "k", (double) pass.groups().k(),
              "ns", (double) pass.groups().ns(), "s", (double) pass.groups().s());
        }));
    register(new PassSpec("attack",
        "counterexample search: random samples, then projected gradient descent on the margin"
            + " with many restarts (centre, best point, random corners and points, output"
            + " diversified), each case targeted in turn",
        List.of(
            new ParamSpec("samples", ParamType.INTEGER, (double) THOROUGH.samples(), 0, 1e7,
                "random points per case"),
            new ParamSpec("restarts", ParamType.INTEGER, (double) THOROUGH.restarts(), 0, 1e6,
                "PGD runs per case"),
            new ParamSpec("steps", ParamType.INTEGER, (double) THOROUGH.steps(), 0, 1e6,
                "steps per PGD run"),
            new ParamSpec("seed", ParamType.INTEGER, 0.0, 0, 9.007199254740991E15,
                "random seed (same seed, same search)"),
            new ParamSpec("share", ParamType.NUMBER, 1.0, 0.001, 1,
                "most of the time left that the search may use (1: all; the passes after it"
                    + " keep the rest)"),
            TIMEOUT),
        p -> new PlanStep.Search(new CounterexampleSearch.Options(p.get("seed").longValue(),
            p.get("samples").intValue(), p.get("restarts").intValue(),
            p.get("steps").intValue(), p.get("share")), timeout(p)),
        step -> {
          CounterexampleSearch.Options o = ((PlanStep.Search) step).options();
          return Map.of("samples", (double) o.samples(), "restarts", (double) o.restarts(),
              "steps", (double) o.steps(), "seed", (double) o.seed(), "share", o.share());
        }));
    register(new PassSpec("bab",
        "branch and bound on the input: split the region until deeppoly proves every part or a"
            + " part's centre is a counterexample (for networks with few inputs)",
        List.of(
            new ParamSpec("depth", ParamType.INTEGER, (double) BAB.maxDepth(), 1, 1000,
                "most splits of one part"),
            new ParamSpec("boxes", ParamType.INTEGER, (double) BAB.maxBoxes(), 1, 1e9,
                "most parts in all"),
            new ParamSpec("steps", ParamType.INTEGER, (double) BAB.attackSteps(), 0, 1e4,
                "PGD steps at each unproven part (0: its centre only)"),
            new ParamSpec("seed", ParamType.INTEGER, 0.0, 0, 9.007199254740991E15, "random seed"),
            new ParamSpec("refine", ParamType.INTEGER, (double) BAB.refineEvery(), 1, 1000,
                "refine the intermediate bounds at every n-th depth (1: every part; the parts"
                    + " between keep their parent's)"),
            new ParamSpec("alpha", ParamType.INTEGER, (double) BAB.alphaSteps(), 0, 1000,
                "alpha-CROWN slope steps on a part deeppoly leaves open (0: deeppoly only)"),
            new ParamSpec("unstable", ParamType.INTEGER, (double) BAB.alphaUnstable(), 0, 1e6,
                "alpha-CROWN only on parts with at most this many unstable ReLUs"),
            TIMEOUT),
        p -> new PlanStep.Branch(new BranchAndBound.Options(p.get("depth").intValue(),
            p.get("boxes").longValue(), p.get("steps").intValue(), p.get("seed").longValue(),
            p.get("refine").intValue(), p.get("alpha").intValue(),
            p.get("unstable").intValue()), timeout(p)),
        step -> {
          BranchAndBound.Options o = ((PlanStep.Branch) step).options();
          return Map.of("depth", (double) o.maxDepth(), "boxes", (double) o.maxBoxes(),
              "steps", (double) o.attackSteps(), "seed", (double) o.seed(),
              "refine", (double) o.refineEvery(), "alpha", (double) o.alphaSteps(),
              "unstable", (double) o.alphaUnstable());
        }));
    register(new PassSpec("relubab",
        "branch and bound on ReLUs: split unstable neurons (BaBSR score), the worst-bounded"
            + " part first, until the bounds (deeppoly, beta-CROWN) prove every part or an attack"
            + " in an open part finds a counterexample (for networks with many inputs)",
        List.of(
            new ParamSpec("open", ParamType.INTEGER, (double) RELU_BAB.maxOpen(), 1, 1e6,
                "most open parts at once (memory cap): from half of it on, the parts nearest to"
                    + " closing are split first; reaching it ends the pass as unknown"),
            new ParamSpec("domains", ParamType.INTEGER, (double) RELU_BAB.maxDomains(), 1, 1e9,
                "most parts bounded per case"),
            new ParamSpec("steps", ParamType.INTEGER, (double) RELU_BAB.attackSteps(), 0, 1e4,
                "gradient steps from each open part's relaxation minimiser (0: the point only)"),
            new ParamSpec("jobs", ParamType.INTEGER, (double) RELU_BAB.parallelism(), 0, 256,
                "threads bounding parts (0: all cores; 1: deterministic)"),
            new ParamSpec("beta", ParamType.INTEGER, (double) RELU_BAB.betaIterations(), 0, 1000,
                "beta-CROWN steps per part (split multipliers and slopes; 0: deeppoly only)"),
            new ParamSpec("fsb", ParamType.INTEGER, (double) RELU_BAB.fsbCandidates(), 0, 1000,
                "filtered smart branching over this many BaBSR candidates (0: BaBSR alone)"),
            new ParamSpec("cuts", ParamType.INTEGER, RELU_BAB.cutGroup() > 0 ? 1.0 : 0.0, 0, 1,
                "MN-BaB's multi-neuron constraints in every part: k-ReLU hulls of groups of 3"
                    + " (1) or none (0)"),
            TIMEOUT),
        p -> new PlanStep.ReluBranch(new ReluSplitSearch.Options(p.get("open").intValue(),
            p.get("domains").longValue(), p.get("steps").intValue(), p.get("jobs").intValue(),
            p.get("beta").intValue(), p.get("fsb").intValue(),
            p.get("cuts").intValue() == 1 ? CUT_GROUP : 0), timeout(p)),
        step -> {
          ReluSplitSearch.Options o = ((PlanStep.ReluBranch) step).options();
          return Map.of("open", (double) o.maxOpen(), "domains", (double) o.maxDomains(),
              "steps", (double) o.attackSteps(), "jobs", (double) o.parallelism(),
              "beta", (double) o.betaIterations(), "fsb", (double) o.fsbCandidates(),
              "cuts", o.cutGroup() > 0 ? 1.0 : 0.0);
        }));
  }

  /**
   * Networks with at most this many inputs get {@code bab} in their default plan, the others
   * {@code relubab} (the rule is the engine's {@link DefaultPlan}).
   */
  public static final int BAB_DEFAULT_MAX_INPUTS = DefaultPlan.BAB_MAX_INPUTS;

  private PassRegistry() {}

  private static void register(PassSpec spec) {
    PASSES.put(spec.name(), spec);
  }

  private static Duration timeout(Map<String, Double> params) {
    Double t = params.get("timeout");
    return t == null ? null : Duration.ofNanos((long) (t * 1e9));
  }

  public static PassSpec get(String name) {
    return PASSES.get(name);
  }

  public static List<PassSpec> all() {
    return new ArrayList<>(PASSES.values());
  }

  public static List<String> names() {
    return new ArrayList<>(PASSES.keySet());
  }

  /** The parameters of {@code name} with every default filled in and {@code given} on top. */
  public static Map<String, Double> withDefaults(PassSpec spec, Map<String, Double> given) {
    Map<String, Double> all = new LinkedHashMap<>();
    for (ParamSpec p : spec.params()) {
      if (given.containsKey(p.name())) {
        all.put(p.name(), given.get(p.name()));
      } else if (p.defaultValue() != null) {
        all.put(p.name(), p.defaultValue());
      }
    }
    return all;
  }
}
