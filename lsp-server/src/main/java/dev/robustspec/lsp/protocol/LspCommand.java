package dev.robustspec.lsp.protocol;

import dev.robustspec.lsp.service.LanguageService;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code robustspec lsp}: the language server, on stdio or a TCP port. */
@Command(
    name = "lsp",
    header = "Run the language server (LSP) for editors.",
    mixinStandardHelpOptions = true,
    description = {
        "Speaks the Language Server Protocol on stdin/stdout (or, with --port, on a TCP port of",
        "this machine): diagnostics and property verdicts as you type, neuron bounds on hover,",
        "navigation, completion. Logs go to stderr (and --log FILE), never to stdout.",
        ""},
    footer = {
        "",
        "Examples:",
        "  robustspec lsp                      (an editor starts it: stdio)",
        "  robustspec lsp --port 5007 --log /tmp/robustspec-lsp.log",
        "",
        "Exit codes: 0 after shutdown and exit, 1 on exit without shutdown, 2 bad usage."})
public final class LspCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT",
      description = "listen on this TCP port (localhost) instead of stdio; serves one client")
  Integer port;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "wall-clock limit per property verification (default: ${DEFAULT-VALUE})")
  double timeout;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "2",
      description = "properties verified at once (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--log", paramLabel = "FILE", description = "also write the log to FILE")
  Path log;

  @Override
  public Integer call() throws Exception {
    if (!(timeout > 0) || jobs < 1 || port != null && (port < 0 || port > 65535)) {
      spec.commandLine().getErr().println("robustspec lsp: --timeout must be positive, --jobs at"
          + " least 1 and --port between 0 and 65535");
      return 2;
    }
    if (log != null) {
      try {
        FileHandler h = new FileHandler(log.toString(), true);
        h.setFormatter(new SimpleFormatter());
        Logger.getLogger("").addHandler(h);
      } catch (IOException e) {
        spec.commandLine().getErr().println("robustspec lsp: cannot write the log " + log + ": "
            + e.getMessage());
        return 2;
      }
    }
    Logger.getLogger("org.eclipse.lsp4j").setLevel(Level.WARNING);
    LanguageService.Options options = new LanguageService.Options(
        Duration.ofNanos((long) (timeout * 1e9)), jobs, Duration.ofMillis(300));
    if (port == null) {
      // stdout carries the protocol alone: anything else printed would corrupt it
      OutputStream protocolOut = new FileOutputStream(java.io.FileDescriptor.out);
      InputStream protocolIn = System.in;
      System.setOut(new PrintStream(System.err, true));
      ServerLauncher.serve(protocolIn, protocolOut, options, code -> exit(code));
      return 1; // the client closed the stream without shutdown and exit
    }
    try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      System.err.println("robustspec lsp: listening on localhost:" + server.getLocalPort());
      try (Socket socket = server.accept()) {
        ServerLauncher.serve(socket.getInputStream(), socket.getOutputStream(), options,
            code -> exit(code));
      }
    }
    return 1;
  }

  /** {@code exit} ends the process, as LSP asks, even with verification threads running. */
  private static void exit(int code) {
    System.err.flush();
    System.exit(code);
  }
}
