package dev.robustspec.lsp.protocol;

import dev.robustspec.lsp.service.PropertyProgress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * The service's progress reports as LSP work-done progress, for clients that announce
 * {@code window.workDoneProgress}: each verification run gets a token the server creates with
 * {@code window/workDoneProgress/create}, then {@code $/progress} begin, reports and end. The
 * messages of one token are chained on the client's answer to the create request, so they go
 * out in order and only once the token exists; a refused token is never used. Calls come from
 * the service's one publishing thread.
 */
final class WorkDoneProgress {
  private final AtomicLong next = new AtomicLong();
  /** Per property (uri#name): its current run's token and the chain of its messages. */
  private final Map<String, Run> runs = new HashMap<>();

  /** A run's token; {@code chain} completes with "the client created the token". */
  private record Run(String token, CompletableFuture<Boolean> chain) {}

  void report(RobustSpecClient client, String uri, PropertyProgress p) {
    String key = uri + "#" + p.property();
    Run run;
    if (p.stage() == PropertyProgress.Stage.BEGIN) {
      String token = "robustspec/verify/" + next.incrementAndGet();
      run = new Run(token, client.createProgress(
          new WorkDoneProgressCreateParams(Either.forLeft(token)))
          .handle((ok, error) -> error == null));
    } else {
      run = p.stage() == PropertyProgress.Stage.END ? runs.remove(key) : runs.get(key);
      if (run == null) {
        return; // its begin went to an earlier client state
      }
    }
    String token = run.token();
    Run sent = new Run(token, run.chain().thenApply(created -> {
      if (created) {
        client.notifyProgress(ToLsp.progress(token, p));
      }
      return created;
    }));
    if (p.stage() != PropertyProgress.Stage.END) {
      runs.put(key, sent);
    }
  }
}
