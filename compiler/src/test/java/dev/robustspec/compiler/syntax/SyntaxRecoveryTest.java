package dev.robustspec.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Error recovery beyond the golden texts: what the checker still sees after a recovered error,
 * where related places point, and what the JSON form carries.
 */
class SyntaxRecoveryTest {
  private static final String TINY = """
      network tiny {
        input x[2]
        dense [[1, 1]] + [0]
      }
      """;

  private static Compilation compile(String text) {
    return Checker.compile("t.rspec", text, Path.of("."), FileLoader.direct());
  }

  private static List<SpecDiagnostic> errors(Compilation c) {
    return c.diagnostics().stream().filter(SpecDiagnostic::isError).toList();
  }

  @Test
  void aClosedUpBlockLeavesTheRestOfTheFileChecked() {
    Compilation c = compile("""
        network tiny {
          input x[2]
          dense [[1, 1]] + [0]
        region square = box { x[0..1] in [-1, 1] }
        property ok: forall x in square: tiny(x)[0] <= 3
        property bad: forall x in square: tiny(x)[4] <= 3
        """);
    List<SpecDiagnostic> errors = errors(c);
    assertEquals(2, errors.size(), errors.toString());
    assertEquals(SpecErrorCode.SYNTAX, errors.get(0).code());
    assertEquals(1, errors.get(0).range().startLine());
    assertEquals(14, errors.get(0).range().startColumn()); // the '{'
    assertEquals(SpecErrorCode.INDEX_OUT_OF_RANGE, errors.get(1).code()); // still checked
    assertEquals(List.of("ok"), c.properties().stream().map(p -> p.name()).toList());
    assertEquals(2, c.networks().get("tiny").network().inputSize());
  }

  @Test
  void aFormulaThatEndsEarlyDoesNotSwallowTheNextProperty() {
    Compilation c = compile(TINY + """
        region square = box { x[0..1] in [-1, 1] }
        property p: forall x in square: tiny(x)[0] >=
        property q: forall x in square: tiny(x)[0] <= 3
        """);
    assertEquals(1, errors(c).size(), errors(c).toString());
    assertEquals(6, errors(c).get(0).range().startLine());
    assertEquals(List.of("q"), c.properties().stream().map(p -> p.name()).toList());
  }

  @Test
  void aRecoveredDeclarationHasNoSemanticFollowUps() {
    Compilation c = compile(TINY + """
        region square = box { x[0] in [-1, 1] x[1] in [-1, 1] }
        property p: forall x in square: tiny(x)[0] <= 3
        property q: forall x in square: tiny(x)[0] <= 4
        """);
    assertEquals(List.of(SpecErrorCode.SYNTAX), errors(c).stream().map(SpecDiagnostic::code)
        .toList());
    assertTrue(c.properties().isEmpty());
  }

  @Test
  void aMisfitRegionIsOneErrorAtTheRegionWithItsUsesRelated() {
    String text = TINY + """
        region cube = box { x[0..2] in [-1, 1] }
        property p: forall x in cube: tiny(x)[0] <= 3
        property q: forall x in cube: tiny(x)[0] >= -3
        """;
    Compilation c = compile(text);
    assertEquals(1, errors(c).size());
    SpecDiagnostic d = errors(c).get(0);
    assertEquals(SpecErrorCode.DIMENSION_MISMATCH, d.code());
    assertEquals("cube", text.substring(d.range().startOffset(), d.range().endOffset()));
    assertEquals(2, d.related().size());
    for (SpecDiagnostic.Related r : d.related()) {
      assertEquals("cube", text.substring(r.range().startOffset(), r.range().endOffset()));
    }
    assertEquals(List.of(6, 7), d.related().stream().map(r -> r.range().startLine()).toList());
    JsonObject json = DiagnosticFormatter.json("t.rspec", d);
    assertEquals(2, json.getAsJsonArray("related").size());
    assertEquals(7, json.getAsJsonArray("related").get(1).getAsJsonObject()
        .getAsJsonObject("range").get("start_line").getAsInt());
  }

  @Test
  void aMisspeltNameIsOneErrorWithItsOtherUsesRelated() {
    Compilation c = compile("let limit = 1\n" + TINY + """
        region square = box { x[0..1] in [-limt, limt] }
        property p: forall x in square: tiny(x)[0] <= 3
        """);
    assertEquals(1, c.diagnostics().size(), c.diagnostics().toString()); // no "never used"
    assertEquals(1, c.diagnostics().get(0).related().size());
  }

  @Test
  void repairNeverChangesAValidFile() {
    String text = TINY + """
        region square = box { x[0..1] in [-1, 1] }
        property p: forall x in square: tiny(x)[0] <= 3
        verify p using interval
        """;
    SpecParser.Result r = SpecParser.parse(text);
    assertEquals(List.of(), r.diagnostics());
    assertEquals(List.of(), r.recovered());
    assertEquals(4, r.file().declarations().size());
  }

  @Test
  void bracketsInsideAnOpenBlockAreLeftToTheParser() {
    // an open '[' inside the block is the likelier mistake: no '}' is inserted, the '[' is named
    SpecParser.Result r = SpecParser.parse("""
        network tiny {
          input x[2]
          dense [[1, 1]] + [0
        region square = box { x[0..1] in [-1, 1] }
        """);
    assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
    assertFalse(r.diagnostics().get(0).message().contains("never closed"),
        r.diagnostics().get(0).message());
  }
}
