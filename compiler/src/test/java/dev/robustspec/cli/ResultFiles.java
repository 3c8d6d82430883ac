package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the VNN-COMP result file's {@code sat} block, for the tests. */
final class ResultFiles {
  private ResultFiles() {}

  record Sat(double[] x, double[] y) {}

  private static final Pattern ENTRY = Pattern.compile("\\(([XY])_(\\d+) ([^()\\s]+)\\)");

  /**
   * Parses {@code sat\n((X_0 v)\n (X_1 v) ... (Y_0 v) ...)\n}: all inputs in order, then all
   * outputs in order, each value a Java-parsable number, nothing else.
   */
  static Sat parseSat(String text, int inputs, int outputs) {
    assertTrue(text.startsWith("sat\n"), "first line is not 'sat': " + first(text));
    String body = text.substring(4).strip();
    assertTrue(body.startsWith("(") && body.endsWith(")"), "block not parenthesised");
    body = body.substring(1, body.length() - 1);
    double[] x = new double[inputs];
    double[] y = new double[outputs];
    Matcher m = ENTRY.matcher(body);
    int at = 0;
    int seen = 0;
    while (m.find()) {
      assertTrue(body.substring(at, m.start()).isBlank(),
          "unexpected text in the sat block: " + body.substring(at, m.start()));
      at = m.end();
      int idx = Integer.parseInt(m.group(2));
      double v = Double.parseDouble(m.group(3));
      boolean isX = m.group(1).equals("X");
      int expectedIdx = isX ? seen : seen - inputs;
      assertEquals(seen < inputs ? "X" : "Y", m.group(1), "entry " + seen + " has the wrong kind");
      assertEquals(expectedIdx, idx, "entry " + seen + " out of order");
      (isX ? x : y)[idx] = v;
      seen++;
    }
    assertTrue(body.substring(at).isBlank(), "trailing text in the sat block");
    assertEquals(inputs + outputs, seen, "number of entries in the sat block");
    return new Sat(x, y);
  }

  static String first(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
