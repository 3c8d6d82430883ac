package dev.robustspec.cli;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.DataItem;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify --set NAME=V} and {@code --sweep NAME=V1,V2}: the file compiled with its
 * {@code param} declarations overridden, once per swept value, as one compilation whose
 * properties are named {@code p@NAME=V} when sweeping (so that each value has its own rows,
 * keys for {@code --resume}, and data-set summary).
 */
final class ParamRuns {
  private ParamRuns() {}

  /**
   * One compilation of the file: the param values it overrides and the suffix of its
   * properties' names ({@code @eps=0.05} when sweeping, else empty).
   */
  record Setting(String suffix, Map<String, Double> values) implements java.io.Serializable {
    Setting {
      values = Map.copyOf(values);
    }
  }

  /** The compilation to verify, or null (said on err) when the file cannot be read. */
  static Compilation compile(Path file, List<String> sets, String sweep, PrintWriter err) {
    return compile(file, FileLoader.direct(), sets, sweep, err);
  }

  /** As above, reading the files the .rspec file names through {@code loader}. */
  static Compilation compile(Path file, FileLoader loader, List<String> sets, String sweep,
      PrintWriter err) {
    List<Setting> settings = settings(sets, sweep);
    Compilation first = SpecFiles.load(file, loader, err);
    if (first == null) {
      return null;
    }
    List<String> params = Checker.params(first.ast());
    Set<String> asked = new LinkedHashSet<>(settings.get(0).values().keySet());
    for (String name : asked) {
      if (!params.contains(name)) {
        boolean let = first.ast().declarations().stream().anyMatch(d -> d instanceof Ast.LetDecl l
            && l.name().text().equals(name));
        throw new IllegalArgumentException(let ? "'" + name + "' is a let; declare it with"
            + " 'param " + name + " = ...' to set it from the command line"
            : "no param named '" + name + "' in " + file + (params.isEmpty()
            ? " (it declares none; write e.g. param eps = 0.03)"
            : "; its params: " + String.join(", ", params)));
      }
    }
    if (sweep == null) {
      Map<String, Double> fixed = settings.get(0).values();
      return fixed.isEmpty() ? first : Checker.compileFile(file, loader, fixed);
    }
    List<SpecDiagnostic> diagnostics = new ArrayList<>();
    List<CompiledProperty> properties = new ArrayList<>();
    Compilation last = first;
    for (Setting setting : settings) {
      Compilation c = Checker.compileFile(file, loader, setting.values());
      for (SpecDiagnostic d : c.diagnostics()) {
        if (!diagnostics.contains(d)) {
          diagnostics.add(d);
        }
      }
      for (CompiledProperty p : c.properties()) {
        properties.add(named(p, setting.suffix()));
      }
      last = c;
    }
    return new Compilation(first.fileName(), first.source(), first.ast(), diagnostics,
        last.networks(), last.regions(), properties);
  }

  /**
   * The compilations {@code --set} and {@code --sweep} ask for: one without a sweep, else one
   * per swept value (in the order given), each with the {@code --set} values too.
   */
  static List<Setting> settings(List<String> sets, String sweep) {
    Map<String, Double> fixed = new LinkedHashMap<>();
    for (String s : sets) {
      String[] kv = split(s, "--set");
      fixed.put(kv[0], number(kv[1], "--set " + s));
    }
    if (sweep == null) {
      return List.of(new Setting("", fixed));
    }
    String[] kv = split(sweep, "--sweep");
    String sweptName = kv[0];
    if (fixed.containsKey(sweptName)) {
      throw new IllegalArgumentException("'" + sweptName + "' is both --set and --sweep; give"
          + " it one of them");
    }
    List<Setting> settings = new ArrayList<>();
    for (String text : kv[1].split(",")) {
      Map<String, Double> values = new LinkedHashMap<>(fixed);
      values.put(sweptName, number(text.strip(), "--sweep " + sweep));
      settings.add(new Setting("@" + sweptName + "=" + text.strip(), values));
    }
    return settings;
  }

  /** {@code p} with {@code suffix} added to its name (and its data item's property's name). */
  static CompiledProperty named(CompiledProperty p, String suffix) {
    if (suffix.isEmpty()) {
      return p;
    }
    DataItem item = p.item() == null ? null
        : new DataItem(p.item().property() + suffix, p.item().index(), p.item().label(),
            p.item().center());
    return new CompiledProperty(p.name() + suffix, p.networkName(), p.network(),
        p.specification(), p.plan(), p.range(), p.outputNames(), item, p.radius());
  }

  private static String[] split(String s, String option) {
    int eq = s.indexOf('=');
    if (eq <= 0 || eq == s.length() - 1) {
      throw new IllegalArgumentException(option + " takes NAME=VALUE" + (option.equals("--sweep")
          ? "S (e.g. --sweep eps=0.01,0.02,0.03)" : " (e.g. --set eps=0.05)") + ", not '" + s
          + "'");
    }
    return new String[] {s.substring(0, eq).strip(), s.substring(eq + 1).strip()};
  }

  private static double number(String text, String where) {
    try {
      double v = Double.parseDouble(text);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(where + ": '" + text + "' is not a number");
  }
}
