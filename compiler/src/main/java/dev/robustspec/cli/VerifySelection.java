package dev.robustspec.cli;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which of a file's properties {@code verify} cannot run because they (or what they use) have errors. */
final class VerifySelection {
  private VerifySelection() {}

  /** The declared properties the checker left out of the model, in file order. */
  static List<String> withErrors(Compilation c) {
    Set<String> compiled = c.properties().stream().map(CompiledProperty::name)
        .collect(Collectors.toSet());
    List<String> left = new ArrayList<>();
    for (Ast.Decl d : c.ast().declarations()) {
      if (d instanceof Ast.PropertyDecl p && !compiled.contains(p.name().text())) {
        left.add(p.name().text());
      }
    }
    return left;
  }
}
