package dev.robustspec.lsp.protocol;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * The answer to a request whose handler threw outside {@link RobustSpecLanguageServer#async}:
 * LSP4J's default put the Java stack trace in the error's {@code data} (issue 12, null params).
 * A handler that dereferences missing params fails with a NullPointerException before any work,
 * so that is the client's InvalidParams; anything else is an internal error, logged here, with
 * no stack trace sent to the client.
 */
final class RequestFailures {
  private static final Logger LOG = Logger.getLogger(RequestFailures.class.getName());

  private RequestFailures() {}

  static ResponseError toResponseError(Throwable thrown) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException
        || t instanceof InvocationTargetException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ResponseErrorException r) {
      return r.getResponseError();
    }
    if (t instanceof NullPointerException) {
      return new ResponseError(ResponseErrorCode.InvalidParams, "the request's params are null or"
          + " miss a required field (textDocument, position, ...)", null);
    }
    LOG.log(Level.WARNING, "request failed", t);
    return new ResponseError(ResponseErrorCode.InternalError, "internal error (please report it): "
        + t, null);
  }
}
