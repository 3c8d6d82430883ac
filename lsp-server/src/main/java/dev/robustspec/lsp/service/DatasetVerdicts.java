package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.DataItem;
import dev.robustspec.compiler.diag.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A property over a data set is one property per item; the editor shows one diagnostic for all
 * of them on the declaration's name (issue 16): "certified 93 of 100 (certified accuracy 93.0%),
 * falsified 5: items 8, 17, ...; unknown 2: items ...", an error when any item is falsified, a
 * warning while any is open, information when all are certified.
 */
final class DatasetVerdicts {
  private DatasetVerdicts() {}

  /** True when {@code s} is the status of one item of a data-set property. */
  static boolean isItem(Analysis a, PropertyStatus s) {
    CompiledProperty p = a.property(s.name());
    return p != null && p.item() != null;
  }

  /** One diagnostic per data-set property, from the statuses of its items. */
  static List<EditorDiagnostic> diagnostics(Analysis a, List<PropertyStatus> items) {
    Map<String, List<PropertyStatus>> groups = new LinkedHashMap<>();
    for (PropertyStatus s : items) {
      DataItem item = a.property(s.name()).item();
      groups.computeIfAbsent(item.property(), k -> new ArrayList<>()).add(s);
    }
    List<EditorDiagnostic> out = new ArrayList<>();
    for (Map.Entry<String, List<PropertyStatus>> g : groups.entrySet()) {
      Map<PropertyStatus.State, List<Integer>> by = new LinkedHashMap<>();
      for (PropertyStatus s : g.getValue()) {
        by.computeIfAbsent(s.state(), k -> new ArrayList<>())
            .add(a.property(s.name()).item().index());
      }
      int total = g.getValue().size();
      int certified = by.getOrDefault(PropertyStatus.State.CERTIFIED, List.of()).size();
      int waiting = by.getOrDefault(PropertyStatus.State.PENDING, List.of()).size()
          + by.getOrDefault(PropertyStatus.State.RUNNING, List.of()).size();
      StringBuilder m = new StringBuilder(String.format(Locale.ROOT,
          "certified %d of %d (certified accuracy %.1f%%)", certified, total,
          100.0 * certified / total));
      for (PropertyStatus.State st : List.of(PropertyStatus.State.FALSIFIED,
          PropertyStatus.State.UNKNOWN, PropertyStatus.State.TIMEOUT,
          PropertyStatus.State.ERROR)) {
        List<Integer> idx = by.getOrDefault(st, List.of());
        if (!idx.isEmpty()) {
          m.append(", ").append(st.word()).append(' ').append(idx.size()).append(": item")
              .append(idx.size() == 1 ? " " : "s ").append(list(idx));
        }
      }
      if (waiting > 0) {
        m.append("; ").append(waiting).append(" still running");
      }
      boolean falsified = by.containsKey(PropertyStatus.State.FALSIFIED)
          || by.containsKey(PropertyStatus.State.ERROR);
      boolean open = waiting > 0 || by.containsKey(PropertyStatus.State.UNKNOWN)
          || by.containsKey(PropertyStatus.State.TIMEOUT);
      if (waiting == total) {
        continue; // nothing finished yet: nothing to say
      }
      Severity severity = falsified ? Severity.ERROR : open ? Severity.WARNING
          : Severity.INFORMATION;
      String code = falsified ? "falsified" : open ? "unknown" : "certified";
      out.add(new EditorDiagnostic(g.getValue().get(0).nameRange(), severity, code,
          m.toString(), List.of()));
    }
    return out;
  }

  /**
   * One information diagnostic per radius-search property ({@code largest eps in (a, b]}),
   * which the editor does not run (a bisection of many verifications per item): what it
   * searches and the command that finds the brackets.
   */
  static List<EditorDiagnostic> radiusSearches(Analysis a) {
    Map<String, List<CompiledProperty>> groups = new LinkedHashMap<>();
    for (CompiledProperty p : a.compilation().properties()) {
      if (p.radius() != null) {
        groups.computeIfAbsent(p.item() != null ? p.item().property() : p.name(),
            k -> new ArrayList<>()).add(p);
      }
    }
    List<EditorDiagnostic> out = new ArrayList<>();
    for (Map.Entry<String, List<CompiledProperty>> g : groups.entrySet()) {
      CompiledProperty first = g.getValue().get(0);
      var r = first.radius();
      int n = g.getValue().size();
      out.add(new EditorDiagnostic(a.propertyNameRange(first.name()), Severity.INFORMATION,
          "radius", String.format(Locale.ROOT, "radius search of %s in (%s, %s] to %s%s: run"
          + " robustspec verify FILE --property %s for the brackets [certified, falsified]",
          r.variable(), plain(r.from()), plain(r.to()), plain(r.tolerance()), first.item() != null ? " over " + n + " item"
          + (n == 1 ? "" : "s") : "", g.getKey()), List.of()));
    }
    return out;
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String list(List<Integer> items) {
    List<String> shown = items.stream().sorted().limit(12).map(String::valueOf).toList();
    return String.join(", ", shown) + (items.size() > 12 ? ", ..." : "");
  }
}
