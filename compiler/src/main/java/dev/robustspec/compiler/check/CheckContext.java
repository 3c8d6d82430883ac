package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledNetwork;
import dev.robustspec.compiler.check.Compilation.CompiledRegion;
import dev.robustspec.compiler.diag.EditDistance;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.spec.Specification;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every part of the checker shares while checking one file: the declared names, what was
 * used or failed, the checked networks and regions, where files are, and the diagnostics.
 */
final class CheckContext {
  final String fileName;
  final Path baseDir;
  final FileLoader loader;
  final List<SpecDiagnostic> diagnostics = new ArrayList<>();
  final Map<String, Ast.NamedDecl> symbols = new LinkedHashMap<>();
  final Set<String> failed = new HashSet<>();
  final Set<String> used = new HashSet<>();
  /**
   * Kinds ("region", "value", ...) of which a use named nothing or the wrong thing: a declaration
   * of that kind left unused is most likely the one meant, so it gets no "never used" warning.
   */
  final Set<String> unresolved = new HashSet<>();
  final Map<String, CompiledNetwork> networks = new LinkedHashMap<>();
  final Map<String, CompiledRegion> regions = new LinkedHashMap<>();

  /** The source text, when it had syntax errors (to recognise their consequences), else null. */
  private final String brokenSource;

  CheckContext(String fileName, Path baseDir, FileLoader loader, String brokenSource) {
    this.fileName = fileName;
    this.baseDir = baseDir;
    this.loader = loader;
    this.brokenSource = brokenSource;
  }

  Specification vnnlib(Ast.FileSource src) {
    if (!src.kind().text().equals("vnnlib")) {
      report(SpecErrorCode.UNKNOWN_SOURCE, src.kind().range(), "unknown source '"
          + src.kind().text() + "'; regions and properties come from vnnlib(\"file.vnnlib\")");
      return null;
    }
    Path p = baseDir.resolve(src.path());
    try {
      return loader.vnnlib(p);
    } catch (InputFormatException e) {
      fileError(e, src.path(), p, src.pathRange());
      return null;
    }
  }

