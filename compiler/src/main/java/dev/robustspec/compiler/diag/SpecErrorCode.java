package dev.robustspec.compiler.diag;

/**
 * Every problem the compiler reports, with a stable code. Codes are never renumbered or reused:
 * scripts, tests and editors match on them. {@code docs/language.md} lists them with examples.
 */
public enum SpecErrorCode {
  SYNTAX("RS0001", Severity.ERROR),
  UNDEFINED_NAME("RS0002", Severity.ERROR),
  DUPLICATE_NAME("RS0003", Severity.ERROR),
  WRONG_KIND("RS0004", Severity.ERROR),
  DIMENSION_MISMATCH("RS0005", Severity.ERROR),
  INDEX_OUT_OF_RANGE("RS0006", Severity.ERROR),
  LAYER_SHAPE("RS0007", Severity.ERROR),
  EMPTY_BOX("RS0008", Severity.ERROR),
  NEGATIVE_EPS("RS0009", Severity.ERROR),
  FILE_NOT_FOUND("RS0010", Severity.ERROR),
  MALFORMED_FILE("RS0011", Severity.ERROR),
  UNSUPPORTED_OPERATOR("RS0012", Severity.ERROR),
  UNKNOWN_PASS("RS0013", Severity.ERROR),
  BAD_PASS_PARAMETER("RS0014", Severity.ERROR),
  TYPE_MISMATCH("RS0015", Severity.ERROR),
  INCOMPLETE_BOX("RS0016", Severity.ERROR),
  UNSUPPORTED_FORMULA("RS0017", Severity.ERROR),
  UNKNOWN_SOURCE("RS0018", Severity.ERROR),
  BAD_ARGUMENT("RS0019", Severity.ERROR),
  INVALID_NUMBER("RS0020", Severity.ERROR),
  UNUSED("RS0021", Severity.WARNING),
  TOO_MANY_CASES("RS0022", Severity.ERROR),
  VERIFIED_TWICE("RS0023", Severity.WARNING),
  TOO_DEEP("RS0024", Severity.ERROR),
  BAD_RADIUS_SEARCH("RS0025", Severity.ERROR),
  INTERNAL("RS9999", Severity.ERROR);

  private final String code;
  private final Severity severity;

  SpecErrorCode(String code, Severity severity) {
    this.code = code;
    this.severity = severity;
  }

  public String code() {
    return code;
  }

  public Severity defaultSeverity() {
    return severity;
  }
}
