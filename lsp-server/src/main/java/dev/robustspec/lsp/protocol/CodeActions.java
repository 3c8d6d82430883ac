package dev.robustspec.lsp.protocol;

import dev.robustspec.lsp.service.CodeLenses;
import dev.robustspec.lsp.service.LanguageService;
import dev.robustspec.lsp.service.LineIndex;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * {@code textDocument/codeAction}: a falsified property's diagnostic offers to copy its
 * counterexample; a falsified or unknown local-robustness property's, to set eps to the largest
 * certified radius (the service's radius search; never waited for here).
 */
final class CodeActions {
  private CodeActions() {}

  static List<Either<Command, CodeAction>> of(LanguageService service, String uri,
      List<Diagnostic> diagnostics) throws LanguageService.ServiceException {
    List<Either<Command, CodeAction>> out = new ArrayList<>();
    for (var d : diagnostics) {
      String code = d.getCode() != null && d.getCode().isLeft() ? d.getCode().getLeft() : "";
      String property = d.getRange() == null ? null : propertyAt(service, uri, d.getRange());
      if (property == null) {
        continue;
      }
      if (code.equals("falsified") && hasCounterexample(service, uri, property)) {
        CodeAction a = new CodeAction("Copy the counterexample of " + property);
        a.setKind(CodeActionKind.QuickFix);
        a.setDiagnostics(List.of(d));
        a.setCommand(new Command(a.getTitle(), CodeLenses.COPY_COUNTEREXAMPLE,
            List.of(uri, property)));
        out.add(Either.forRight(a));
      }
      if (code.equals("falsified") || code.equals("unknown") || code.equals("timeout")) {
        // never waits: while the search runs, an action that waits for it and applies it
        LanguageService.RadiusFixState state = service.radiusFixState(uri, property);
        if (state != null && state.fix() != null) {
          out.add(Either.forRight(ToLsp.radiusFix(uri, state.fix(), d)));
        } else if (state != null && !state.done()) {
          CodeAction a = new CodeAction("Set eps to the largest radius certified for "
              + property + " (radius search running)");
          a.setKind(CodeActionKind.QuickFix);
          a.setDiagnostics(List.of(d));
          a.setCommand(new Command(a.getTitle(), CodeLenses.SET_RADIUS,
              List.of(uri, property)));
          out.add(Either.forRight(a));
        }
      }
    }
    return out;
  }

  /** The text a diagnostic covers: the property's name. */
  static String propertyAt(LanguageService service, String uri, Range range) {
    String text = service.text(uri);
    LineIndex lines = service.lines(uri);
    if (text == null || lines == null) {
      return null;
    }
    int from = lines.offset(range.getStart().getLine(), range.getStart().getCharacter());
    int to = lines.offset(range.getEnd().getLine(), range.getEnd().getCharacter());
    return from < to ? text.substring(from, to) : null;
  }

  /** False too for a name that is no compiled property (a data-set property's diagnostic). */
  private static boolean hasCounterexample(LanguageService service, String uri,
      String property) {
    try {
      return service.counterexample(uri, property) != null;
    } catch (LanguageService.ServiceException e) {
      return false;
    }
  }
}
