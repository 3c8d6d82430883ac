package dev.robustspec.lsp.protocol;

import dev.robustspec.lsp.service.LineIndex;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/** Small pure conversions from LSP4J types to what the language service takes. */
final class FromLsp {
  private FromLsp() {}

  /**
   * The text after one change: a change without a range replaces the whole text (full
   * synchronisation), one with a range replaces that range (incremental). {@code text} is null
   * for a document that is not open, and then only a whole text can be applied.
   */
  static String apply(String text, TextDocumentContentChangeEvent change) {
    if (change.getRange() == null) {
      return change.getText();
    }
    if (text == null) {
      return null;
    }
    LineIndex lines = new LineIndex(text);
    int from = lines.offset(change.getRange().getStart().getLine(),
        change.getRange().getStart().getCharacter());
    int to = lines.offset(change.getRange().getEnd().getLine(),
        change.getRange().getEnd().getCharacter());
    if (to < from) {
      int swap = from;
      from = to;
      to = swap;
    }
    return text.substring(0, from) + change.getText() + text.substring(to);
  }
}
