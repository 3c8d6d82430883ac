package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The radius-search property form ({@code largest eps in (a, b] tolerance t}, issue 16), held
 * to independent truth on a tiny network evaluated here by hand: the certified radius is
 * certified when verified again as an ordinary property and no point of a dense grid over its
 * ball is misclassified; the falsifying point lies within the falsified radius and is
 * misclassified by the hand evaluation; the bracket holds the radius found by brute force
 * (grid bisection on the exact decision boundary), is monotone and respects the tolerance.
 */
class RadiusPropertyTest {
  @TempDir Path tmp;

  /** y0 - y1 = relu(x0) + relu(x0 - x1) - relu(x1) ... see {@link #outputs}. */
  private static final String NET = """
      network tiny {
        input x[2]
        dense [[1, 0], [1, -1], [0, 1]] + [0, 0, -0.2]
        relu
        dense [[1, 1, 0], [0, 0, 2]] + [0, 0.1]
      }
      """;

  /** The network by hand: h = relu(W1 x + b1), y = W2 h + b2. */
  static double[] outputs(double x0, double x1) {
    double h0 = Math.max(0, x0);
    double h1 = Math.max(0, x0 - x1);
    double h2 = Math.max(0, x1 - 0.2);
    return new double[] {h0 + h1, 2 * h2 + 0.1};
  }

  /** Class 0 wins strictly (a tie counts as misclassified, as argmax == 0 is false then). */
  static boolean robust(double x0, double x1) {
    double[] y = outputs(x0, x1);
    return y[0] > y[1];
  }

