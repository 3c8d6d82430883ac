package dev.robustspec.compiler.diag;

import dev.robustspec.compiler.ast.SourceRange;
import java.util.List;

/**
 * One problem in a {@code .rspec} file: what, where, how serious, and the other places that take
 * part in it (the uses of a region reported at the region, say). Plain data for every front end.
 */
public record SpecDiagnostic(SpecErrorCode code, Severity severity, SourceRange range,
    String message, List<Related> related) {

  /** Another place in the same file that takes part in a diagnostic, and what it is. */
  public record Related(SourceRange range, String message) {}

  public SpecDiagnostic {
    related = List.copyOf(related);
  }

  public SpecDiagnostic(SpecErrorCode code, Severity severity, SourceRange range,
      String message) {
    this(code, severity, range, message, List.of());
  }

  public static SpecDiagnostic of(SpecErrorCode code, SourceRange range, String message) {
    return new SpecDiagnostic(code, code.defaultSeverity(), range, message);
  }

  public static SpecDiagnostic of(SpecErrorCode code, SourceRange range, String message,
      List<Related> related) {
    return new SpecDiagnostic(code, code.defaultSeverity(), range, message, related);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
