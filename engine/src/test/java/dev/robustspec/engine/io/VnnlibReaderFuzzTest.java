package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.query.VnnlibFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing: mutated real files and random token soups must either read or fail with an
 * {@link InputFormatException} (never another exception, never the reader's internal-error
 * safety net), and must terminate.
 */
class VnnlibReaderFuzzTest {
  private static final Path NAME = Path.of("fuzz.vnnlib");
  private static final String[] TOKENS = {"(", "(", "(", ")", ")", ")", "assert", "declare-const",
      "and", "or", "<=", ">=", "<", ">", "=", "-", "+", "*", "/", "X_0", "X_1", "X_4", "Y_0", "Y_1",
      "Real", "0.5", "-1", "1e-5", "(- 0.5)", "NaN", "inf", ";", "\n", "\r\n", "\"s\"", "|q",
      "true", "false", "not", "\u0000", "\u00e9", "1.2.3", "X_01", "check-sat"};

  @Test
  void mutatedAcasXuFiles() throws Exception {
    String[] seeds = new String[10];
    for (int k = 1; k <= 10; k++) {
      seeds[k - 1] = Files.readString(
          TestData.benchmarks().resolve("acasxu/vnnlib/prop_" + k + ".vnnlib"));
    }
    Random rnd = new Random(20240611L);
    String alphabet = "()XY_0123456789.-+eE ;\n\r\t<=>andorRealdeclare-constassert\"|\u0001";
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      int ok = 0;
      for (int iter = 0; iter < 4000; iter++) {
        StringBuilder sb = new StringBuilder(seeds[rnd.nextInt(seeds.length)]);
        int edits = 1 + rnd.nextInt(6);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
          int pos = rnd.nextInt(sb.length());
          switch (rnd.nextInt(5)) {
            case 0 -> sb.deleteCharAt(pos);
            case 1 -> sb.insert(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
            case 2 -> {
              int other = rnd.nextInt(sb.length());
              char c = sb.charAt(pos);
              sb.setCharAt(pos, sb.charAt(other));
              sb.setCharAt(other, c);
            }
            case 3 -> sb.setLength(pos);
            default -> sb.setCharAt(pos, (char) rnd.nextInt(0x3000));
          }
        }
        ok += check(sb.toString()) ? 1 : 0;
      }
      int read = ok;
      assertTrue(read > 0 && read < 4000, "mutations should both read and fail: " + read);
    });
  }

  @Test
  void randomTokenSoups() {
    Random rnd = new Random(7L);
    String header = "(declare-const X_0 Real)(declare-const X_1 Real)(declare-const Y_0 Real)"
        + "(declare-const Y_1 Real)\n";
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int iter = 0; iter < 3000; iter++) {
        StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? header : "");
        int count = rnd.nextInt(60);
        for (int k = 0; k < count; k++) {
          sb.append(TOKENS[rnd.nextInt(TOKENS.length)]).append(rnd.nextInt(4) == 0 ? "" : " ");
        }
        check(sb.toString());
      }
    });
  }

  @Test
  void randomBytes() {
    Random rnd = new Random(99L);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int iter = 0; iter < 1000; iter++) {
        byte[] b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
        check(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    });
  }

  /** True when the text read; false when it failed properly. Anything else fails the test. */
  private static boolean check(String text) {
    try {
      VnnlibFiles.specification(text, NAME);
      return true;
    } catch (InputFormatException e) {
      assertFalse(e.problem().startsWith("internal error"), () -> e.getMessage() + "\n" + text);
      assertTrue(e.line() >= 1 && e.column() >= 1, () -> e.getMessage() + "\n" + text);
      return false;
    }
  }
}
