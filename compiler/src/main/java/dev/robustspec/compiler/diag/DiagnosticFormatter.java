package dev.robustspec.compiler.diag;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.compiler.ast.SourceRange;
import java.util.List;

/**
 * Text and JSON forms of diagnostics. Text: {@code file:line:col: error RS0007: message}, then
 * the source line and a caret line under the range, as compilers print them.
 */
public final class DiagnosticFormatter {
  private DiagnosticFormatter() {}

  public static String text(String fileName, String source, SpecDiagnostic d) {
    SourceRange r = d.range();
    StringBuilder sb = new StringBuilder();
    sb.append(fileName).append(':').append(r.startLine()).append(':').append(r.startColumn())
        .append(": ").append(d.severity().word()).append(' ').append(d.code().code())
        .append(": ").append(d.message()).append('\n');
    String line = sourceLine(source, r.startLine());
    if (line != null) {
      sb.append("  ").append(line).append('\n').append("  ");
      int start = Math.max(1, r.startColumn());
      int end = r.endLine() == r.startLine() ? Math.max(r.endColumn(), start + 1) : line.length() + 1;
      for (int c = 1; c < start; c++) {
        sb.append(c - 1 < line.length() && line.charAt(c - 1) == '\t' ? '\t' : ' ');
      }
      sb.append('^');
      for (int c = start + 1; c < Math.min(end, line.length() + 2); c++) {
        sb.append('~');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  public static String text(String fileName, String source, List<SpecDiagnostic> ds) {
    StringBuilder sb = new StringBuilder();
    for (SpecDiagnostic d : ds) {
      sb.append(text(fileName, source, d));
    }
    return sb.toString();
  }

  public static JsonObject json(String fileName, SpecDiagnostic d) {
    JsonObject j = new JsonObject();
    j.addProperty("file", fileName);
    j.addProperty("code", d.code().code());
    j.addProperty("severity", d.severity().word());
    j.addProperty("message", d.message());
    JsonObject range = new JsonObject();
    range.addProperty("start_line", d.range().startLine());
    range.addProperty("start_column", d.range().startColumn());
    range.addProperty("end_line", d.range().endLine());
    range.addProperty("end_column", d.range().endColumn());
    j.add("range", range);
    return j;
  }

  public static JsonArray json(String fileName, List<SpecDiagnostic> ds) {
    JsonArray a = new JsonArray();
    for (SpecDiagnostic d : ds) {
      a.add(json(fileName, d));
    }
    return a;
  }

  private static String sourceLine(String source, int line) {
    String[] lines = source.split("\r\n|\r|\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1] : null;
  }
}
