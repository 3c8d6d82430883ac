package dev.robustspec.compiler.syntax;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.grammar.RobustSpecLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

/**
 * Finds {@code {} blocks (an inline network, a box) that are never closed, before the parser
 * runs, and closes them where the next declaration starts. A block can hold no declaration
 * keyword, so a {@code let}, {@code network}, {@code region}, {@code property} or
 * {@code verify} met inside one (or the end of the file) means its {@code '}'} was forgotten.
 * Without this the parser reads the next declarations as part of the block and reports an
 * operator it expected there, far from the brace (the error "recovery" of a generic parser).
 *
 * <p>Only a block whose inner brackets are all closed is repaired: an open {@code [} or
 * {@code (} inside it is the more likely mistake, and the parser reports that one well.
 */
final class BlockRepair {
  static final Set<String> DECLARATION_KEYWORDS =
      Set.of("let", "param", "network", "region", "dataset", "property", "verify");

  private BlockRepair() {}

  /** An unclosed block: its opener and where its closer was inserted (the token before it). */
  record Unclosed(Token opener, String owner, Token before) {
    String message() {
      String where = before.getType() == Token.EOF ? "at the end of the file"
          : "before line " + before.getLine() + " ('" + before.getText() + "')";
      return "the '{' of " + owner + " on line " + opener.getLine() + " is never closed; add '}'"
          + " " + where;
    }

    SourceRange range() {
      int start = opener.getStartIndex();
      int col = opener.getCharPositionInLine() + 1;
      return new SourceRange(opener.getLine(), col, opener.getLine(), col + 1, start, start + 1);
    }
  }

  /** The tokens with the missing closers inserted, and the blocks that needed one. */
  record Repaired(List<Token> tokens, List<Unclosed> unclosed) {}

  static Repaired repair(List<Token> tokens, Vocabulary vocabulary) {
    int closeType = typeOf("'}'", vocabulary);
    List<Token> out = new ArrayList<>(tokens.size() + 2);
    List<Unclosed> unclosed = new ArrayList<>();
    Deque<Token> open = new ArrayDeque<>(); // every open bracket, innermost first
    Token lastVisible = null;
    for (Token t : tokens) {
      boolean visible = t.getChannel() == Token.DEFAULT_CHANNEL;
      boolean endsBlocks = t.getType() == Token.EOF
          || (visible && DECLARATION_KEYWORDS.contains(t.getText()));
      if (endsBlocks && !open.isEmpty() && allBraces(open)) {
        while (!open.isEmpty()) {
          Token opener = open.pop();
          unclosed.add(0, new Unclosed(opener, owner(out, opener), t));
          out.add(closer(closeType, lastVisible == null ? opener : lastVisible));
        }
      }
      if (visible) {
        switch (t.getText()) {
          case "{", "[", "(" -> open.push(t);
          case "}", "]", ")" -> {
            if (!open.isEmpty() && matches(open.peek().getText(), t.getText())) {
              open.pop();
            }
          }
          default -> { }
        }
        if (t.getType() != Token.EOF) {
          lastVisible = t;
        }
      }
      out.add(t);
    }
    return new Repaired(out, unclosed);
  }

  private static boolean allBraces(Deque<Token> open) {
    return open.stream().allMatch(t -> t.getText().equals("{"));
  }

  private static boolean matches(String opener, String closer) {
    return opener.equals("{") && closer.equals("}") || opener.equals("[") && closer.equals("]")
        || opener.equals("(") && closer.equals(")");
  }

  /** "network 'tiny'", "the box of region 'square'": what the brace belongs to, in words. */
  private static String owner(List<Token> before, Token opener) {
    String keyword = null;
    String name = null;
    String previous = null;
    for (int i = before.size() - 1; i >= 0; i--) {
      Token t = before.get(i);
      if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getTokenIndex() >= opener.getTokenIndex()) {
        continue;
      }
      if (previous == null) {
        previous = t.getText();
      }
      if (DECLARATION_KEYWORDS.contains(t.getText())) {
        keyword = t.getText();
        Token next = nextVisible(before, i);
        name = next != null && next.getType() == RobustSpecLexer.IDENT ? next.getText() : null;
        break;
      }
    }
    String decl = keyword == null ? "a block" : keyword + (name == null ? "" : " '" + name + "'");
    return "box".equals(previous) && keyword != null ? "the box of " + decl : decl;
  }

  private static Token nextVisible(List<Token> tokens, int i) {
    for (int j = i + 1; j < tokens.size(); j++) {
      if (tokens.get(j).getChannel() == Token.DEFAULT_CHANNEL) {
        return tokens.get(j);
      }
    }
    return null;
  }

  /** A '}' placed just after {@code after}, so any error the parser finds there points at it. */
  private static Token closer(int type, Token after) {
    CommonToken c = new CommonToken(type, "}");
    c.setLine(after.getLine());
    c.setCharPositionInLine(after.getCharPositionInLine() + Math.max(1, after.getText().length()));
    c.setStartIndex(after.getStopIndex() + 1);
    c.setStopIndex(after.getStopIndex()); // empty: nothing of the user's text
    c.setChannel(Token.DEFAULT_CHANNEL);
    return c;
  }

  /** True for a '}' this class inserted (it covers no text of the user's). */
  static boolean isInserted(Token t) {
    return t.getType() != Token.EOF && t.getStopIndex() < t.getStartIndex();
  }

  static int typeOf(String literal, Vocabulary vocabulary) {
    for (int t = 1; t <= vocabulary.getMaxTokenType(); t++) {
      if (literal.equals(vocabulary.getLiteralName(t))) {
        return t;
      }
    }
    throw new IllegalStateException("no token " + literal + " in the grammar");
  }
}
