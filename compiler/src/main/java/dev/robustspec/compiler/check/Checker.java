package dev.robustspec.compiler.check;

import static dev.robustspec.compiler.check.CheckContext.kind;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.engine.plan.PropertyPlan;
import dev.robustspec.compiler.syntax.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds and checks a parsed {@code .rspec} file and lowers it to the engine's form: networks,
 * regions as boxes, each property's negation as unsafe cases, and plans. Every problem becomes a
 * {@link SpecDiagnostic}; the checker never throws, and a declaration with an error is left out
 * of the model without stopping the others.
 */
public final class Checker {
  private final CheckContext check;
  private final ValueEvaluator values;
  private final NetworkChecker networks;
  private final RegionChecker regions;
  private final PropertyLowering properties;
  private final PlanChecker plans;
  private final DatasetChecker datasets;
  private final DatasetLowering datasetProperties;
  private final RadiusLowering radiusProperties;

  private Checker(String fileName, Path baseDir, FileLoader loader, String brokenSource,
      Map<String, Double> params) {
    check = new CheckContext(fileName, baseDir, loader, brokenSource);
    values = new ValueEvaluator(check, params);
    networks = new NetworkChecker(check, values);
    regions = new RegionChecker(check, values);
    properties = new PropertyLowering(check, values);
    plans = new PlanChecker(check, values);
    datasets = new DatasetChecker(check, values);
    radiusProperties = new RadiusLowering(check, values, regions, properties);
    datasetProperties = new DatasetLowering(check, values, regions, properties, datasets,
        radiusProperties);
  }

  /** Compiles the file at {@code file}; an unreadable file is a diagnostic, not an exception. */
  public static Compilation compileFile(Path file, FileLoader loader) {
    return compileFile(file, loader, Map.of());
  }

  /**
   * As {@link #compileFile(Path, FileLoader)}, with {@code params} overriding the values of the
   * file's {@code param} declarations ({@code --set eps=0.05}); see {@link #params}.
   */
  public static Compilation compileFile(Path file, FileLoader loader,
      Map<String, Double> params) {
    String text;
    try {
      text = dev.robustspec.engine.io.Utf8Text.read(file);
    } catch (IOException | RuntimeException e) {
      String why = Files.exists(file) ? "cannot read the file: " + e.getMessage()
          : "no such file";
      return new Compilation(file.toString(), "", new Ast.SpecFile(List.of()),
          List.of(SpecDiagnostic.of(SpecErrorCode.FILE_NOT_FOUND, SourceRange.NONE, why)),
          Map.of(), Map.of(), List.of());
    }
    Path dir = file.toAbsolutePath().getParent();
    return compile(file.toString(), text, dir, loader, params);
  }

  /** The names of a file's {@code param} declarations, in order. */
  public static List<String> params(Ast.SpecFile file) {
    List<String> names = new ArrayList<>();
    for (Ast.Decl d : file.declarations()) {
      if (d instanceof Ast.LetDecl l && l.param()) {
        names.add(l.name().text());
      }
    }
    return names;
  }

  /**
   * Compiles {@code text}; relative paths in it are resolved against {@code baseDir}.
   */
  public static Compilation compile(String fileName, String text, Path baseDir,
      FileLoader loader) {
    return compile(fileName, text, baseDir, loader, Map.of());
  }

