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

  /** The compilation to verify, or null (said on err) when the file cannot be read. */
  static Compilation compile(Path file, List<String> sets, String sweep, PrintWriter err) {
    Map<String, Double> fixed = new LinkedHashMap<>();
    for (String s : sets) {
      String[] kv = split(s, "--set");
      fixed.put(kv[0], number(kv[1], "--set " + s));
    }
    String sweptName = null;
    List<String> sweptValues = List.of();
    if (sweep != null) {
      String[] kv = split(sweep, "--sweep");
      sweptName = kv[0];
      sweptValues = List.of(kv[1].split(","));
      if (fixed.containsKey(sweptName)) {
        throw new IllegalArgumentException("'" + sweptName + "' is both --set and --sweep; give"
            + " it one of them");
      }
    }
    Compilation first = SpecFiles.load(file, err);
    if (first == null) {
      return null;
    }
    List<String> params = Checker.params(first.ast());
    Set<String> asked = new LinkedHashSet<>(fixed.keySet());
    if (sweptName != null) {
      asked.add(sweptName);
    }
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
    if (sweptName == null) {
      return fixed.isEmpty() ? first
          : Checker.compileFile(file, FileLoader.direct(), fixed);
    }
    List<SpecDiagnostic> diagnostics = new ArrayList<>();
    List<CompiledProperty> properties = new ArrayList<>();
    Compilation last = first;
    for (String text : sweptValues) {
      Map<String, Double> values = new LinkedHashMap<>(fixed);
      values.put(sweptName, number(text.strip(), "--sweep " + sweep));
      Compilation c = Checker.compileFile(file, FileLoader.direct(), values);
      for (SpecDiagnostic d : c.diagnostics()) {
        if (!diagnostics.contains(d)) {
          diagnostics.add(d);
        }
      }
      String suffix = "@" + sweptName + "=" + text.strip();
      for (CompiledProperty p : c.properties()) {
        DataItem item = p.item() == null ? null
            : new DataItem(p.item().property() + suffix, p.item().index(), p.item().label(),
                p.item().center());
        properties.add(new CompiledProperty(p.name() + suffix, p.networkName(), p.network(),
            p.specification(), p.plan(), p.range(), p.outputNames(), item, p.radius()));
      }
      last = c;
    }
    return new Compilation(first.fileName(), first.source(), first.ast(), diagnostics,
        last.networks(), last.regions(), properties);
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
