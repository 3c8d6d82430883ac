package dev.robustspec.compiler.diag;

/** How serious a diagnostic is. Errors stop verification; warnings and hints do not. */
public enum Severity {
  ERROR, WARNING, INFORMATION, HINT;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
