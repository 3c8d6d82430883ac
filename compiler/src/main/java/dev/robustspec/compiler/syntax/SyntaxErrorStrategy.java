package dev.robustspec.compiler.syntax;

import dev.robustspec.compiler.diag.EditDistance;
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
    String typo = keywordTypo(offending, expected, p, false);
    String special = special(p, offending, previous, expected);
    if (typo != null) {
      message = "unexpected " + ExpectedWords.token(offending) + " (did you mean '" + typo
          + "'?)" + (words.equals("'" + typo + "'") ? "" : "; expected " + words);
    } else if (special != null) {
      message = special;
    } else if (previous != null && endsEarly(offending, previous)) {
      at = previous;
      message = "expected " + words + " after " + ExpectedWords.token(previous)
          + (offending.getType() == Token.EOF ? " (the file ends here)"
              : " (line " + previous.getLine() + " ends here)");
    } else if ((typo = keywordTypo(offending, expected, p, true)) != null) {
      message = "unexpected " + ExpectedWords.token(offending) + " (did you mean '" + typo
          + "'?)";
    } else if (e instanceof NoViableAltException nv
        && declarationShape(nv, offending, previous, tokens) != null) {
      message = "unexpected " + ExpectedWords.token(offending) + "; expected "
          + declarationShape(nv, offending, previous, tokens);
    } else if (declarationEnded(offending, previous, expected, p)) {
      message = "unexpected " + ExpectedWords.token(offending) + " after the end of a"
          + " declaration; is a ',' or an operator missing after "
          + ExpectedWords.token(previous) + "?";
    } else {
      String comma = missingCommaNote(offending, previous, expected, p);
      message = "unexpected " + ExpectedWords.token(offending) + "; expected " + words
          + (comma.isEmpty() ? openBracketNote(tokens, offending, expected, p) : comma);
    }
    p.notifyErrorListeners(at, message, e);
  }

  /** Messages for single tokens that betray a habit from another language. */
  private static String special(Parser p, Token offending, Token previous, IntervalSet expected) {
    if (offending == null || offending.getType() == Token.EOF) {
      return null;
    }
    String text = offending.getText();
    Token next = p.getInputStream().size() > offending.getTokenIndex() + 1
        ? p.getInputStream().get(offending.getTokenIndex() + 1) : null;
    boolean nextAdjacent = next != null && next.getStartIndex() == offending.getStopIndex() + 1;
    boolean inFormula = p.getRuleInvocationStack().contains("formula");
    if (text.equals("=") && nextAdjacent && next.getText().equals(">")) {
      return "'=>' is not an operator; write '->' for an implication (or '>=' to compare)";
    }
    boolean closerExpected = expected.contains(BlockRepair.typeOf("')'", p.getVocabulary()));
    boolean argEqualsExpected = expected.contains(BlockRepair.typeOf("'=='", p.getVocabulary()));
    if (inFormula && (text.equals("=") || text.equals("==")) && !closerExpected
        && !argEqualsExpected) {
      return "'" + text + "' is not a comparison here; compare with <=, >=, < or > ('==' and"
          + " '!=' only follow argmax(...) or argmin(...))";
    }
    if (text.equals("}") && !anyOpen(p.getInputStream(), offending, "{")) {
      return "unexpected '}': no '{' is open here (one '}' too many?)";
    }
    if (previous != null && previous.getType() == RobustSpecLexer.NUMBER
        && offending.getType() == RobustSpecLexer.IDENT
        && previous.getStopIndex() + 1 == offending.getStartIndex()) {
      return "'" + previous.getText() + text + "' is neither a number nor a duration; durations"
          + " are written 30s, 500ms or 2min";
    }
    if (text.equals("/") && nextAdjacent && next.getText().equals("*")) {
      return "this comment is never closed; end it with '*/'";
    }
    if (offending.getType() != RobustSpecLexer.ERROR_CHAR) {
      return null;
    }
    return switch (text) {
      case "\"" -> "this string is never closed; end it with '\"' on the same line";
      case "'" -> "unexpected '''; strings are written in double quotes: \"...\"";
      case ";" -> "unexpected ';'; a declaration ends with its line, no ';' is needed";
      case "&" -> "unexpected '&'; write 'and' to join formulas";
      case "|" -> "unexpected '|'; write 'or' to join formulas";
      case "!" -> "unexpected '!'; write 'not' to negate a formula ('!=' only follows argmax)";
      default -> null;
    };
  }

  /**
   * What a declaration with two forms needs after its name, when the parser could not choose
   * a form (ANTLR's own expected set is then the one before the declaration).
   */
  private static String declarationShape(NoViableAltException e, Token offending,
      Token previous, TokenStream tokens) {
    Token start = e.getStartToken();
    if (start == null || previous == null || previousVisible(tokens, previous) != start) {
      return null; // only right after the declaration's name
    }
    return switch (start.getText()) {
      case "network" -> "'=' and onnx(\"file.onnx\") or nnet(\"file.nnet\"), or '{' and the"
          + " layers, after the network's name";
      case "property" -> "':' and forall x in REGION: FORMULA, or '=' and"
          + " vnnlib(\"file.vnnlib\") on NETWORK, after the property's name";
      default -> null;
    };
  }

  private static boolean anyOpen(TokenStream tokens, Token before, String opener) {
    int depth = 0;
    String closer = opener.equals("{") ? "}" : opener.equals("[") ? "]" : ")";
    for (int i = 0; i < before.getTokenIndex(); i++) {
      Token t = tokens.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        depth += t.getText().equals(opener) ? 1 : t.getText().equals(closer) ? -1 : 0;
      }
    }
    return depth > 0;
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

  /**
   * The keyword the name was meant to be: an expected keyword within a small edit distance, or
   * (with {@code anyKeyword}) any keyword of the language at most one edit away.
   */
  private static String keywordTypo(Token offending, IntervalSet expected, Parser p,
      boolean anyKeyword) {
    if (offending == null || offending.getType() != RobustSpecLexer.IDENT) {
      return null;
    }
    if (anyKeyword && offending.getText().length() < 3) {
      return null;
    }
    String word = offending.getText().toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    IntervalSet candidates = anyKeyword
        ? IntervalSet.of(1, p.getVocabulary().getMaxTokenType()) : expected;
    for (int t : candidates.toArray()) {
      String literal = t > 0 ? p.getVocabulary().getLiteralName(t) : null;
      if (literal == null || !Character.isLetter(literal.charAt(1))) {
        continue;
      }
      String keyword = literal.substring(1, literal.length() - 1);
      if (anyKeyword && keyword.length() < 4) {
        continue; // 'or', 'in', 'and' are one edit away from too many names
      }
      int d = !anyKeyword && word.length() >= 3 && keyword.startsWith(word) ? 1
          : EditDistance.between(word, keyword); // 'for' (all) meant 'forall'
      if (d < bestDistance) {
        bestDistance = d;
        best = keyword;
      }
    }
    // "ReLU" for 'relu' counts too: keywords are lower case, names are case-sensitive
    int allowed = anyKeyword ? 1 : Math.max(1, best == null ? 0 : best.length() / 3);
    return best != null && !best.equals(offending.getText()) && bestDistance <= allowed
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
    if (!names.contains(closer)) {
      return "";
    }
    return " (the '" + opener.getText() + "' " + (opener.getLine() < offending.getLine()
        ? "on line " + opener.getLine() : "at column " + (opener.getCharPositionInLine() + 1))
        + " is still open)";
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
    boolean sameLine = previous != null && previous.getLine() == offending.getLine();
    return itemStart && commaFits && sameLine ? " (is a ',' missing before it?)" : "";
  }

  /** An item on the line after a complete declaration: a ',' or an operator went missing. */
  private static boolean declarationEnded(Token offending, Token previous, IntervalSet expected,
      Parser p) {
    boolean itemStart = offending.getType() == RobustSpecLexer.IDENT
        || offending.getType() == RobustSpecLexer.NUMBER || isText(offending, "[");
    return itemStart && previous != null && previous.getLine() == offending.getLine()
        && expected.contains(BlockRepair.typeOf("'verify'", p.getVocabulary()));
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
}
