package dev.robustspec.compiler.syntax;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.grammar.RobustSpecLexer;
import dev.robustspec.grammar.RobustSpecParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Parses {@code .rspec} text into an AST and syntax diagnostics. Never throws: a half-typed file
 * still yields a tree (ANTLR's recovering strategy), so the checker and the editor can carry on.
 * ANTLR's console listeners are replaced by one that records located errors; to keep one typo
 * one error, only the first error of each declaration is kept. A block left open is closed
 * before parsing ({@link BlockRepair}), so the declarations after it parse as written; messages
 * come from {@link SyntaxErrorStrategy}. The declarations the parser had to recover over are
 * returned too: the checker leaves them out, so a syntax error has no semantic follow-ups.
 */
public final class SpecParser {
  private SpecParser() {}

  /**
   * A tree, the syntax errors met while building it, and the ranges of the declarations that
   * contain an error the parser recovered from (what it made of them is a guess).
   */
  public record Result(Ast.SpecFile file, List<SpecDiagnostic> diagnostics,
      List<SourceRange> recovered) {

    public Result(Ast.SpecFile file, List<SpecDiagnostic> diagnostics) {
      this(file, diagnostics, List.of());
    }

    /** True when {@code d} is one of the declarations the parser recovered over. */
    public boolean isRecovered(Ast.Decl d) {
      return recovered.stream().anyMatch(r -> r.startOffset() == d.range().startOffset());
    }
  }

  public static Result parse(String text) {
    List<Located> errors = new ArrayList<>();
    BaseErrorListener listener = new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col,
          String msg, RecognitionException e) {
        Token t = offending instanceof Token tok ? tok : null;
        errors.add(new Located(t, line, col, msg));
      }
    };
    RobustSpecLexer lexer = new RobustSpecLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream lexed = new CommonTokenStream(lexer);
    lexed.fill(); // all at once, outside the parser's recursion
    Optional<SourceRange> tooDeep = NestingDepth.firstTooDeep(lexed.getTokens());
    if (tooDeep.isPresent()) {
      // Checked before any recursive walk: deeper trees would overflow the Java stack.
      return new Result(new Ast.SpecFile(List.of()), List.of(SpecDiagnostic.of(
          SpecErrorCode.TOO_DEEP, tooDeep.get(), "the expression is nested more than "
              + NestingDepth.LIMIT + " levels deep (brackets, signs and chained operators each "
              + "count one); split it into several 'let' declarations")));
    }
    BlockRepair.Repaired repaired = BlockRepair.repair(lexed.getTokens(), lexer.getVocabulary());
    CommonTokenStream tokens = new CommonTokenStream(new ListTokenSource(repaired.tokens()));
    tokens.fill();
    RobustSpecParser.FileContext tree = parseTree(tokens, listener);
    List<SpecDiagnostic> diagnostics = new ArrayList<>();
    for (BlockRepair.Unclosed u : repaired.unclosed()) {
      diagnostics.add(SpecDiagnostic.of(SpecErrorCode.SYNTAX, u.range(), u.message()));
    }
    List<SourceRange> recovered = new ArrayList<>();
    int lastKeptToken = -1;
    for (Located e : errors) {
      int index = e.token == null ? -1 : e.token.getTokenIndex();
      if (lastKeptToken >= 0 && index >= 0 && !declarationStartsBetween(tokens, lastKeptToken,
          index)) {
        continue; // a consequence of the error already reported in this declaration
      }
      if (e.token != null && BlockRepair.isInserted(e.token)) {
        // at a '}' closed up for the user: the unclosed block is the error reported
        declarationAround(tree, index).ifPresent(recovered::add);
        lastKeptToken = index;
        continue;
      }
      diagnostics.add(SpecDiagnostic.of(SpecErrorCode.SYNTAX, e.range(text), e.message()));
      if (index >= 0) {
        lastKeptToken = index;
        declarationAround(tree, index).ifPresent(recovered::add);
      }
    }
    Ast.SpecFile file;
    try {
      file = new AstBuilder().file(tree);
    } catch (RuntimeException ex) {
      // The builder is null-tolerant; should it still fail on a broken tree, keep the errors.
      file = new Ast.SpecFile(List.of());
      if (diagnostics.isEmpty()) {
        diagnostics.add(SpecDiagnostic.of(SpecErrorCode.INTERNAL, SourceRange.NONE,
            "internal error while reading the file: " + ex));
      }
    }
    return new Result(file, diagnostics, recovered);
  }

  /**
   * The declaration an error at token {@code index} belongs to: the one containing it, or the
   * last one started before it (an error at the first token of the next line, say).
   */
  private static Optional<SourceRange> declarationAround(RobustSpecParser.FileContext tree,
      int index) {
    RobustSpecParser.DeclarationContext owner = null;
    for (RobustSpecParser.DeclarationContext d : tree.declaration()) {
      if (d.start != null && d.start.getTokenIndex() <= index) {
        owner = d;
      }
    }
    if (owner == null || owner.start.getStartIndex() < 0) {
      return Optional.empty();
    }
    int start = owner.start.getStartIndex();
    Token stop = owner.stop != null && owner.stop.getStopIndex() >= start ? owner.stop : owner.start;
    int end = Math.max(start + 1, stop.getStopIndex() + 1);
    return Optional.of(new SourceRange(owner.start.getLine(),
        owner.start.getCharPositionInLine() + 1, stop.getLine(),
        stop.getCharPositionInLine() + 1 + stop.getText().length(), start, end));
  }

  /**
   * The two-stage strategy of ANTLR's documentation: the fast SLL prediction with a bail-out
   * strategy first (linear and enough for any valid file), then, only if that fails, full LL
   * with the recovering strategy and the error listener, which finds the real errors.
   */
  private static RobustSpecParser.FileContext parseTree(CommonTokenStream tokens,
      BaseErrorListener listener) {
    RobustSpecParser parser = new RobustSpecParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return parser.file();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser = new RobustSpecParser(tokens);
      parser.removeErrorListeners();
      parser.addErrorListener(listener);
      parser.setErrorHandler(new SyntaxErrorStrategy());
      return parser.file();
    }
  }

  private static boolean declarationStartsBetween(CommonTokenStream tokens, int from, int to) {
    for (int i = from + 1; i <= to && i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL
          && BlockRepair.DECLARATION_KEYWORDS.contains(t.getText())) {
        return true;
      }
    }
    return false;
  }

  private record Located(Token token, int line, int column, String antlrMessage) {
    SourceRange range(String text) {
      if (token != null && token.getStartIndex() >= 0 && token.getType() != Token.EOF) {
        int len = Math.max(1, token.getStopIndex() - token.getStartIndex() + 1);
        return new SourceRange(line, column + 1, line, column + 1 + len, token.getStartIndex(),
            token.getStartIndex() + len);
      }
      int offset = token != null && token.getStartIndex() >= 0 ? token.getStartIndex()
          : text.length();
      return new SourceRange(line, column + 1, line, column + 2, offset, offset);
    }

    String message() {
      String m = antlrMessage
          .replace("extraneous input", "unexpected")
          .replace("mismatched input", "unexpected")
          .replace("no viable alternative at input", "cannot read")
          .replace("<EOF>", "end of file")
          .replace("token recognition error at:", "unexpected character");
      if (m.contains("expecting")) {
        m = m.replace(" expecting", "; expected");
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("\\{(.*)\\}$").matcher(m);
        if (set.find()) {
          String[] options = set.group(1).split(", ");
          String list = options.length == 1 ? options[0]
              : String.join(", ", java.util.Arrays.copyOf(options, options.length - 1)) + " or "
                  + options[options.length - 1];
          m = m.substring(0, set.start()) + list;
        }
      }
      return m;
    }
  }
}
