package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The lenses above each property: its verdict and time, and what can be done with it. */
public final class CodeLenses {
  /** Command identifiers, shared with {@code workspace/executeCommand}. */
  public static final String VERIFY_FILE = "robustspec.verifyFile";
  public static final String VERIFY_PROPERTY = "robustspec.verifyProperty";
  public static final String COPY_COUNTEREXAMPLE = "robustspec.copyCounterexample";
  public static final String PLOT = "robustspec.plot";

  private CodeLenses() {}

  /** A lens: where, its title, and the command (with arguments) it runs. */
  public record Lens(SourceRange range, String title, String command, List<Object> arguments) {}

  static List<Lens> lenses(Analysis a, Map<String, PropertyStatus> statuses) {
    List<Lens> out = new ArrayList<>();
    for (PropertyStatus s : statuses.values()) {
      SourceRange at = s.nameRange();
      out.add(new Lens(at, title(s), VERIFY_PROPERTY, List.of(a.uri(), s.name())));
      out.add(new Lens(at, "plot bound widths", PLOT,
          List.of(a.uri(), s.name(), Map.of("kind", "widths"))));
      if (s.state() == PropertyStatus.State.FALSIFIED) {
        out.add(new Lens(at, "copy counterexample", COPY_COUNTEREXAMPLE,
            List.of(a.uri(), s.name())));
      }
    }
    return out;
  }

  static String title(PropertyStatus s) {
    String time = s.millis() == null ? "" : " · " + Verdicts.millis(s.millis());
    switch (s.state()) {
      case CERTIFIED:
        return "✓ certified by " + s.pass() + time + " · re-run";
      case FALSIFIED:
        return "✗ falsified by " + s.pass() + time + " · re-run";
      case UNKNOWN:
      case TIMEOUT:
        return "? " + s.state().word() + " (margin " + Verdicts.number(s.margin()) + ")" + time
            + " · re-run";
      case ERROR:
        return "! verification failed · re-run";
      default:
        return "… " + s.state().word();
    }
  }
}
