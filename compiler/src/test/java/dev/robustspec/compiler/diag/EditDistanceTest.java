package dev.robustspec.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EditDistanceTest {
  @Test
  void handComputed() {
    assertEquals(0, EditDistance.between("relu", "relu"));
    assertEquals(1, EditDistance.between("sqaure", "square")); // one swap
    assertEquals(1, EditDistance.between("regoin", "region"));
    assertEquals(1, EditDistance.between("dnse", "dense"));
    assertEquals(3, EditDistance.between("kitten", "sitting"));
    assertEquals(3, EditDistance.between("", "abc"));
    assertEquals(3, EditDistance.between("ca", "abc")); // alignment: no edit of a swapped pair
  }

  /** Symmetric, zero only for equal words, at most Levenshtein and at least its half. */
  @Test
  void boundedByLevenshtein() {
    Random r = new Random(5);
    for (int t = 0; t < 2000; t++) {
      String a = word(r);
      String b = word(r);
      int d = EditDistance.between(a, b);
      int lev = levenshtein(a, b);
      assertEquals(d, EditDistance.between(b, a));
      assertEquals(a.equals(b), d == 0);
      assertTrue(d <= lev && 2 * d >= lev, a + " " + b + " " + d + " " + lev);
    }
  }

  private static String word(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) {
      sb.append((char) ('a' + r.nextInt(3)));
    }
    return sb.toString();
  }

  private static int levenshtein(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
            d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
    }
    return d[a.length()][b.length()];
  }
}
