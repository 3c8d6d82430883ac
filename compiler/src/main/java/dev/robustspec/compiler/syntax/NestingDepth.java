package dev.robustspec.compiler.syntax;

import dev.robustspec.compiler.ast.SourceRange;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * A token-level bound on how deep the parse tree (and so every recursive walk over the AST) will
 * be, computed before the parser runs: the parser, the AST builder and the evaluators all recurse
 * once per level, and 100k nested parentheses overflowed the Java stack. Each open bracket counts
 * one level, and so does each operator (unary or binary: {@code + - * / not and or -> <= ...}) met
 * since the last comma inside the same brackets, since a chain {@code a + b + c} parses as the
 * nested tree {@code (a + b) + c}. This over-counts a little ({@code a * b + c * d} counts 3 for a
 * depth of 2), never under-counts. A declaration keyword starts again from zero.
 */
final class NestingDepth {
  /** The deepest nesting accepted; docs/language.md documents it. */
  static final int LIMIT = 500;

  private static final Set<String> OPENING = Set.of("(", "[", "{");
  private static final Set<String> CLOSING = Set.of(")", "]", "}");
  private static final Set<String> OPERATORS = Set.of("+", "-", "*", "/", "not", "and", "or",
      "->", "<=", ">=", "<", ">", "==", "!=");
  private static final Set<String> DECLARATION_KEYWORDS =
      Set.of("let", "param", "network", "region", "dataset", "property", "verify");

  private NestingDepth() {}

  /** Where the nesting first goes deeper than {@link #LIMIT}, if it does. */
  static Optional<SourceRange> firstTooDeep(List<Token> tokens) {
    Deque<int[]> operatorsPerBracket = new ArrayDeque<>(); // [operators since the last comma]
    int[] top = {0};
    int depth = 0;
    for (Token t : tokens) {
      if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getType() == Token.EOF) {
        continue;
      }
      String text = t.getText();
      if (DECLARATION_KEYWORDS.contains(text)) {
        operatorsPerBracket.clear();
        top = new int[] {0};
        depth = 0;
      } else if (OPENING.contains(text)) {
        operatorsPerBracket.push(top);
        top = new int[] {0};
        depth++;
      } else if (CLOSING.contains(text)) {
        if (!operatorsPerBracket.isEmpty()) {
          depth -= 1 + top[0];
          top = operatorsPerBracket.pop();
        }
      } else if (text.equals(",")) {
        depth -= top[0];
        top[0] = 0;
      } else if (OPERATORS.contains(text)) {
        top[0]++;
        depth++;
      }
      if (depth > LIMIT) {
        int start = t.getStartIndex();
        int length = Math.max(1, t.getStopIndex() - start + 1);
        return Optional.of(new SourceRange(t.getLine(), t.getCharPositionInLine() + 1, t.getLine(),
            t.getCharPositionInLine() + 1 + length, start, start + length));
      }
    }
    return Optional.empty();
  }
}