  /** As above, with {@code params} overriding {@code param} declarations. */
  public static Compilation compile(String fileName, String text, Path baseDir,
      FileLoader loader, Map<String, Double> params) {
    SpecParser.Result parsed = SpecParser.parse(text);
    boolean broken = !parsed.diagnostics().isEmpty();
    Checker c = new Checker(fileName, baseDir, loader, broken ? text : null, params);
    c.check.diagnostics.addAll(parsed.diagnostics());
    List<CompiledProperty> compiled = new ArrayList<>();
    try {
      compiled = c.check(parsed);
    } catch (RuntimeException e) {
      c.check.diagnostics.add(SpecDiagnostic.of(SpecErrorCode.INTERNAL, SourceRange.NONE,
          "internal error in the checker (please report it): " + e));
    }
    dropConsequencesOfSyntaxErrors(c.check.diagnostics);
    c.check.diagnostics.sort((a, b) -> a.range().startOffset() != b.range().startOffset()
        ? Integer.compare(a.range().startOffset(), b.range().startOffset())
        : a.code().compareTo(b.code()));
    return new Compilation(fileName, text, parsed.file(), c.check.diagnostics, c.check.networks,
        c.check.regions, compiled);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Removes the other diagnostics on a line that has a syntax error: what the parser made of a
   * line it had to repair (a keyword it inserted, a declaration it read as a formula) only
   * produces follow-on errors, and one typo should read as one error.
   */
  private static void dropConsequencesOfSyntaxErrors(List<SpecDiagnostic> diagnostics) {
    java.util.Set<Integer> brokenLines = new java.util.HashSet<>();
    for (SpecDiagnostic d : diagnostics) {
      if (d.code() == SpecErrorCode.SYNTAX) {
        brokenLines.add(d.range().startLine());
      }
    }
    diagnostics.removeIf(d -> d.code() != SpecErrorCode.SYNTAX
        && brokenLines.contains(d.range().startLine()));
  }

  private List<CompiledProperty> check(SpecParser.Result parsed) {
    Ast.SpecFile file = parsed.file();
    for (Ast.Decl d : file.declarations()) {
      if (d instanceof Ast.NamedDecl n) {
        Ast.NamedDecl previous = check.symbols.get(n.name().text());
        if (previous != null) {
          check.report(SpecErrorCode.DUPLICATE_NAME, n.name().range(), "'" + n.name().text()
              + "' is already declared as a " + kind(previous) + " on line "
              + previous.name().range().startLine() + "; choose another name");
          continue;
        }
        check.symbols.put(n.name().text(), n);
      }
    }
    // What the parser made of a declaration it recovered over is a guess: left out (and its name
    // marked failed, so its uses stay silent), its syntax error says it all.
    List<Ast.Decl> readable = new ArrayList<>();
    for (Ast.Decl d : file.declarations()) {
      if (!parsed.isRecovered(d)) {
        readable.add(d);
      } else if (d instanceof Ast.NamedDecl n) {
        check.failed.add(n.name().text());
      }
    }
    Map<String, PropertyPlan> plans = new HashMap<>();
    for (Ast.Decl d : readable) {
      guarded(d, () -> {
        if (d instanceof Ast.LetDecl l && check.symbols.get(l.name().text()) == l) {
          values.letValue(l.name().text(), l.name().range());
        } else if (d instanceof Ast.NetworkDecl n && check.symbols.get(n.name().text()) == n) {
          networks.network(n);
        } else if (d instanceof Ast.RegionDecl r && check.symbols.get(r.name().text()) == r) {
          regions.region(r);
        } else if (d instanceof Ast.DatasetDecl s && check.symbols.get(s.name().text()) == s) {
          datasets.dataset(s);
        } else if (d instanceof Ast.VerifyDecl v) {
          this.plans.verify(v, plans);
        }
      });
    }
    List<CompiledProperty> compiled = new ArrayList<>();
    for (Ast.Decl d : readable) {
      if (d instanceof Ast.PropertyDecl p && check.symbols.get(p.name().text()) == p) {
        guarded(d, () -> {
          if (p instanceof Ast.DatasetProperty dp) {
            PropertyPlan written = plans.get(p.name().text());
            for (CompiledProperty item : datasetProperties.expand(dp)) {
              compiled.add(this.properties.withPlan(item, written));
            }
            return;
          }
          if (p instanceof Ast.RadiusProperty rp) {
            CompiledProperty cp = radiusProperties.property(rp);
            if (cp != null) {
              compiled.add(this.properties.withPlan(cp, plans.get(p.name().text())));
            }
            return;
          }
          CompiledProperty cp = this.properties.property(p, plans.get(p.name().text()));
          if (cp != null) {
            compiled.add(cp);
          }
        });
      }
    }
    check.reportMisfits();
    // with syntax errors, a use may sit in text the parser could not read: no unused warnings
    for (Ast.NamedDecl n : check.hasSyntaxErrors() ? List.<Ast.NamedDecl>of()
        : check.symbols.values()) {
      if (!(n instanceof Ast.PropertyDecl) && !check.used.contains(n.name().text())
          && !check.failed.contains(n.name().text()) && !check.unresolved.contains(kind(n))) {
        check.report(SpecErrorCode.UNUSED, n.name().range(), "the " + kind(n) + " '"
            + n.name().text() + "' is never used");
      }
    }
    return compiled;
  }

  private void guarded(Ast.Decl d, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      check.report(SpecErrorCode.INTERNAL, d.range(),
          "internal error while checking this declaration (please report it): " + e);
    }
  }
}
