package dev.robustspec.compiler.diag;

import dev.robustspec.compiler.ast.SourceRange;

/** One problem in a {@code .rspec} file: what, where, how serious. Plain data for every front end. */
public record SpecDiagnostic(SpecErrorCode code, Severity severity, SourceRange range,
    String message) {

  public static SpecDiagnostic of(SpecErrorCode code, SourceRange range, String message) {
    return new SpecDiagnostic(code, code.defaultSeverity(), range, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
