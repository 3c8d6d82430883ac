package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Go to definition, find references, document symbols and rename of declared names. */
public final class Navigation {
  /** The keywords of the language (docs/language.md): never a valid new name. */
  static final Set<String> KEYWORDS = Set.of("let", "param", "network", "region", "dataset", "property", "verify",
      "using", "input", "dense", "relu", "box", "linf", "clip", "forall", "in", "on", "not", "and",
      "or", "argmax", "argmin");

  private Navigation() {}

  /** A range in a document. */
  public record Location(String uri, SourceRange range) {}

  /** A declaration for the outline: name, kind word, the whole declaration and its name. */
  public record DocumentSymbol(String name, String kind, SourceRange range,
      SourceRange nameRange) {}

  /** Edits of a rename (all in one document: names are file-local), or why it cannot be done. */
  public record Rename(List<SourceRange> edits, String newName) {}

  static List<Location> definition(Analysis a, int offset) {
    AstIndex.Occurrence o = a.index().occurrenceAt(offset);
    if (o == null) {
      return List.of();
    }
    AstIndex.Symbol s = a.index().byName.get(o.name());
    return s == null ? List.of() : List.of(new Location(a.uri(), s.nameRange()));
  }

  static List<Location> references(Analysis a, int offset, boolean withDeclaration) {
    AstIndex.Occurrence o = a.index().occurrenceAt(offset);
    if (o == null) {
      return List.of();
    }
    List<Location> out = new ArrayList<>();
    for (AstIndex.Occurrence r : a.index().occurrencesOf(o.name())) {
      if (withDeclaration || !r.declaration()) {
        out.add(new Location(a.uri(), r.range()));
      }
    }
    return out;
  }

  static List<DocumentSymbol> symbols(Analysis a) {
    List<DocumentSymbol> out = new ArrayList<>();
    for (AstIndex.Symbol s : a.index().symbols) {
      out.add(new DocumentSymbol(s.name(), s.kind().name().toLowerCase(java.util.Locale.ROOT),
          s.decl().range(), s.nameRange()));
    }
    return out;
  }

  /** The range of the declared name at {@code offset}, or null when nothing there renames. */
  static SourceRange prepareRename(Analysis a, int offset) {
    AstIndex.Occurrence o = a.index().occurrenceAt(offset);
    return o != null && a.index().byName.containsKey(o.name()) ? o.range() : null;
  }

  static Rename rename(Analysis a, int offset, String newName)
      throws LanguageService.ServiceException {
    AstIndex.Occurrence o = a.index().occurrenceAt(offset);
    if (o == null || !a.index().byName.containsKey(o.name())) {
      throw new LanguageService.ServiceException("only a declared name can be renamed");
    }
    if (!newName.matches("[A-Za-z_][A-Za-z0-9_]*") || KEYWORDS.contains(newName)) {
      throw new LanguageService.ServiceException("'" + newName + "' is not a valid name"
          + " (letters, digits and _, not starting with a digit, not a keyword)");
    }
    if (!newName.equals(o.name()) && a.index().byName.containsKey(newName)) {
      throw new LanguageService.ServiceException("'" + newName + "' is already declared on line "
          + a.index().byName.get(newName).nameRange().startLine());
    }
    List<SourceRange> edits = new ArrayList<>();
    for (AstIndex.Occurrence r : a.index().occurrencesOf(o.name())) {
      edits.add(r.range());
    }
    return new Rename(edits, newName);
  }
}
