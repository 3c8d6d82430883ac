package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.query.QueryLowering;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random mutations of the standard's test queries (and of the ACAS Xu VNN-LIB 2 files) either
 * read and lower, or fail with a clean {@link InputFormatException}: never another exception,
 * never the reader's internal-error safety net.
 */
class Vnnlib2ReaderFuzzTest {
  private static final String[] TOKENS = {"(", ")", "[", "]", ",", "X", "Y", "X[0]", "X[0,0]",
      "Y[9]", "[]", "[3]", "Real", "real", "float32", "declare-network", "declare-input",
      "declare-output", "declare-hidden", "equal-to", "isomorphic-to", "assert", "and", "or",
      "<=", ">=", "<", ">", "==", "!=", "=", "+", "-", "*", "0.5", "-1", "1e308", "1e999", "\"n\"",
      "\"", ";", "\n", " ", "<2.0>", "<2.1>", "<9.9>", "vnnlib-version", "initialized", "X[99]",
      "X[-1]", "X[0 0]", "\u0000", "\u00e9"};

  static List<String> seeds() {
    try {
      Path std = TestData.repositoryRoot().resolve("../shared/vnnlib2/standard-tests")
          .normalize();
      Path acas = TestData.examples().resolve("acasxu/vnnlib2");
      try (Stream<Path> a = Files.list(std); Stream<Path> b = Files.list(acas)) {
        return Stream.concat(a, b).filter(p -> p.toString().endsWith(".vnnlib")).sorted()
            .map(p -> {
              try {
                return Files.readString(p);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }).toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<String> mutated() {
    List<String> seeds = seeds();
    Arbitrary<String> seed = Arbitraries.of(seeds);
    Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers().between(0, 40),
            Arbitraries.integers().between(0, TOKENS.length - 1))
        .as((kind, pos, len, token) -> new int[] {kind, pos, len, token}).list().ofMinSize(1)
        .ofMaxSize(6);
    return Combinators.combine(seed, edits).as((s, es) -> {
      StringBuilder sb = new StringBuilder(s);
      for (int[] e : es) {
        int at = sb.length() == 0 ? 0 : e[1] % sb.length();
        switch (e[0]) {
          case 0 -> sb.delete(at, Math.min(sb.length(), at + e[2])); // delete a stretch
          case 1 -> sb.insert(at, " " + TOKENS[e[3]] + " "); // insert a token
          default -> { // duplicate a stretch elsewhere
            String piece = sb.substring(at, Math.min(sb.length(), at + e[2]));
            sb.insert((at * 7 + 13) % (sb.length() + 1), piece);
          }
        }
      }
      return sb.toString();
    });
  }

  @Property(tries = 1500, seed = "20251125")
  void mutationsReadOrFailCleanly(@ForAll("mutated") String text) {
    try {
      VnnlibQuery q = Vnnlib2Reader.read(text, Path.of("fuzz.vnnlib"));
      QueryLowering.lower(q, null);
    } catch (InputFormatException e) {
      assertFalse(e.getMessage().contains("internal error"), e.getMessage());
    }
  }

  /** Unicode white space other than space, tab, form feed and line ends used to loop forever. */
  @Example
  void unicodeSpaceFailsCleanly() {
    InputFormatException e = assertThrows(InputFormatException.class, () -> Vnnlib2Reader.read(
        "(vnnlib-version <2.0>)\n(declare-network N\u2003)", Path.of("fuzz.vnnlib")));
    assertEquals(2, e.line());
    assertEquals(19, e.column());
    assertEquals("unexpected character U+2003", e.problem());
  }
}