  CompiledNetwork networkRef(Ast.Ident id) {
    Ast.NamedDecl d = symbols.get(id.text());
    if (d == null) {
      undefined(id, "network", Ast.NetworkDecl.class);
      return null;
    }
    used.add(id.text());
    if (!(d instanceof Ast.NetworkDecl)) {
      report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a " + kind(d)
          + ", not a network");
      unresolved.add("network");
      return null;
    }
    return networks.get(id.text()); // null when the network itself had errors
  }

  CompiledRegion regionRef(Ast.Ident id) {
    Ast.NamedDecl d = symbols.get(id.text());
    if (d == null) {
      undefined(id, "region", Ast.RegionDecl.class);
      return null;
    }
    used.add(id.text());
    if (!(d instanceof Ast.RegionDecl)) {
      report(SpecErrorCode.WRONG_KIND, id.range(), "'" + id.text() + "' is a " + kind(d)
          + ", not a region");
      unresolved.add("region");
      return null;
    }
    return regions.get(id.text());
  }

  void fileError(InputFormatException e, String written, Path resolved,
      SourceRange range) {
    String problem = e.problem();
    if (problem.equals("no such file") || problem.equals("not a readable file")) {
      report(SpecErrorCode.FILE_NOT_FOUND, range, "cannot read '" + written + "': " + problem
          + " (looked for " + resolved.normalize() + "; paths are relative to this file)");
    } else if (problem.contains("unsupported ONNX operator")) {
      report(SpecErrorCode.UNSUPPORTED_OPERATOR, range, "'" + written + "': " + problem);
    } else {
      String where = e.line() > 0 ? ":" + e.line() + (e.column() > 0 ? ":" + e.column() : "")
          : "";
      report(SpecErrorCode.MALFORMED_FILE, range, "'" + written + where + "': " + problem);
    }
  }

  boolean hasSyntaxErrors() {
    return brokenSource != null;
  }

  /** Undefined names already reported, by name: a later use is a related place of the first. */
  private final Map<String, Integer> undefinedReported = new LinkedHashMap<>();

  void undefined(Ast.Ident id, String what, Class<?> kind) {
    if (brokenSource != null && java.util.regex.Pattern.compile("(?m)^\\s*(?:[A-Za-z_]\\w*\\s+"
        + java.util.regex.Pattern.quote(id.text()) + "\\s*[={:]|(?:let|network|region|property)\\s+"
        + java.util.regex.Pattern.quote(id.text()) + "\\b)").matcher(brokenSource).find()) {
      return; // declared by a declaration the parser could not read: its syntax error says it all
    }
    Integer first = undefinedReported.get(what + " " + id.text());
    if (first != null) { // one error per misspelt name, its other uses as related places
      SpecDiagnostic d = diagnostics.get(first);
      List<SpecDiagnostic.Related> related = new ArrayList<>(d.related());
      related.add(new SpecDiagnostic.Related(id.range(), "'" + id.text() + "' is used here too"));
      diagnostics.set(first, new SpecDiagnostic(d.code(), d.severity(), d.range(), d.message(),
          related));
      return;
    }
    List<String> candidates = new ArrayList<>();
    for (Ast.NamedDecl d : symbols.values()) {
      if (kind.isInstance(d)) {
        candidates.add(d.name().text());
      }
    }
    String suggestion = suggestion(id.text(), candidates);
    unresolved.add(what);
    undefinedReported.put(what + " " + id.text(), diagnostics.size());
    report(SpecErrorCode.UNDEFINED_NAME, id.range(), "no " + what + " named '" + id.text()
        + "'" + suggestion);
  }

  /** " (did you mean 'x'?)" for the closest candidate within a small edit distance, else "". */
  static String suggestion(String name, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = EditDistance.between(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(1, Math.min(3, name.length() / 3))
        ? " (did you mean '" + best + "'?)" : "";
  }

  static String kind(Ast.NamedDecl d) {
    if (d instanceof Ast.LetDecl l) {
      return l.param() ? "param" : "value";
    }
    if (d instanceof Ast.DatasetDecl) {
      return "dataset";
    }
    if (d instanceof Ast.NetworkDecl) {
      return "network";
    }
    if (d instanceof Ast.RegionDecl) {
      return "region";
    }
    return "property";
  }

  /** "1 output", "5 outputs". */
  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Uses of a region with a network of another input size, by region and network. */
  private final Map<List<String>, List<Misfit>> misfits = new LinkedHashMap<>();

  private record Misfit(String property, SpecDiagnostic.Related use, String problem) {}

  /**
   * Records that {@code property} uses a region with a network whose input size differs; the
   * error is reported once, at the region ({@link #reportMisfits}), the uses as related places.
   */
  void regionDoesNotFit(CompiledRegion region, String network, int inputs, String property,
      SourceRange use) {
    misfits.computeIfAbsent(List.of(region.name(), network), k -> new ArrayList<>())
        .add(new Misfit(property, new SpecDiagnostic.Related(use, "used with network '"
            + network + "' by property '" + property + "'"), "region '" + region.name()
            + "' has " + count(region.dimension(), "dimension") + " but network '" + network
            + "' takes " + count(inputs, "input")));
  }

  void reportMisfits() {
    misfits.forEach((key, uses) -> {
      List<String> properties = uses.stream().map(Misfit::property).toList();
      String users = properties.size() == 1 ? "property " + properties.get(0) + " uses"
          : "properties " + String.join(", ", properties.subList(0, properties.size() - 1))
              + " and " + properties.get(properties.size() - 1) + " use";
      diagnostics.add(SpecDiagnostic.of(SpecErrorCode.DIMENSION_MISMATCH,
          symbols.get(key.get(0)).name().range(), uses.get(0).problem() + "; " + users
              + " it with '" + key.get(1) + "'", uses.stream().map(Misfit::use).toList()));
    });
  }

  void report(SpecErrorCode code, SourceRange range, String message) {
    diagnostics.add(SpecDiagnostic.of(code, range == null ? SourceRange.NONE : range, message));
  }
}
