package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Semantic highlighting of names: what a name is (network, region, property, constant, pass,
 * pass parameter), which a TextMate grammar cannot know. Keywords, numbers and strings are left
 * to the grammar.
 */
public final class SemanticTokens {
  /** The token types, in legend order (LSP standard type names). */
  public static final List<String> TYPES =
      List.of("class", "type", "function", "variable", "method", "parameter");
  /** The modifiers, in legend order. */
  public static final List<String> MODIFIERS = List.of("declaration");

  private SemanticTokens() {}

  /** One token on one line: 0-based line and column, length, type index, modifier bits. */
  public record Token(int line, int column, int length, int type, int modifiers) {}

  static List<Token> tokens(Analysis a) {
    List<Token> out = new ArrayList<>();
    for (AstIndex.Occurrence o : a.index().occurrences) {
      AstIndex.Symbol s = a.index().byName.get(o.name());
      if (s != null) {
        add(out, o.range(), typeOf(s.kind()), o.declaration() ? 1 : 0);
      }
    }
    for (AstIndex.PassUse p : a.index().passes) {
      add(out, p.call().name().range(), 4, 0);
      for (Ast.Argument arg : p.call().arguments()) {
        if (arg != null && arg.name() != null) {
          add(out, arg.name().range(), 5, 0);
        }
      }
    }
    out.sort(Comparator.comparingInt(Token::line).thenComparingInt(Token::column));
    return out;
  }

  private static int typeOf(AstIndex.Kind kind) {
    switch (kind) {
      case NETWORK:
        return 0;
      case REGION:
        return 1;
      case PROPERTY:
        return 2;
      default:
        return 3;
    }
  }

  private static void add(List<Token> out, SourceRange r, int type, int modifiers) {
    if (r == null || r.startLine() != r.endLine() || r.endColumn() <= r.startColumn()) {
      return; // names are one line; a multi-line range is a recovery artefact
    }
    out.add(new Token(r.startLine() - 1, r.startColumn() - 1, r.endColumn() - r.startColumn(),
        type, modifiers));
  }
}
