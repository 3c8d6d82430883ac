package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lenses above each property: its verdict and time, and what can be done with it. */
public final class CodeLenses {
  /** Command identifiers, shared with {@code workspace/executeCommand}. */
  public static final String VERIFY_FILE = "robustspec.verifyFile";
  public static final String VERIFY_PROPERTY = "robustspec.verifyProperty";
  public static final String COPY_COUNTEREXAMPLE = "robustspec.copyCounterexample";
  public static final String PLOT = "robustspec.plot";
  /** The per-item table of a data-set property: arguments uri, property, "markdown" | "csv". */
  public static final String ITEM_TABLE = "robustspec.itemTable";
  /** Waits for the radius search of a quick fix and applies it: arguments uri, property. */
  public static final String SET_RADIUS = "robustspec.setRadius";

  private CodeLenses() {}

  /** A lens: where, its title, and the command (with arguments) it runs. */
  public record Lens(SourceRange range, String title, String command, List<Object> arguments) {}

  static List<Lens> lenses(Analysis a, Map<String, PropertyStatus> statuses) {
    List<Lens> out = new ArrayList<>();
    Map<String, List<PropertyStatus>> itemsOf = new LinkedHashMap<>();
    for (PropertyStatus s : statuses.values()) {
      if (DatasetVerdicts.isItem(a, s)) {
        itemsOf.computeIfAbsent(a.property(s.name()).item().property(), k -> new ArrayList<>())
            .add(s);
        continue;
      }
      SourceRange at = s.nameRange();
      out.add(new Lens(at, title(s), VERIFY_PROPERTY, List.of(a.uri(), s.name())));
      out.add(new Lens(at, "plot bound widths", PLOT,
          List.of(a.uri(), s.name(), Map.of("kind", "widths"))));
      if (s.state() == PropertyStatus.State.FALSIFIED) {
        out.add(new Lens(at, "copy counterexample", COPY_COUNTEREXAMPLE,
            List.of(a.uri(), s.name())));
      }
    }
    // one lens per data-set property, not one per item: its counts, opening the item table
    for (Map.Entry<String, List<PropertyStatus>> e : itemsOf.entrySet()) {
      List<PropertyStatus> items = e.getValue();
      out.add(new Lens(items.get(0).nameRange(), itemsTitle(items), ITEM_TABLE,
          List.of(a.uri(), e.getKey(), "markdown")));
    }
    return out;
  }

  /** "certified 93/100 · open table", or while some run "… 40/100 done · open table". */
  static String itemsTitle(List<PropertyStatus> items) {
    long done = items.stream().filter(s -> s.state().finished()).count();
    long certified = items.stream()
        .filter(s -> s.state() == PropertyStatus.State.CERTIFIED).count();
    boolean falsified = items.stream().anyMatch(s -> s.state() == PropertyStatus.State.FALSIFIED
        || s.state() == PropertyStatus.State.ERROR);
    String mark = certified == items.size() ? "✓ " : falsified ? "✗ " : "? ";
    String counts = done < items.size()
        ? "… " + done + "/" + items.size() + " done, certified " + certified
        : mark + "certified " + certified + "/" + items.size();
    return counts + " · open table";
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
