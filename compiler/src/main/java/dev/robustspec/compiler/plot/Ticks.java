package dev.robustspec.compiler.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Axis ticks: "nice" linear steps (1, 2 or 5 times a power of ten) and log-scale decades. */
final class Ticks {
  private Ticks() {}

  /** The tick step for about {@code target} ticks over [lo, hi]. */
  static double step(double lo, double hi, int target) {
    double raw = (hi - lo) / target;
    double decade = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / decade;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * decade;
  }

  /** Multiples of {@code step} within [lo, hi]; values within rounding of 0 are exactly 0. */
  static List<Double> linear(double lo, double hi, double step) {
    List<Double> ticks = new ArrayList<>();
    if (!(step > 0) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      return ticks;
    }
    long first = (long) Math.ceil(lo / step - 1e-9);
    // at most 50 ticks, whatever the rounding of an extreme range
    for (long m = first; m * step <= hi + step * 1e-9 && m < first + 50; m++) {
      ticks.add(m == 0 ? 0.0 : m * step);
    }
    return ticks;
  }

  /** A tick label with as many decimals as the step needs: 0.25, 1.5, 100, 2e-05. */
  static String label(double v, double step) {
    if (v == 0) {
      return "0";
    }
    int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    if (decimals > 5 || Math.abs(v) >= 1e6) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** {@code 10} with the exponent in Unicode superscript digits: 10⁻³. */
  static String decade(int exponent) {
    String digits = Integer.toString(exponent);
    StringBuilder sb = new StringBuilder("10");
    for (char c : digits.toCharArray()) {
      sb.append(c == '-' ? '\u207B' : "\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079"
          .charAt(c - '0'));
    }
    return sb.toString();
  }
}
