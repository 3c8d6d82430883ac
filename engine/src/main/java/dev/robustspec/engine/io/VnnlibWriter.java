package dev.robustspec.engine.io;

import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.List;

/**
 * Writes a {@link Specification} as a VNN-LIB query, version 1 (the VNN-COMP subset:
 * {@code declare-const X_i Real}) or 2 ({@code declare-network} with tensors {@code X[...]}),
 * so other verifiers get the same question. The asserts state the unsafe set: when every case has
 * the same box, the box is asserted once and the cases' constraints form one {@code or};
 * otherwise each case is an {@code and} of its box and constraints inside one {@code or}.
 * Numbers are written with {@link Double#toString}, which reads back to the same double, so the
 * readers rebuild identical unsafe cases.
 */
public final class VnnlibWriter {
  private VnnlibWriter() {}

  /**
   * The query text. {@code inputShape} shapes {@code X} in version 2 (its size must be the
   * specification's input size); {@code networkName} names the declared network.
   */
  public static String write(Specification spec, int version, String networkName,
      int[] inputShape, String comment) {
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("VNN-LIB version must be 1 or 2");
    }
    boolean v2 = version == 2;
    StringBuilder sb = new StringBuilder();
    if (v2) {
      sb.append("(vnnlib-version <2.0>)\n");
    }
    for (String line : comment.split("\n")) {
      sb.append("; ").append(line).append('\n');
    }
    int n = spec.inputSize();
    int m = spec.outputSize();
    if (v2) {
      sb.append("\n(declare-network ").append(networkName).append('\n')
          .append("    (declare-input X Real ").append(shape(inputShape)).append(")\n")
          .append("    (declare-output Y Real [").append(m).append("])\n)\n\n");
    } else {
      sb.append('\n');
      for (int i = 0; i < n; i++) {
        sb.append("(declare-const X_").append(i).append(" Real)\n");
      }
      sb.append('\n');
      for (int j = 0; j < m; j++) {
        sb.append("(declare-const Y_").append(j).append(" Real)\n");
      }
      sb.append('\n');
    }
    List<UnsafeCase> cases = spec.cases();
    if (cases.isEmpty()) {
      // nothing is unsafe: an empty input region says so in both versions
      sb.append("; the property holds trivially: no unsafe case\n");
      sb.append("(assert (<= ").append(x(0, v2, inputShape)).append(" -1.0))\n");
      sb.append("(assert (>= ").append(x(0, v2, inputShape)).append(" 1.0))\n");
      return sb.toString();
    }
    boolean sharedBox = true;
    for (UnsafeCase c : cases) {
      sharedBox &= c.region().equals(cases.get(0).region())
          && c.inputConstraints().equals(cases.get(0).inputConstraints());
    }
    if (sharedBox) {
      box(sb, cases.get(0), "", v2, inputShape);
      sb.append("\n(assert (or\n");
      for (UnsafeCase c : cases) {
        sb.append("    (and");
        for (OutputConstraint oc : c.constraints()) {
          sb.append(' ').append(row(oc.coefficients(), oc.bound(), oc.strict(), "Y", v2, null));
        }
        if (c.constraints().isEmpty()) {
          sb.append(" (<= ").append(x(0, v2, inputShape)).append(' ')
              .append(Double.toString(c.region().upper()[0])).append(')'); // true on the box
        }
        sb.append(")\n");
      }
      sb.append("))\n");
    } else {
      sb.append("(assert (or\n");
      for (UnsafeCase c : cases) {
        sb.append("    (and");
        Box b = c.region();
        for (int i = 0; i < n; i++) {
          sb.append(" (>= ").append(x(i, v2, inputShape)).append(' ')
              .append(Double.toString(b.lower()[i])).append(") (<= ")
              .append(x(i, v2, inputShape)).append(' ').append(Double.toString(b.upper()[i]))
              .append(')');
        }
        for (InputConstraint ic : c.inputConstraints()) {
          sb.append(' ').append(row(ic.coefficients(), ic.bound(), false, "X", v2, inputShape));
        }
        for (OutputConstraint oc : c.constraints()) {
          sb.append(' ').append(row(oc.coefficients(), oc.bound(), oc.strict(), "Y", v2, null));
        }
        sb.append(")\n");
      }
      sb.append("))\n");
    }
    return sb.toString();
  }

  private static void box(StringBuilder sb, UnsafeCase c, String indent, boolean v2,
      int[] shape) {
    Box b = c.region();
    for (int i = 0; i < b.dimension(); i++) {
      sb.append(indent).append("(assert (>= ").append(x(i, v2, shape)).append(' ')
          .append(Double.toString(b.lower()[i])).append("))\n");
      sb.append(indent).append("(assert (<= ").append(x(i, v2, shape)).append(' ')
          .append(Double.toString(b.upper()[i])).append("))\n");
    }
    for (InputConstraint ic : c.inputConstraints()) {
      sb.append("(assert ").append(row(ic.coefficients(), ic.bound(), false, "X", v2, shape))
          .append(")\n");
    }
  }

  /** {@code (<= (+ (* c0 V0) ...) bound)}, or {@code (< ...)} when {@code strict}. */
  private static String row(double[] coefs, double bound, boolean strict, String var, boolean v2,
      int[] shape) {
    StringBuilder sb = new StringBuilder(strict ? "(< " : "(<= ");
    int terms = 0;
    StringBuilder sum = new StringBuilder();
    for (int k = 0; k < coefs.length; k++) {
      if (coefs[k] == 0) {
        continue;
      }
      terms++;
      String name = var.equals("X") ? x(k, v2, shape) : y(k, v2);
      sum.append(terms > 1 ? " " : "").append(coefs[k] == 1 ? name
          : "(* " + Double.toString(coefs[k]) + " " + name + ")");
    }
    if (terms == 0) {
      sb.append("0.0");
    } else if (terms == 1) {
      sb.append(sum);
    } else {
      sb.append("(+ ").append(sum).append(')');
    }
    return sb.append(' ').append(Double.toString(bound)).append(')').toString();
  }

  private static String x(int flat, boolean v2, int[] shape) {
    if (!v2) {
      return "X_" + flat;
    }
    if (shape.length == 0) {
      return "X";
    }
    int[] idx = new int[shape.length];
    for (int k = shape.length - 1; k >= 0; k--) {
      idx[k] = flat % shape[k];
      flat /= shape[k];
    }
    StringBuilder sb = new StringBuilder("X[");
    for (int k = 0; k < idx.length; k++) {
      sb.append(k > 0 ? "," : "").append(idx[k]);
    }
    return sb.append(']').toString();
  }

  private static String y(int j, boolean v2) {
    return v2 ? "Y[" + j + "]" : "Y_" + j;
  }

  private static String shape(int[] s) {
    StringBuilder sb = new StringBuilder("[");
    for (int k = 0; k < s.length; k++) {
      sb.append(k > 0 ? "," : "").append(s[k]);
    }
    return sb.append(']').toString();
  }
}
