package dev.robustspec.engine.lp;

import dev.robustspec.engine.hull.ReluHull;
import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.NeuronCut;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * k-ReLU: the triangle LP plus multi-neuron constraints, which relax groups of k ReLUs jointly
 * and so get below the single-neuron convex barrier (Singh et al., "Beyond the Single Neuron
 * Convex Barrier for Neural Network Certification", NeurIPS 2019).
 *
 * <p>Per ReLU layer, the unstable neurons are cut into consecutive sets of {@code ns}; inside a
 * set, k-subsets are taken in lexicographic order, each kept when it shares at most {@code s}
 * neurons with every subset kept before (kPoly's scheme). For each group, the octahedral bounds
 * of its pre-activations (every {@code a . x}, {@code a in {-1,0,1}^k}) come from
 * back-substitution ({@link DeepPolyPass#boundRows}); the exact convex hull of the ReLU graph over
 * that polytope ({@link ReluHull}) gives constraints that join the triangle LP.
 *
 * <p>Requires: as {@link LpPass}. Returns: a rigorous lower bound of each objective; with
 * {@code tighten}, LP-tightened intermediate bounds as well. Soundness: sound (every hull
 * constraint is re-validated rigorously, LP bounds come from {@link DualBound}), incomplete.
 */
public final class KReluPass implements RelaxationPass {
  private final LpSolver solver;
  private final int k;
  private final int ns;
  private final int s;
  private final boolean tighten;
  /** Solvers of the helpers that tighten beside the calling thread (null: none). */
  private final Supplier<LpSolver> moreSolvers;
  private final Statistics statistics = new Statistics();

  /** What the last runs did: per ReLU layer (by layer index) groups and constraints, and times. */
  public static final class Statistics {
    private final Map<Integer, int[]> perLayer = new HashMap<>();
    private double hullSeconds;
    private double octahedronSeconds;
    private double totalSeconds;
    private long cutsOffered;
    private long cutsUsed;

    synchronized void add(int layer, int groups, int constraints) {
      int[] v = perLayer.computeIfAbsent(layer, x -> new int[2]);
      v[0] += groups;
      v[1] += constraints;
    }

    synchronized void time(double octahedron, double hull) {
      octahedronSeconds += octahedron;
      hullSeconds += hull;
    }

    synchronized void cuts(int offered, int used) {
      cutsOffered += offered;
      cutsUsed += used;
    }

    /** Hull constraints offered to the LPs, and how many the cutting-plane loop added. */
    public synchronized long[] cuts() {
      return new long[] {cutsOffered, cutsUsed};
    }

    synchronized void total(double seconds) {
      totalSeconds += seconds;
    }

    /** Layer index to {groups, constraints}, summed over runs. */
    public synchronized Map<Integer, int[]> perLayer() {
      Map<Integer, int[]> copy = new HashMap<>();
      perLayer.forEach((l, v) -> copy.put(l, v.clone()));
      return copy;
    }

    public synchronized double hullSeconds() {
      return hullSeconds;
    }

    public synchronized double octahedronSeconds() {
      return octahedronSeconds;
    }

    public synchronized double totalSeconds() {
      return totalSeconds;
    }
  }

  /** One solver, {@code solver}: the intermediate bounds are tightened on one thread. */
  public KReluPass(LpSolver solver, int k, int ns, int s, boolean tighten) {
    this(solver, null, k, ns, s, tighten);
  }

  /**
   * Solvers from {@code solvers}: the intermediate bounds are tightened by one worker per core,
   * each with its own solver.
   */
  public KReluPass(Supplier<LpSolver> solvers, int k, int ns, int s, boolean tighten) {
    this(solvers.get(), solvers, k, ns, s, tighten);
  }

  private KReluPass(LpSolver solver, Supplier<LpSolver> moreSolvers, int k, int ns, int s,
      boolean tighten) {
    this.moreSolvers = moreSolvers;
    if (k < 2 || k > 4) {
      throw new IllegalArgumentException("k must be 2, 3 or 4, got " + k);
    }
    if (ns < k) {
      throw new IllegalArgumentException("ns must be at least k");
    }
    if (s < 0 || s >= k) {
      throw new IllegalArgumentException("s must be in 0.." + (k - 1));
    }
    this.solver = solver;
    this.k = k;
    this.ns = ns;
    this.s = s;
    this.tighten = tighten;
  }

  @Override
  public String name() {
    return "krelu";
  }

  public Statistics statistics() {
    return statistics;
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    long t0 = System.nanoTime();
    try {
      IntervalPass.propagate(state, 0, budget);
      Map<Integer, LayerHulls> cache = new ConcurrentHashMap<>(); // read by tightening helpers
      LpBounds.ExtraRows extra = (lp, st, b) -> pool(lp, st, cache, b);
      if (tighten) {
        LpBounds.tighten(state, solver, moreSolvers, extra, budget);
      }
      NetworkLp lp = new NetworkLp(state, state.size() - 1);
      CutPool pool = extra.poolFor(lp, state, budget);
      double[] bounds = LpBounds.objectives(lp, state, objectives, solver, pool, budget);
      statistics.cuts(pool.size(), pool.used());
      return bounds;
    } finally {
      statistics.total((System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * The hull constraints of kPoly's groups in every ReLU layer, over the bounds in
   * {@code state} (put {@code deeppoly} or {@code alpha} first), as cuts valid on the state's
   * region and every part of it: MN-BaB's multi-neuron constraints for {@code relubab}.
   */
  public List<NeuronCut> cuts(BoundState state, Budget budget) {
    List<NeuronCut> out = new ArrayList<>();
    List<Layer> layers = state.network().layers();
    for (int layer = 0; layer < layers.size(); layer++) {
      if (layers.get(layer).isRelu()) {
        out.addAll(cuts(state, layer, budget));
      }
    }
    return out;
  }

  /** As above, for the one ReLU layer {@code layer} (its input at bound index {@code layer}). */
  public List<NeuronCut> cuts(BoundState state, int layer, Budget budget) {
    List<NeuronCut> out = new ArrayList<>();
    LayerHulls h = layerHulls(state, layer, budget);
    for (int g = 0; g < h.groups().size(); g++) {
      for (ReluHull.Constraint c : h.hulls().get(g)) {
        out.add(new NeuronCut(layer, h.groups().get(g).clone(), c.alpha().clone(),
            c.beta().clone(), c.gamma()));
      }
    }
    return out;
  }

  /** One ReLU layer's groups and each group's hull constraints (same order). */
  private record LayerHulls(List<int[]> groups, List<ReluHull.Constraint[]> hulls) {}

  /** kPoly's groups of the ReLU layer whose input is at bound index {@code layer}, and hulls. */
  private LayerHulls layerHulls(BoundState state, int layer, Budget budget) {
    int relaxed = state.network().layers().get(layer).relaxedInputCount(); // not carried values
    List<int[]> groups = groups(java.util.Arrays.copyOf(state.lower(layer), relaxed),
        java.util.Arrays.copyOf(state.upper(layer), relaxed), k, ns, s);
    return new LayerHulls(groups, hulls(state, layer, groups, budget, k));
  }

  /** The hull constraints of every ReLU layer the encoding covers (computed once each) as cuts. */
  private CutPool pool(NetworkLp lp, BoundState state, Map<Integer, LayerHulls> cache,
      Budget budget) {
    CutPool pool = new CutPool();
    List<Layer> layers = state.network().layers();
    for (int layer = 0; layer < lp.depth(); layer++) {
      if (!layers.get(layer).isRelu()) {
        continue;
      }
      LayerHulls h = cache.get(layer);
      if (h == null) {
        h = layerHulls(state, layer, budget);
        cache.put(layer, h);
      }
      addRows(lp, layer, h.groups(), h.hulls(), k, pool);
    }
    return pool;
  }

  /**
   * Puts each group's hull constraints, as rows over {@code lp}'s variables, into {@code pool},
   * or straight into the program when the pool is null; returns how many.
   */
  private static int addRows(NetworkLp lp, int layer, List<int[]> groups,
      List<ReluHull.Constraint[]> hulls, int k, CutPool pool) {
    int added = 0;
    for (int g = 0; g < groups.size(); g++) {
      int[] group = groups.get(g);
      for (ReluHull.Constraint c : hulls.get(g)) {
        int[] idx = new int[2 * k];
        double[] coef = new double[2 * k];
        boolean encoded = true;
        for (int i = 0; i < k; i++) {
          idx[i] = lp.variable(layer, group[i]);
          idx[k + i] = lp.variable(layer + 1, group[i]);
          coef[i] = c.alpha()[i];
          coef[k + i] = c.beta()[i];
          encoded &= idx[i] >= 0 && idx[k + i] >= 0;
        }
        if (encoded && pool != null) {
          pool.add(idx, coef, c.gamma());
          added++;
        } else if (encoded) {
          lp.program().addRow(idx, coef, Double.NEGATIVE_INFINITY, c.gamma());
          added++;
        }
      }
    }
    return added;
  }

  /**
   * Adds to {@code lp} the hull constraints of one chosen group of neurons of the ReLU layer
   * whose input is at bound index {@code layer} (e.g. the pair a plot shows); returns how many.
   */
  public int addGroup(NetworkLp lp, BoundState state, int layer, int[] group, Budget budget) {
    List<int[]> groups = List.of(group.clone());
    List<ReluHull.Constraint[]> hulls = hulls(state, layer, groups, budget, group.length);
    return addRows(lp, layer, groups, hulls, group.length, null);
  }

  /** Most octahedral rows bounded by one back-substitution in {@link #hulls}. */
  static final int OCTAHEDRAL_CHUNK = 1024;

  /**
   * DeepPoly's lower bound of each row over the values at {@code index}, at most {@code chunk}
   * rows per back-substitution, so that the budget is checked between them: every group's rows
   * of a layer at once are thousands (26 per group of 3, 80 per group of 4), and one layer step
   * of them runs unchecked.
   */
  static double[] boundRows(BoundState state, int index, double[][] rows, int chunk,
      Budget budget) {
    double[] bounds = new double[rows.length];
    for (int from = 0; from < rows.length; from += chunk) {
      int to = Math.min(rows.length, from + chunk);
      double[] part = DeepPolyPass.boundRows(state, index, Arrays.copyOfRange(rows, from, to),
          budget);
      System.arraycopy(part, 0, bounds, from, to - from);
    }
    return bounds;
  }

  /** The hull constraints of each group at ReLU layer {@code layer} (pre-activation index). */
  private List<ReluHull.Constraint[]> hulls(BoundState state, int layer, List<int[]> groups,
      Budget budget, int k) {
    long t0 = System.nanoTime();
    double[][] dirs = ReluHull.octahedralDirections(k);
    int n = state.lower(layer).length;
    double[][] rows = new double[2 * dirs.length * groups.size()][];
    int r = 0;
    for (int[] group : groups) {
      for (double[] a : dirs) {
        double[] plus = new double[n];
        double[] minus = new double[n];
        for (int i = 0; i < k; i++) {
          plus[group[i]] = a[i];
          minus[group[i]] = -a[i];
        }
        rows[r++] = plus;
        rows[r++] = minus;
      }
    }
    double[] bounds = boundRows(state, layer, rows, OCTAHEDRAL_CHUNK, budget);
    long t1 = System.nanoTime();
    List<ReluHull.Constraint[]> out = new ArrayList<>();
    int constraints = 0;
    r = 0;
    for (int g = 0; g < groups.size(); g++) {
      budget.check();
      double[] lower = new double[dirs.length];
      double[] upper = new double[dirs.length];
      for (int d = 0; d < dirs.length; d++) {
        lower[d] = bounds[r++];
        upper[d] = -bounds[r++];
      }
      ReluHull.Result hull = ReluHull.compute(dirs, lower, upper);
      out.add(hull.constraints().toArray(new ReluHull.Constraint[0]));
      constraints += hull.constraints().size();
    }
    statistics.add(layer, groups.size(), constraints);
    statistics.time((t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    return out;
  }

  /**
   * kPoly's groups: the unstable neurons in consecutive sets of ns; in each set, the k-subsets
   * in lexicographic order that overlap every earlier kept subset in at most s neurons.
   */
  static List<int[]> groups(double[] lower, double[] upper, int k, int ns, int s) {
    List<Integer> unstable = new ArrayList<>();
    for (int i = 0; i < lower.length; i++) {
      if (lower[i] < 0 && upper[i] > 0) {
        unstable.add(i);
      }
    }
    List<int[]> out = new ArrayList<>();
    for (int start = 0; start < unstable.size(); start += ns) {
      int size = Math.min(ns, unstable.size() - start);
      if (size < k) {
        continue;
      }
      List<int[]> kept = new ArrayList<>();
      int[] c = new int[k];
      for (int i = 0; i < k; i++) {
        c[i] = i;
      }
      while (true) {
        boolean ok = true;
        for (int[] other : kept) {
          if (overlap(c, other) > s) {
            ok = false;
            break;
          }
        }
        if (ok) {
          kept.add(c.clone());
        }
        int i = k - 1;
        while (i >= 0 && c[i] == size - k + i) {
          i--;
        }
        if (i < 0) {
          break;
        }
        c[i]++;
        for (int j = i + 1; j < k; j++) {
          c[j] = c[j - 1] + 1;
        }
      }
      for (int[] local : kept) {
        int[] g = new int[k];
        for (int i = 0; i < k; i++) {
          g[i] = unstable.get(start + local[i]);
        }
        out.add(g);
      }
    }
    return out;
  }

  private static int overlap(int[] a, int[] b) {
    int n = 0;
    for (int x : a) {
      for (int y : b) {
        if (x == y) {
          n++;
        }
      }
    }
    return n;
  }
}
