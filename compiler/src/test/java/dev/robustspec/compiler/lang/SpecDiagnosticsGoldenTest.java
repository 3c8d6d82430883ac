package dev.robustspec.compiler.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.UnsupportedOnnxFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of the checker's diagnostics: every {@code diagnostics/RSxxxx_slug.rspec} is
 * compiled (relative paths resolve in that folder) and the text form of all its diagnostics is
 * compared with {@code RSxxxx_slug.expected}; the code in the file's name must be among them.
 *
 * <p>Regenerate with:
 * {@code mvn -q -o test -pl compiler -am -Dtest=SpecDiagnosticsGoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 * then review {@code git diff compiler/src/test/resources/diagnostics}.
 */
class SpecDiagnosticsGoldenTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final Path DIR = TestData.repositoryRoot().resolve("compiler/src/test/resources/diagnostics");

  @BeforeAll
  static void writeGeneratedFixtures() throws IOException {
    Path onnx = DIR.resolve("unsupported_op.onnx");
    byte[] model = UnsupportedOnnxFixture.softsignModel();
    if (UPDATE || !Files.exists(onnx)) {
      Files.write(onnx, model);
    }
    assertTrue(Arrays.equals(model, Files.readAllBytes(onnx)),
        "unsupported_op.onnx is stale; regenerate with -Dgolden.update=true");
  }

  static Stream<String> files() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rspec")).sorted()
          .toList().stream();
    }
  }

  static Compilation compile(String name) throws IOException {
    String text = Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
    return Checker.compile(name, text, DIR, FileLoader.direct());
  }

  static String mask(String s) {
    return s.replace(DIR.toAbsolutePath().normalize().toString(), "<DIR>");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void golden(String name) throws IOException {
    Compilation c = compile(name);
    String actual = mask(DiagnosticFormatter.text(name, c.source(), c.diagnostics()));
    String code = name.substring(0, 6);
    assertTrue(c.diagnostics().stream().anyMatch(d -> d.code().code().equals(code)),
        name + " must report " + code + ", got:\n" + actual);
    assertFalse(c.diagnostics().stream().anyMatch(d -> d.code() == SpecErrorCode.INTERNAL),
        "internal error:\n" + actual);
    Path expectedFile = DIR.resolve(name.replace(".rspec", ".expected"));
    if (UPDATE) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(expectedFile)) {
      fail("missing " + expectedFile.getFileName() + "; create it with -Dgolden.update=true\n"
          + actual);
    }
    assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8).replace("\r\n", "\n"),
        actual, "diagnostics of " + name + " differ (regenerate with -Dgolden.update=true if"
            + " the change is intended)");
  }

  /** Every code the checker can produce (all but RS9999) has at least one golden file. */
  @Test
  void everyCodeIsCovered() throws IOException {
    Set<String> covered = files().map(n -> n.substring(0, 6)).collect(Collectors.toSet());
    EnumSet<SpecErrorCode> codes = EnumSet.allOf(SpecErrorCode.class);
    codes.remove(SpecErrorCode.INTERNAL);
    for (SpecErrorCode c : codes) {
      assertTrue(covered.contains(c.code()), "no diagnostics golden for " + c.code());
    }
  }

  /** A single typo in the middle of a valid file gives exactly one error. */
  @Test
  void oneTypoOneError() throws IOException {
    for (String name : List.of("RS0001_missing_bracket.rspec", "RS0001_misspelt_keyword.rspec",
        "RS0001_unexpected_character.rspec", "RS0001_keyword_insertion_cascade.rspec",
        "RS0001_missing_formula.rspec", "RS0001_misspelt_declaration_keyword.rspec")) {
      List<SpecDiagnostic> errors = compile(name).diagnostics().stream()
          .filter(SpecDiagnostic::isError).toList();
      assertEquals(1, errors.size(), name + ": " + errors);
      assertEquals(SpecErrorCode.SYNTAX, errors.get(0).code(), name);
    }
  }

  /**
   * Every syntax golden is one mistake and reads as one error: no cascade after the parser
   * recovered, and no semantic follow-up of the declaration it recovered over.
   */
  @Test
  void everySyntaxMistakeIsOneError() throws IOException {
    List<String> syntax = files().filter(n -> n.startsWith("RS0001_")).toList();
    assertTrue(syntax.size() >= 30, "syntax goldens: " + syntax.size());
    for (String name : syntax) {
      List<SpecDiagnostic> errors = compile(name).diagnostics().stream()
          .filter(SpecDiagnostic::isError).toList();
      assertEquals(1, errors.size(), name + ": " + errors);
      assertEquals(SpecErrorCode.SYNTAX, errors.get(0).code(), name);
      assertFalse(errors.get(0).message().matches(".*\\b(NUMBER|IDENT|DURATION|STRING|EOF)\\b.*"),
          name + " names a lexer token: " + errors.get(0).message());
    }
  }

  /** The corpus of issue 17: the 41 first goldens and at least 40 realistic mistakes more. */
  @Test
  void corpusHoldsAtLeast81Mistakes() throws IOException {
    assertTrue(files().count() >= 81, "goldens: " + files().count());
  }

  /** A file with several independent mistakes reports each of them. */
  @Test
  void severalErrorsAllReported() throws IOException {
    Set<String> codes = compile("RS0002_several_errors.rspec").diagnostics().stream()
        .map(d -> d.code().code()).collect(Collectors.toSet());
    assertTrue(codes.containsAll(Set.of("RS0002", "RS0006", "RS0007", "RS0008", "RS0009",
        "RS0013", "RS0014")), codes.toString());
  }

  @Test
  void didYouMean() throws IOException {
    String text = compile("RS0002_did_you_mean.rspec").diagnostics().stream()
        .map(SpecDiagnostic::message).collect(Collectors.joining("\n"));
    for (String s : List.of("did you mean 'square'?", "did you mean 'classifier'?",
        "did you mean 'limit'?", "did you mean 'p'?")) {
      assertTrue(text.contains(s), "missing \"" + s + "\" in\n" + text);
    }
    String pass = compile("RS0013_unknown_pass.rspec").diagnostics().stream()
        .map(SpecDiagnostic::message).collect(Collectors.joining("\n"));
    assertTrue(pass.contains("did you mean 'deeppoly'?"), pass);
  }
}
