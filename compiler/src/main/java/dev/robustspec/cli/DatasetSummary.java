package dev.robustspec.cli;

import dev.robustspec.compiler.check.Compilation.DataItem;
import dev.robustspec.compiler.service.PropertyRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-property summary of properties quantified over a data set, after {@code verify}'s
 * table: {@code robust: certified 93 of 100 (certified accuracy 93.0%), falsified 5 (items 8,
 * 17, ...), unknown 2 (items ...)}. Resumed rows count by their names ({@code p[index]}).
 */
final class DatasetSummary {
  private DatasetSummary() {}

  /** {@code quantified}: the names of the file's properties over a data set, in file order. */
  static void print(List<String> quantified, List<String[]> resumed,
      List<PropertyRunner.Outcome> outcomes, PrintWriter out) {
    Map<String, Map<String, List<Integer>>> groups = new LinkedHashMap<>();
    quantified.forEach(q -> groups.put(q, new LinkedHashMap<>()));
    for (PropertyRunner.Outcome o : outcomes) {
      DataItem item = o.property().item();
      if (item != null) {
        add(groups, item.property(), PropertyResults.word(o.result().verdict()), item.index());
      }
    }
    for (String[] r : resumed) {
      int open = r[0].lastIndexOf('[');
      if (open > 0 && r[0].endsWith("]") && groups.containsKey(r[0].substring(0, open))) {
        try {
          add(groups, r[0].substring(0, open), r[2],
              Integer.parseInt(r[0].substring(open + 1, r[0].length() - 1)));
        } catch (NumberFormatException e) {
          // not an item's row
        }
      }
    }
    groups.values().removeIf(Map::isEmpty);
    if (groups.isEmpty()) {
      return;
    }
    out.println();
    for (Map.Entry<String, Map<String, List<Integer>>> g : groups.entrySet()) {
      Map<String, List<Integer>> byVerdict = g.getValue();
      int total = byVerdict.values().stream().mapToInt(List::size).sum();
      int certified = byVerdict.getOrDefault("certified", List.of()).size();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
          "%s: certified %d of %d (certified accuracy %.1f%%)", g.getKey(), certified, total,
          100.0 * certified / total));
      for (String verdict : List.of("falsified", "unknown", "timeout")) {
        List<Integer> items = byVerdict.getOrDefault(verdict, List.of());
        if (!items.isEmpty()) {
          line.append(", ").append(verdict).append(' ').append(items.size()).append(" (item")
              .append(items.size() == 1 ? " " : "s ").append(list(items)).append(')');
        }
      }
      out.println(line);
    }
  }

  private static void add(Map<String, Map<String, List<Integer>>> groups, String property,
      String verdict, int index) {
    groups.computeIfAbsent(property, k -> new LinkedHashMap<>())
        .computeIfAbsent(verdict, k -> new ArrayList<>()).add(index);
  }

  private static String list(List<Integer> items) {
    List<Integer> sorted = items.stream().sorted().toList();
    List<String> shown = sorted.stream().limit(12).map(String::valueOf).toList();
    return String.join(", ", shown) + (sorted.size() > 12 ? ", ..." : "");
  }
}
