package dev.robustspec.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Parses certify's numeric options: fractions, lists, ranges; every problem is a clear error. */
final class CertifyArguments {
  private CertifyArguments() {}

  /** {@code 1/255} or {@code 0.00392}: numerator and denominator, both positive. */
  static BigDecimal[] fraction(String option, String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    BigDecimal num = number(option, slash < 0 ? t : t.substring(0, slash));
    BigDecimal den = slash < 0 ? BigDecimal.ONE : number(option, t.substring(slash + 1));
    if (num.signum() <= 0 || den.signum() <= 0) {
      throw new IllegalArgumentException(option + " must be positive, got '" + text + "'");
    }
    return new BigDecimal[] {num, den};
  }

  /** A comma-separated list of decimal numbers, each kept exactly as written. */
  static List<BigDecimal> numbers(String option, String text) {
    List<BigDecimal> values = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      values.add(number(option, part));
    }
    return values;
  }

  /** The epsilons as written (for the CSV) beside their exact values; each must be >= 0. */
  static List<String> epsilons(String text) {
    List<String> written = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      BigDecimal e = number("--eps", part);
      if (e.signum() < 0) {
        throw new IllegalArgumentException("--eps values must be >= 0, got " + part.strip());
      }
      written.add(part.strip());
    }
    return written;
  }

  static BigDecimal number(String option, String text) {
    String t = text.strip();
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + t + "' is not a decimal number"
          + (t.contains("/") ? " (only --scale takes a fraction)" : ""));
    }
  }

  /** {@code H,W} or {@code H,W,C}. */
  static int[] shape(String text) {
    String[] parts = text.split(",", -1);
    int[] s = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        s[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        s[i] = -1;
      }
      if (s[i] <= 0) {
        throw new IllegalArgumentException("--shape takes positive whole numbers such as 28,28"
            + " or 32,32,3, got '" + text + "'");
      }
    }
    return s;
  }
}
