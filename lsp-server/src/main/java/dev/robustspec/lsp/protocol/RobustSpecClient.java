package dev.robustspec.lsp.protocol;

import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.services.LanguageClient;

/** The editor as the server sees it: a standard LSP client plus the verdict notification. */
public interface RobustSpecClient extends LanguageClient {

  /**
   * {@code robustspec/verdicts}: every property's status after each change, as
   * {@code {"uri", "version", "properties": [{"name", "status", "pass", "margin", "millis",
   * "range"}]}}.
   */
  @JsonNotification("robustspec/verdicts")
  void verdicts(ExplicitNulls params);
}
