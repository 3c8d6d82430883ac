// The requests the extension sends to the server, built in one place so that the client↔server
// test (test/server.test.ts) sends exactly these. No 'vscode' import.
import { BoundsParams, PlotSpec, ServerCommand } from './protocol';

export interface ExecuteCommand { command: string; arguments: unknown[] }

/** The language server's maximum heap. */
export const SERVER_HEAP = '-Xmx1g';

/** The server's command line after `java`: `-Xmx1g -jar JAR lsp [--timeout S] [--jobs N]`. The
 *  settings are the server's own options, passed on as they are (unset or invalid: the server's
 *  default). The heap is bounded: JVM's default (a quarter of the RAM) let the server grow to
 *  1.7 GB under repeated opens of a large file. */
export function serverArgs(jar: string, timeout: number | undefined, jobs: number | undefined): string[] {
  const args = [SERVER_HEAP, '-jar', jar, 'lsp'];
  if (typeof timeout === 'number' && timeout > 0) args.push('--timeout', String(timeout));
  if (typeof jobs === 'number' && jobs >= 1) args.push('--jobs', String(Math.floor(jobs)));
  return args;
}

export const Requests = {
  bounds: (uri: string, property: string, layer: number | null): BoundsParams =>
    ({ textDocument: { uri }, property, layer }),
  verifyFile: (uri: string): ExecuteCommand => ({ command: ServerCommand.verifyFile, arguments: [uri] }),
  verifyProperty: (uri: string, property: string): ExecuteCommand =>
    ({ command: ServerCommand.verifyProperty, arguments: [uri, property] }),
  copyCounterexample: (uri: string, property: string): ExecuteCommand =>
    ({ command: ServerCommand.copyCounterexample, arguments: [uri, property] }),
  plot: (uri: string, property: string, spec: PlotSpec): ExecuteCommand =>
    ({ command: ServerCommand.plot, arguments: [uri, property, spec] }),
  itemTable: (uri: string, property: string, format: 'markdown' | 'csv'): ExecuteCommand =>
    ({ command: ServerCommand.itemTable, arguments: [uri, property, format] }),
};

/** The extension command that shows the per-item table (it asks the server for the text). */
export const SHOW_ITEM_TABLE = 'robustspec.client.showItemTable';

/** A server lens whose result must be shown runs the extension's command instead, with the
 *  same arguments: the item table lens (`robustspec.itemTable uri property format`). Other lenses
 *  run on the server as they are. */
export function clientLensCommand(command: string): string {
  return command === ServerCommand.itemTable ? SHOW_ITEM_TABLE : command;
}

/** The read-only document a table opens as: `robustspec-table:/PROPERTY.md` (or `.csv`). */
export function itemTablePath(property: string, format: 'markdown' | 'csv'): string {
  return `/${property.replace(/[^A-Za-z0-9_.-]/g, '_')}.${format === 'csv' ? 'csv' : 'md'}`;
}