  /** Any misclassified point on a grid over the clipped ball of radius r. */
  static boolean gridFindsViolation(double c0, double c1, double r, int n) {
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        double x0 = Math.max(0, Math.min(1, c0 - r + 2 * r * i / n));
        double x1 = Math.max(0, Math.min(1, c1 - r + 2 * r * j / n));
        if (!robust(x0, x1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The true radius by brute force: bisection on "the grid over the ball finds a violation". */
  static double bruteRadius(double c0, double c1) {
    double lo = 0;
    double hi = 1;
    for (int k = 0; k < 30; k++) {
      double mid = (lo + hi) / 2;
      if (gridFindsViolation(c0, c1, mid, 400)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private JsonObject verifyJson(String body, String... extra) throws Exception {
    Path f = tmp.resolve("r" + System.nanoTime() + ".rspec");
    Files.writeString(f, NET + body);
    String[] args = new String[3 + extra.length];
    args[0] = "verify";
    args[1] = f.toString();
    args[2] = "--json";
    System.arraycopy(extra, 0, args, 3, extra.length);
    CliRun r = CliRun.of(args);
    assertFalse(r.errShowsStackTrace(), r.err());
    assertTrue(r.exit() == 0 || r.exit() == 3 || r.exit() == 1, r.exit() + "\n" + r.out()
        + r.err());
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  private static String center(double c0, double c1) {
    return String.format(Locale.ROOT, "[%s, %s]", c0, c1);
  }

  @Test
  void bracketHoldsTheBruteForceRadiusAndBothEndsAreTrue() throws Exception {
    double[][] centres = {{0.6, 0.3}, {0.5, 0.45}, {0.8, 0.2}, {0.3, 0.35}};
    double tol = 0.001;
    for (double[] c : centres) {
      JsonObject j = verifyJson("property r: largest eps in (0, 0.5] tolerance " + tol
          + ": forall x in linf(center = " + center(c[0], c[1]) + ", eps = eps) clip [0, 1]:"
          + " argmax(tiny(x)) == 0\n");
      JsonArray props = j.getAsJsonArray("properties");
      assertEquals(1, props.size(), j.toString());
      JsonObject p = props.get(0).getAsJsonObject();
      double truth = bruteRadius(c[0], c[1]);
      String where = "centre " + c[0] + "," + c[1] + " truth " + truth + ": " + p;
      Double cert = p.get("radius_certified").isJsonNull() ? null
          : p.get("radius_certified").getAsDouble();
      Double fal = p.get("radius_falsified").isJsonNull() ? null
          : p.get("radius_falsified").getAsDouble();
      assertTrue(p.get("within_tolerance").getAsBoolean(), where);
      if (!robust(c[0], c[1])) {
        // misclassified at the centre: falsified at radius 0, nothing certified
        assertEquals(0.0, fal, where);
        assertEquals(null, cert, where);
        continue;
      }
      assertNotNull(cert, where);
      assertNotNull(fal, where);
      // the bracket holds the truth (the grid's radius is an upper bound up to its spacing)
      assertTrue(cert <= truth + 1e-9, where);
      assertTrue(fal >= cert, where);
      assertTrue(fal - cert <= tol, "tolerance respected: " + where);
      // certified end: no grid point of its ball is misclassified, and verify certifies it
      assertFalse(gridFindsViolation(c[0], c[1], cert, 200), where);
      assertEquals("certified", ordinary(c, cert), where);
      assertEquals("certified", ordinary(c, cert / 2), "monotone: " + where);
      // falsified end: the counterexample lies within it and is misclassified by hand
      JsonArray x = p.getAsJsonObject("counterexample").getAsJsonArray("input");
      double x0 = x.get(0).getAsDouble();
      double x1 = x.get(1).getAsDouble();
      assertTrue(Math.max(Math.abs(x0 - c[0]), Math.abs(x1 - c[1])) <= fal, where);
      assertTrue(x0 >= 0 && x0 <= 1 && x1 >= 0 && x1 <= 1, where);
      assertFalse(robust(x0, x1), "a real counterexample: " + where);
      assertEquals("falsified", ordinary(c, fal), where);
    }
  }

  /** The ordinary property at radius {@code eps}: its verdict. */
  private String ordinary(double[] c, double eps) throws Exception {
    JsonObject j = verifyJson("property p: forall x in ball: argmax(tiny(x)) == 0\n"
        + "region ball = linf(center = " + center(c[0], c[1]) + ", eps = " + eps
        + ") clip [0, 1]\n", "--timeout", "20");
    return j.getAsJsonArray("properties").get(0).getAsJsonObject().get("verdict").getAsString();
  }

  @Test
  void overADataSetOneBracketPerItemWithRowsLikeCertify() throws Exception {
    Path csv = tmp.resolve("points.csv");
    // label, then the two values (scaled by 1/10); (0.5, 0.45) is misclassified
    Files.writeString(csv, "0,6,3\n0,5,4.5\n0,7,2.5\n");
    Path out = tmp.resolve("rows.csv");
    Path f = tmp.resolve("d.rspec");
    Files.writeString(f, NET + "dataset pts = csv(\"" + csv + "\", scale = 1/10)\n"
        + "property r: forall (p, label) in pts: largest eps in (0, 0.5] tolerance 0.002:\n"
        + "  forall x in linf(center = p, eps = eps) clip [0, 1]: argmax(tiny(x)) == label\n");
    CliRun r = CliRun.of("verify", f.toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(RadiusVerify.HEADER, lines.get(0));
    assertEquals(4, lines.size(), lines.toString());
    double[][] centres = {{0.6, 0.3}, {0.5, 0.45}, {0.7, 0.25}};
    for (int i = 0; i < 3; i++) {
      String[] row = lines.get(i + 1).split(",", -1);
      assertEquals("r[" + i + "]", row[0]);
      assertEquals(Integer.toString(i), row[1]);
      assertEquals("0", row[2]);
      if (robust(centres[i][0], centres[i][1])) {
        double truth = bruteRadius(centres[i][0], centres[i][1]);
        assertTrue(Double.parseDouble(row[3]) <= truth + 1e-9, lines.get(i + 1));
        assertTrue(Double.parseDouble(row[4]) >= Double.parseDouble(row[3]), lines.get(i + 1));
      } else {
        assertEquals("", row[3], "nothing certified around a misclassified point");
        // the centre itself, within rounding of the real point 0.5, 0.45
        assertTrue(Double.parseDouble(row[4]) < 1e-15, lines.get(i + 1));
      }
    }
    assertTrue(r.out().contains("r: 3 searches"), r.out());
    assertTrue(r.out().contains("(r[1]), counterexample:"), r.out());
  }

  @Test
  void resumeSkipsTheSearchesAlreadyInOut() throws Exception {
    Path f = tmp.resolve("two.rspec");
    Files.writeString(f, NET + """
        property a: largest eps in (0, 0.5] tolerance 0.01:
          forall x in linf(center = [0.6, 0.3], eps = eps) clip [0, 1]: argmax(tiny(x)) == 0
        property b: largest eps in (0, 0.5] tolerance 0.01:
          forall x in linf(center = [0.7, 0.25], eps = eps) clip [0, 1]: argmax(tiny(x)) == 0
        """);
    Path out = tmp.resolve("rows.csv");
    CliRun first = CliRun.of("verify", f.toString(), "--out", out.toString(), "--property", "a");
    assertEquals(0, first.exit(), first.out() + first.err());
    List<String> once = Files.readAllLines(out);
    assertEquals(2, once.size(), once.toString());
    CliRun again = CliRun.of("verify", f.toString(), "--out", out.toString(), "--resume");
    assertEquals(0, again.exit(), again.out() + again.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size(), "a once, b added: " + lines);
    assertEquals(once.get(1), lines.get(1), "a's row kept as it was");
    assertTrue(lines.get(2).startsWith("b,,,"), lines.toString());
    assertTrue(again.out().contains("(resumed)"), again.out());
  }

  @Test
  void checkerErrorsAreReportedAtTheirPlace() throws Exception {
    String[][] cases = {
        {"largest eps in (0.2, 0.1]", "linf(center = [0.5, 0.5], eps = eps)", "0",
            "is empty"},
        {"largest eps in (0, 0.1] tolerance 0", "linf(center = [0.5, 0.5], eps = eps)", "0",
            "must be positive"},
        {"largest eps in (0, 0.1]", "linf(center = [0.5, 0.5], eps = 0.1)", "0",
            "never used"},
        {"largest eps in (0, 0.1]", "linf(center = [0.5, 0.5], eps = eps)", "eps",
            "outside the region"},
        {"largest eps in (0, 0.1]", "linf(center = [eps, 0.5], eps = eps)", "0",
            "can only be the eps"}};
    for (String[] c : cases) {
      Path f = tmp.resolve("e" + System.nanoTime() + ".rspec");
      Files.writeString(f, NET + "property r: " + c[0] + ": forall x in " + c[1]
          + ": tiny(x)[0] >= " + c[2] + "\n");
      CliRun r = CliRun.of("check", f.toString());
      assertEquals(1, r.exit(), String.join(" ", c) + "\n" + r.out() + r.err());
      assertTrue((r.out() + r.err()).contains("RS0025") && (r.out() + r.err()).contains(c[3]),
          String.join(" ", c) + "\n" + r.out() + r.err());
    }
  }
}
