package dev.robustspec.engine.spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Local robustness of a classifier around one data item: every input in the L-infinity ball of
 * radius {@code eps} around the item, clipped to {@code [clipLow, clipHigh]}, is classified as
 * the item's label (argmax of the outputs, a tie counting as a misclassification).
 *
 * <p>The ball and the clip range live in the <em>scaled</em> space (stored value times
 * {@code scale}, e.g. pixels / 255); the network reads the scaled value normalised per channel,
 * {@code (v - mean[c]) / std[c]}, with the channel the last axis ({@code c = i % mean.length}:
 * interleaved R, G, B as in the CIFAR-10 CSV). The region handed to the engine is that box
 * normalised with outward rounding, so it contains the real ball and a certificate covers it;
 * {@link #contains} decides exactly whether a point of the network's input space lies in the
 * real ball, so a counterexample can be held to it.
 */
public record LocalRobustness(BigDecimal scaleNumerator, BigDecimal scaleDenominator,
    BigDecimal[] mean, BigDecimal[] std, BigDecimal clipLow, BigDecimal clipHigh) {

  private static final MathContext FLOOR = new MathContext(40, RoundingMode.FLOOR);
  private static final MathContext CEILING = new MathContext(40, RoundingMode.CEILING);

  public LocalRobustness {
    mean = mean.clone();
    std = std.clone();
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("give as many means as standard deviations (" + mean.length
          + " and " + std.length + ")");
    }
    for (BigDecimal s : std) {
      if (s.signum() <= 0) {
        throw new IllegalArgumentException("standard deviations must be positive, got " + s);
      }
    }
    if (scaleNumerator.signum() <= 0 || scaleDenominator.signum() <= 0) {
      throw new IllegalArgumentException("the scale must be positive");
    }
    if (clipLow.compareTo(clipHigh) > 0) {
      throw new IllegalArgumentException("the clip range " + clipLow + "," + clipHigh
          + " is empty");
    }
  }

  /** The network's input for the stored values: scaled and normalised, to the nearest double. */
  public double[] center(double[] raw) {
    double[] x = new double[raw.length];
    MathContext near = MathContext.DECIMAL128;
    for (int i = 0; i < raw.length; i++) {
      BigDecimal v = scaled(raw[i], near).subtract(mean[i % mean.length]);
      x[i] = v.divide(std[i % std.length], near).doubleValue();
    }
    return x;
  }

  /**
   * The region of the ball of radius {@code eps} (scaled space) in the network's input space:
   * {@code outward} rounds so that the box contains the real ball (for certificates), otherwise
   * inward, so that the box lies inside it (where a counterexample may be moved). An empty box
   * (lower > upper somewhere) means the item's value lies outside the clip range.
   */
  public Box ball(double[] raw, BigDecimal eps, boolean outward) {
    MathContext down = outward ? FLOOR : CEILING;
    MathContext up = outward ? CEILING : FLOOR;
    double[] lo = new double[raw.length];
    double[] hi = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      BigDecimal l = scaled(raw[i], down).subtract(eps).max(clipLow);
      BigDecimal h = scaled(raw[i], up).add(eps).min(clipHigh);
      lo[i] = directed(l.subtract(mean[i % mean.length]).divide(std[i % std.length], down),
          down.getRoundingMode());
      hi[i] = directed(h.subtract(mean[i % mean.length]).divide(std[i % std.length], up),
          up.getRoundingMode());
    }
    return new Box(lo, hi);
  }

  /**
   * True when {@code x} (network input space) lies, in exact arithmetic, within {@code eps} of
   * the item in the scaled space and inside the clip range.
   */
  public boolean contains(double[] raw, BigDecimal eps, double[] x) {
    for (int i = 0; i < raw.length; i++) {
      // v = x * std + mean exactly; compare v * den with raw * num, eps * den
      BigDecimal v = new BigDecimal(x[i]).multiply(std[i % std.length])
          .add(mean[i % mean.length]);
      if (v.compareTo(clipLow) < 0 || v.compareTo(clipHigh) > 0) {
        return false;
      }
      BigDecimal gap = v.multiply(scaleDenominator)
          .subtract(new BigDecimal(raw[i]).multiply(scaleNumerator)).abs();
      if (gap.compareTo(eps.multiply(scaleDenominator)) > 0) {
        return false;
      }
    }
    return true;
  }

  /** The L-infinity distance of {@code x} from the item, in the scaled space, rounded up. */
  public double distance(double[] raw, double[] x) {
    BigDecimal worst = BigDecimal.ZERO;
    for (int i = 0; i < raw.length; i++) {
      BigDecimal v = new BigDecimal(x[i]).multiply(std[i % std.length])
          .add(mean[i % mean.length]);
      BigDecimal gap = v.multiply(scaleDenominator)
          .subtract(new BigDecimal(raw[i]).multiply(scaleNumerator)).abs();
      worst = worst.max(gap);
    }
    return directed(worst.divide(scaleDenominator, CEILING), RoundingMode.CEILING);
  }

  /**
   * The negated property for {@code label} among {@code outputs} classes over {@code region}:
   * one unsafe case per other class {@code j}, {@code y[label] - y[j] <= 0}.
   */
  public static Specification specification(Box region, int label, int outputs) {
    if (label < 0 || label >= outputs) {
      throw new IllegalArgumentException("label " + label + " is not a class of a network with "
          + outputs + " outputs (0.." + (outputs - 1) + ")");
    }
    List<UnsafeCase> cases = new ArrayList<>();
    for (int j = 0; j < outputs; j++) {
      if (j != label) {
        double[] c = new double[outputs];
        c[label] = 1;
        c[j] = -1;
        cases.add(new UnsafeCase(region, List.of(new OutputConstraint(c, 0))));
      }
    }
    return new Specification(region.dimension(), outputs, cases);
  }

  private BigDecimal scaled(double raw, MathContext mc) {
    return new BigDecimal(raw).multiply(scaleNumerator).divide(scaleDenominator, mc);
  }

  /** The double next to {@code v} in the direction {@code mode} (FLOOR or CEILING). */
  static double directed(BigDecimal v, RoundingMode mode) {
    double d = v.doubleValue();
    int c = new BigDecimal(d).compareTo(v);
    if (mode == RoundingMode.FLOOR && c > 0) {
      return Math.nextDown(d);
    }
    if (mode == RoundingMode.CEILING && c < 0) {
      return Math.nextUp(d);
    }
    return d;
  }
}
