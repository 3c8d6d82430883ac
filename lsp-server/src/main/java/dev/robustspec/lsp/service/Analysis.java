package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import java.util.Map;

/**
 * One version of a document, compiled: the text, the checker's model, the name index and each
 * compiled property's content key (see {@link Fingerprints}). Immutable; features read it
 * without locks.
 */
record Analysis(String uri, int version, String text, Compilation compilation, AstIndex index,
    Map<String, String> keys, LineIndex lines) {

  CompiledProperty property(String name) {
    for (CompiledProperty p : compilation.properties()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** The range of a property's name in the text (where its verdict is shown). */
  SourceRange propertyNameRange(String name) {
    AstIndex.Symbol s = index.byName.get(name);
    CompiledProperty p = s == null ? property(name) : null;
    if (p != null && p.item() != null) {
      s = index.byName.get(p.item().property()); // an item's verdict sits on its declaration
    }
    return s != null && s.kind() == AstIndex.Kind.PROPERTY ? s.nameRange() : SourceRange.NONE;
  }

  Ast.SpecFile ast() {
    return compilation.ast();
  }
}
