package dev.robustspec.lsp.protocol;

import dev.robustspec.lsp.service.LanguageService;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/** Connects a {@link RobustSpecLanguageServer} to a pair of streams (stdio, a socket, a pipe). */
public final class ServerLauncher {
  private ServerLauncher() {}

  /** A running server: the object, and the future that ends when the input stream closes. */
  public record Running(RobustSpecLanguageServer server, Future<Void> listening) {}

  public static Running start(InputStream in, OutputStream out, LanguageService.Options options,
      IntConsumer onExit) {
    RobustSpecLanguageServer server = new RobustSpecLanguageServer(options, onExit);
    Launcher<RobustSpecClient> launcher = new Launcher.Builder<RobustSpecClient>()
        .setLocalService(server)
        .setRemoteInterface(RobustSpecClient.class)
        .setInput(in)
        .setOutput(out)
        .setExceptionHandler(RequestFailures::toResponseError)
        .create();
    server.connect(launcher.getRemoteProxy());
    return new Running(server, launcher.startListening());
  }

  /** Serves until the client closes the stream or sends {@code exit}. */
  public static void serve(InputStream in, OutputStream out, LanguageService.Options options,
      IntConsumer onExit) throws InterruptedException {
    Running r = start(in, out, options, onExit);
    try {
      r.listening().get();
    } catch (ExecutionException e) {
      // the stream broke: the client is gone, nothing to answer
    } finally {
      r.server().service().close();
    }
  }
}
