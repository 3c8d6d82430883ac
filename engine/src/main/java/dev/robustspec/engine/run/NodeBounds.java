package dev.robustspec.engine.run;

import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.relax.BoundState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bounds of one shown value ({@link NodeView}: a graph node's output) in a bound state, and
 * their summaries, whole and per channel: what {@code robustspec bounds}, the hovers and the
 * language server's bounds view print. Stability is counted where it means something: for an
 * element-wise activation on its input (the pre-activation), for any other value on itself
 * (the pre-activation of whatever follows).
 */
public record NodeBounds(NodeView view, double[] lower, double[] upper, double[] countLower,
    double[] countUpper) {

  /**
   * The lowest lower and highest upper bound, the mean width, and how many neurons are stably
   * active ({@code lower >= 0}), stably inactive ({@code upper <= 0}) or unstable.
   */
  public record Summary(int neurons, double min, double max, double meanWidth, int active,
      int dead, int unstable) {}

  /** The view's neurons in {@code state}: the first {@code view.size()} of its bound index. */
  public static NodeBounds of(NodeView view, BoundState state) {
    int n = view.size();
    int b = view.boundIndex();
    double[] lo = Arrays.copyOf(state.lower(b), n);
    double[] hi = Arrays.copyOf(state.upper(b), n);
    boolean onInput = b > 0 && view.layer().isActivation() && view.layer().inputSize() >= n
        && state.lower(b - 1).length >= n && view.layer().relaxedInputCount() >= n;
    return onInput
        ? new NodeBounds(view, lo, hi, Arrays.copyOf(state.lower(b - 1), n),
            Arrays.copyOf(state.upper(b - 1), n))
        : new NodeBounds(view, lo, hi, lo, hi);
  }

  /** The summary of every neuron. */
  public Summary summary() {
    return summary(0, lower.length);
  }

  /** One summary per channel of a {@code (c, h, w)} value; empty without channels. */
  public List<Summary> channels() {
    List<Summary> out = new ArrayList<>();
    if (!view.hasChannels()) {
      return out;
    }
    int plane = view.channelSize();
    for (int from = 0; from < lower.length; from += plane) {
      out.add(summary(from, from + plane));
    }
    return out;
  }

  private Summary summary(int from, int to) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double width = 0;
    int active = 0;
    int dead = 0;
    for (int i = from; i < to; i++) {
      min = Math.min(min, lower[i]);
      max = Math.max(max, upper[i]);
      width += upper[i] - lower[i];
      if (countLower[i] >= 0) {
        active++;
      } else if (countUpper[i] <= 0) {
        dead++;
      }
    }
    int n = to - from;
    return new Summary(n, min, max, n == 0 ? 0 : width / n, active, dead, n - active - dead);
  }
}
