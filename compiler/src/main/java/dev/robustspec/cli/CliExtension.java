package dev.robustspec.cli;

/**
 * A subcommand contributed by another module (the language server's {@code lsp}), found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/dev.robustspec.cli.CliExtension}.
 * The compiler cannot depend on those modules; the distribution jar puts them on one classpath.
 */
public interface CliExtension {

  /** A picocli command: an object whose class carries {@code @Command(name = ...)}. */
  Object subcommand();
}
