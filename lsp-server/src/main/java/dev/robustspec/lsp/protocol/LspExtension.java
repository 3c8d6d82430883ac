package dev.robustspec.lsp.protocol;

import dev.robustspec.cli.CliExtension;

/** Registers {@code robustspec lsp} with the CLI (META-INF/services). */
public final class LspExtension implements CliExtension {
  @Override
  public Object subcommand() {
    return new LspCommand();
  }
}
