package dev.robustspec.compiler.syntax;

import dev.robustspec.grammar.RobustSpecLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovering strategy (single-token insertion and deletion, then resynchronisation) with
 * messages written for the mistakes people make, in this order: a keyword typo gets "did you
 * mean" first; '=' or '==' where a formula needs a comparison says which comparisons exist; a
 * line that ends early (the next line starts a declaration) is reported at its last token, not on
 * the next line; an expected closer names the bracket still open; everything else is "unexpected
 * X; expected Y" with Y in words ({@link ExpectedWords}).
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {

  /**
   * Never deletes a declaration keyword to go on with the current declaration: the declaration
   * that keyword starts is then lost, and its tokens read as the broken one's (cascades).
   * Resynchronisation stops at the keyword instead, since a declaration may follow any other.
   */
  @Override
  protected Token singleTokenDeletion(Parser p) {
    Token next = p.getInputStream().LT(1);
    if (next != null && BlockRepair.DECLARATION_KEYWORDS.contains(next.getText())) {
      return null;
    }
    return super.singleTokenDeletion(p);
  }

  @Override
  protected void reportNoViableAlternative(Parser p, NoViableAltException e) {
    report(p, e.getOffendingToken(), expectedAt(p, e), e);
  }

  @Override
  protected void reportInputMismatch(Parser p, InputMismatchException e) {
    report(p, e.getOffendingToken(), e.getExpectedTokens(), e);
  }

  @Override
  protected void reportUnwantedToken(Parser p) {
    if (inErrorRecoveryMode(p)) {
      return;
    }
    beginErrorCondition(p);
    report(p, p.getCurrentToken(), getExpectedTokens(p), null);
  }

  @Override
  protected void reportMissingToken(Parser p) {
    if (inErrorRecoveryMode(p)) {
      return;
    }
    beginErrorCondition(p);
    report(p, p.getCurrentToken(), getExpectedTokens(p), null);
  }

  private static IntervalSet expectedAt(Parser p, RecognitionException e) {
    IntervalSet s = e.getExpectedTokens();
    return s == null || s.isNil() ? p.getExpectedTokens() : s;
  }

  private void report(Parser p, Token offending, IntervalSet expected, RecognitionException e) {
    TokenStream tokens = p.getInputStream();
    Token previous = previousVisible(tokens, offending);
    String words = ExpectedWords.describe(expected, p.getVocabulary());
    Token at = offending;
    String message;
    String typo = keywordTypo(offending, expected, p);
    if (typo != null) {
      message = "unexpected " + ExpectedWords.token(offending) + " (did you mean '" + typo
          + "'?)" + (words.equals("'" + typo + "'") ? "" : "; expected " + words);
    } else if (isText(offending, "=") || (isText(offending, "==") && inComparison(expected))) {
      message = "'" + offending.getText() + "' is not a comparison here; compare with <=, >=, <"
          + " or > ('==' and '!=' only follow argmax(...) or argmin(...))";
    } else if (offending.getType() == RobustSpecLexer.ERROR_CHAR
        && offending.getText().equals("\"")) {
      message = "this string is never closed; end it with '\"' on the same line";
    } else if (previous != null && endsEarly(offending, previous)) {
      at = previous;
      message = "expected " + words + " after " + ExpectedWords.token(previous)
          + (offending.getType() == Token.EOF ? " (the file ends here)"
              : " (line " + previous.getLine() + " ends here)");
    } else {
      message = "unexpected " + ExpectedWords.token(offending) + "; expected " + words
          + openBracketNote(tokens, offending, expected, p)
          + missingCommaNote(offending, previous, expected, p);
    }
    p.notifyErrorListeners(at, message, e);
  }

  /**
   * True when the next line starts a new declaration (or the file ends) while the current one
   * still needed something: the user stopped typing, the mistake is at the end of the line.
   */
  private static boolean endsEarly(Token offending, Token previous) {
    return offending.getType() == Token.EOF || offending.getLine() > previous.getLine()
        && BlockRepair.DECLARATION_KEYWORDS.contains(offending.getText());
  }

  private static boolean inComparison(IntervalSet expected) {
    return expected.contains(RobustSpecLexer.NUMBER) || expected.contains(
        RobustSpecLexer.IDENT);
  }

  private static boolean isText(Token t, String text) {
    return t != null && t.getType() != Token.EOF && t.getText().equals(text);
  }

  /** The keyword the name was meant to be: an expected keyword within a small edit distance. */
  private static String keywordTypo(Token offending, IntervalSet expected, Parser p) {
    if (offending == null || offending.getType() != RobustSpecLexer.IDENT) {
      return null;
    }
    String word = offending.getText().toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (int t : expected.toArray()) {
      String literal = t > 0 ? p.getVocabulary().getLiteralName(t) : null;
      if (literal == null || !Character.isLetter(literal.charAt(1))) {
        continue;
      }
      String keyword = literal.substring(1, literal.length() - 1);
      int d = editDistance(word, keyword);
      if (d < bestDistance) {
        bestDistance = d;
        best = keyword;
      }
    }
    return best != null && bestDistance > 0 && bestDistance <= Math.max(1, best.length() / 3)
        ? best : null;
  }

  /** " (the '[' on line 4 is still open)" when a closer was expected and its opener is above. */
  private static String openBracketNote(TokenStream tokens, Token offending, IntervalSet expected,
      Parser p) {
    Deque<Token> open = new ArrayDeque<>();
    for (int i = 0; i < offending.getTokenIndex() && i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      switch (t.getText()) {
        case "{", "[", "(" -> open.push(t);
        case "}", "]", ")" -> {
          if (!open.isEmpty()) {
            open.pop();
          }
        }
        default -> { }
      }
    }
    if (open.isEmpty()) {
      return "";
    }
    Token opener = open.peek();
    String closer = switch (opener.getText()) {
      case "{" -> "'}'";
      case "[" -> "']'";
      default -> "')'";
    };
    List<String> names = new ArrayList<>();
    for (int t : expected.toArray()) {
      names.add(t > 0 ? p.getVocabulary().getLiteralName(t) : null);
    }
    return names.contains(closer) && opener.getLine() < offending.getLine()
        ? " (the '" + opener.getText() + "' on line " + opener.getLine() + " is still open)" : "";
  }

  /** " (is a ',' missing before it?)" when a ',' fits and the next item starts on the line. */
  private static String missingCommaNote(Token offending, Token previous, IntervalSet expected,
      Parser p) {
    boolean itemStart = offending.getType() == RobustSpecLexer.IDENT
        || offending.getType() == RobustSpecLexer.NUMBER || isText(offending, "[");
    boolean commaFits = false;
    for (int t : expected.toArray()) {
      commaFits |= t > 0 && "','".equals(p.getVocabulary().getLiteralName(t));
    }
    return itemStart && commaFits && previous != null && previous.getLine() == offending.getLine()
        ? " (is a ',' missing before it?)" : "";
  }

  private static Token previousVisible(TokenStream tokens, Token t) {
    if (t == null) {
      return null;
    }
    for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
      Token c = tokens.get(i);
      if (c.getChannel() == Token.DEFAULT_CHANNEL) {
        return c;
      }
    }
    return null;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
