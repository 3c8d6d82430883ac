// Test helper, run as `java -cp robustspec.jar LexTokens.java FILE...` (Java 17 single-file
// launch): prints the real ANTLR lexer's tokens (hidden comments included, white space left out)
// and the parser's syntax errors for each file, so the tests can hold the TextMate grammar and
// the snippets to the language's own lexer and parser.
import dev.robustspec.grammar.RobustSpecLexer;
import dev.robustspec.grammar.RobustSpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

public class LexTokens {
  static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  public static void main(String[] args) throws Exception {
    for (String file : args) {
      System.out.println("FILE\t" + file);
      var lexer = new RobustSpecLexer(CharStreams.fromPath(Path.of(file)));
      var errors = new BaseErrorListener() {
        @Override
        public void syntaxError(Recognizer<?, ?> r, Object o, int line, int col, String msg, RecognitionException e) {
          System.out.println("ERR\t" + line + "\t" + col + "\t" + esc(msg));
        }
      };
      lexer.removeErrorListeners();
      lexer.addErrorListener(errors);
      var tokens = new CommonTokenStream(lexer);
      tokens.fill();
      var vocabulary = lexer.getVocabulary();
      for (Token t : tokens.getTokens()) {
        if (t.getType() == Token.EOF || t.getType() == RobustSpecLexer.WS) continue;
        String name = vocabulary.getSymbolicName(t.getType());
        if (name == null) name = vocabulary.getLiteralName(t.getType());
        System.out.println("TOK\t" + esc(name) + "\t" + t.getLine() + "\t" + t.getCharPositionInLine() + "\t" + esc(t.getText()));
      }
      tokens.seek(0);
      var parser = new RobustSpecParser(tokens);
      parser.removeErrorListeners();
      parser.addErrorListener(errors);
      parser.file();
    }
  }
}
