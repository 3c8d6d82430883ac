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
    return text(fileName, new Lines(source), d);
  }

  private static String text(String fileName, Lines source, SpecDiagnostic d) {
    StringBuilder sb = new StringBuilder();
    located(sb, fileName, source, d.range(), d.severity().word() + ' ' + d.code().code() + ": "
        + d.message());
    for (SpecDiagnostic.Related r : d.related()) {
      located(sb, fileName, source, r.range(), "note: " + r.message());
    }
    return sb.toString();
  }

  /** {@code file:line:col: head}, then the source line and a caret line under the range. */
  private static void located(StringBuilder sb, String fileName, Lines source, SourceRange r,
      String head) {
    sb.append(fileName).append(':').append(r.startLine()).append(':').append(r.startColumn())
        .append(": ").append(head).append('\n');
    String line = source.line(r.startLine());
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
  }

  public static String text(String fileName, String source, List<SpecDiagnostic> ds) {
    StringBuilder sb = new StringBuilder();
    Lines lines = new Lines(source); // indexed once: 10k diagnostics stay linear in the file size
    for (SpecDiagnostic d : ds) {
      sb.append(text(fileName, lines, d));
    }
    return sb.toString();
  }

  public static JsonObject json(String fileName, SpecDiagnostic d) {
    JsonObject j = new JsonObject();
    j.addProperty("file", fileName);
    j.addProperty("code", d.code().code());
    j.addProperty("severity", d.severity().word());
    j.addProperty("message", d.message());
    j.add("range", range(d.range()));
    if (!d.related().isEmpty()) {
      JsonArray related = new JsonArray();
      for (SpecDiagnostic.Related r : d.related()) {
        JsonObject o = new JsonObject();
        o.addProperty("message", r.message());
        o.add("range", range(r.range()));
        related.add(o);
      }
      j.add("related", related);
    }
    return j;
  }

  private static JsonObject range(SourceRange r) {
    JsonObject range = new JsonObject();
    range.addProperty("start_line", r.startLine());
    range.addProperty("start_column", r.startColumn());
    range.addProperty("end_line", r.endLine());
    range.addProperty("end_column", r.endColumn());
    return range;
  }

  public static JsonArray json(String fileName, List<SpecDiagnostic> ds) {
    JsonArray a = new JsonArray();
    for (SpecDiagnostic d : ds) {
      a.add(json(fileName, d));
    }
    return a;
  }

  /** The source's line starts, found once (line breaks: \r\n, \r or \n). */
  private static final class Lines {
    private final String source;
    private final int[] starts;

    Lines(String source) {
      this.source = source;
      int[] found = new int[16];
      int n = 0;
      found[n++] = 0;
      for (int i = 0; i < source.length(); i++) {
        char c = source.charAt(i);
        if (c == '\n' || (c == '\r' && (i + 1 >= source.length() || source.charAt(i + 1) != '\n'))) {
          if (n == found.length) {
            found = java.util.Arrays.copyOf(found, 2 * n);
          }
          found[n++] = i + 1;
        }
      }
      starts = java.util.Arrays.copyOf(found, n);
    }

    /** The text of a 1-based line without its line break, or null when there is no such line. */
    String line(int line) {
      if (line < 1 || line > starts.length) {
        return null;
      }
      int end = line < starts.length ? starts[line] : source.length();
      while (end > starts[line - 1] && (source.charAt(end - 1) == '\n'
          || source.charAt(end - 1) == '\r')) {
        end--;
      }
      return source.substring(starts[line - 1], end);
    }
  }
}
