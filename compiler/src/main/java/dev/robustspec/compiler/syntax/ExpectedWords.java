package dev.robustspec.compiler.syntax;

import dev.robustspec.grammar.RobustSpecLexer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * What the parser expected, in the user's words: "a comparison (<=, >=, <, >)", "a number",
 * "a name", "a formula", never the lexer's names (NUMBER, DURATION, IDENT) nor a list of every
 * token that may start an expression.
 */
final class ExpectedWords {
  private static final Set<String> COMPARISONS = Set.of("'<='", "'>='", "'<'", "'>'");
  private static final Set<String> OPERATORS = Set.of("'*'", "'/'");
  private static final Set<String> EXPRESSION_STARTS =
      Set.of("'('", "'['", "'+'", "'-'", "NUMBER", "DURATION", "IDENT", "STRING");
  private static final Set<String> FORMULA_STARTS = Set.of("'not'", "'argmax'", "'argmin'");
  private static final Set<String> DECLARATIONS =
      Set.of("'let'", "'param'", "'network'", "'region'", "'dataset'", "'property'", "'verify'");
  private static final Set<String> LAYERS = Set.of("'input'", "'dense'", "'relu'");

  private ExpectedWords() {}

  /** "a number or a name", "']' or ','", "a comparison (<=, >=, <, >) or an operator (...)". */
  static String describe(IntervalSet expected, Vocabulary vocabulary) {
    Set<String> names = new LinkedHashSet<>();
    for (int t : expected.toArray()) {
      names.add(t == Token.EOF ? "EOF" : vocabulary.getDisplayName(t));
    }
    List<String> words = new ArrayList<>();
    boolean formula = names.stream().anyMatch(FORMULA_STARTS::contains);
    boolean expression = formula || names.contains("NUMBER");
    boolean operators = names.stream().anyMatch(OPERATORS::contains);
    if (formula) {
      words.add("a formula (e.g. net(x)[0] <= 3, argmax(net(x)) == 1, not/and/or of formulas)");
    }
    if (names.stream().anyMatch(DECLARATIONS::contains)) {
      words.add("a declaration (let, param, network, region, dataset, property or verify)");
    }
    if (names.stream().anyMatch(LAYERS::contains)) {
      words.add("a layer (input, dense or relu)");
    }
    if (!formula && expression) {
      words.add(names.contains("IDENT") ? "a number or a name" : "a number");
    } else if (!formula && names.contains("IDENT")) {
      words.add("a name");
    }
    if (names.contains("STRING")) {
      words.add("a file name in quotes (\"...\")");
    }
    if (names.stream().anyMatch(COMPARISONS::contains)) {
      words.add("a comparison (<=, >=, <, >)");
    }
    if (names.contains("'=='") || names.contains("'!='")) {
      words.add("'==' or '!='");
    }
    if (operators) {
      words.add("an operator (+, -, *, /)");
    }
    for (String n : names) {
      boolean grouped = COMPARISONS.contains(n) || OPERATORS.contains(n)
          || FORMULA_STARTS.contains(n) || DECLARATIONS.contains(n) || LAYERS.contains(n)
          || n.equals("'=='") || n.equals("'!='") || n.equals("NUMBER") || n.equals("IDENT")
          || n.equals("STRING") || (expression && EXPRESSION_STARTS.contains(n))
          || (operators && (n.equals("'+'") || n.equals("'-'")));
      if (!grouped) {
        words.add(n.equals("EOF") ? "the end of the file" : n.equals("DURATION")
            ? "a duration (e.g. 10s)" : n);
      }
    }
    return join(words);
  }

  /** How a token reads in a message: 'relu', "the end of the file", "a number (3)". */
  static String token(Token t) {
    if (t == null || t.getType() == Token.EOF) {
      return "the end of the file";
    }
    String text = t.getText().replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    return switch (t.getType()) {
      case RobustSpecLexer.NUMBER -> "the number " + text;
      case RobustSpecLexer.STRING -> "the string " + text;
      case RobustSpecLexer.DURATION -> "the duration " + text;
      default -> "'" + text + "'";
    };
  }

  static String join(List<String> words) {
    if (words.isEmpty()) {
      return "something else";
    }
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " or "
        + words.get(words.size() - 1);
  }
}
