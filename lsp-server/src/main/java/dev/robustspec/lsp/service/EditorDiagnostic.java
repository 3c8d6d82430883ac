package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.diag.Severity;
import java.util.List;

/**
 * One problem or verdict to show in the editor: the checker's diagnostics (code {@code RS…})
 * and the property verdicts (code {@code certified}, {@code falsified}, …). {@code related}
 * carries what does not fit the message, such as a counterexample's full vectors.
 */
public record EditorDiagnostic(SourceRange range, Severity severity, String code, String message,
    List<Related> related) {

  public EditorDiagnostic {
    related = List.copyOf(related);
  }

  /** Extra information at a place in the same document. */
  public record Related(SourceRange range, String message) {}
}
