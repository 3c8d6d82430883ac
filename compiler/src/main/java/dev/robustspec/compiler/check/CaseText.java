package dev.robustspec.compiler.check;

import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.List;

/**
 * Unsafe cases written in the file's terms: the engine's {@code -y0 < -3.0} over network
 * {@code tiny} and variable {@code x} reads {@code tiny(x)[0] > 3}, and {@code y0 - y1 <= 0.0}
 * reads {@code classifier(x)[0] <= classifier(x)[1]}. Display only: the constraints themselves
 * (what the engine verifies) are untouched.
 */
public final class CaseText {
  private CaseText() {}

  /** {@code prefix + j + suffix} for every output index j: "tiny(x)[0]", "Y_0". */
  public static List<String> names(String prefix, String suffix, int outputs) {
    List<String> names = new ArrayList<>(outputs);
    for (int j = 0; j < outputs; j++) {
      names.add(prefix + j + suffix);
    }
    return names;
  }

  /** The case's constraints joined by "and" (an empty case holds everywhere: "true"). */
  public static String of(UnsafeCase unsafe, List<String> names) {
    List<String> parts = new ArrayList<>();
    for (OutputConstraint c : unsafe.constraints()) {
      parts.add(of(c, names));
    }
    return parts.isEmpty() ? "true" : String.join(" and ", parts);
  }

  /**
   * One constraint {@code c . y <= b} (or {@code <}): negated to {@code >=} when every
   * coefficient is negative, as {@code a <= b} when it compares two outputs.
   */
  public static String of(OutputConstraint c, List<String> names) {
    double[] k = c.coefficients();
    double bound = c.bound();
    List<Integer> terms = new ArrayList<>();
    boolean allNegative = true;
    for (int j = 0; j < k.length; j++) {
      if (k[j] != 0) {
        terms.add(j);
        allNegative &= k[j] < 0;
      }
    }
    String op = c.strict() ? "<" : "<=";
    if (terms.size() == 2 && bound == 0 && k[terms.get(0)] == -k[terms.get(1)]
        && Math.abs(k[terms.get(0)]) == 1) {
      int small = k[terms.get(0)] > 0 ? terms.get(0) : terms.get(1);
      int large = small == terms.get(0) ? terms.get(1) : terms.get(0);
      return names.get(small) + " " + op + " " + names.get(large);
    }
    double sign = 1;
    if (allNegative && !terms.isEmpty()) {
      sign = -1;
      op = c.strict() ? ">" : ">=";
    }
    StringBuilder sb = new StringBuilder();
    for (int j : terms) {
      double v = sign * k[j];
      if (sb.length() > 0) {
        sb.append(v < 0 ? " - " : " + ");
      } else if (v < 0) {
        sb.append('-');
      }
      if (Math.abs(v) != 1) {
        sb.append(CheckContext.format(Math.abs(v))).append('*');
      }
      sb.append(names.get(j));
    }
    if (sb.length() == 0) {
      sb.append('0');
    }
    return sb.append(' ').append(op).append(' ').append(CheckContext.format(sign * bound + 0.0))
        .toString();
  }
}
