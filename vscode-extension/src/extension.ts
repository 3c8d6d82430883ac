// The RobustSpec VS Code extension: a thin client of `java -jar robustspec.jar lsp`. It starts
// the server, forwards commands to it, and shows what it returns (diagnostics and hover come
// through vscode-languageclient; verdict counts in the status bar; bounds and plots in
// webviews). It decides nothing about .rspec files itself.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';
import { findJava } from './java';
import {
  BoundsRequestMethod, BoundsResult, Counterexample, ItemTableResult, PlotResult, PlotSpec,
  PropertyVerdict, VerdictsNotificationMethod, VerdictsParams,
} from './protocol';
import {
  clientLensCommand, ExecuteCommand, itemTablePath, Requests, serverArgs, SHOW_ITEM_TABLE,
} from './requests';
import { countVerdicts, statusText, statusTooltip } from './status';
import { PageOptions, renderBoundsHtml, renderPlotHtml } from './webview/html';

const LANGUAGE_ID = 'robustspec';

/** The extension's own command ids (contributed in package.json). They differ from the server's
 *  executeCommand ids (ServerCommand), which vscode-languageclient registers by itself. */
export const ClientCommand = {
  verifyFile: 'robustspec.client.verifyFile',
  verifyProperty: 'robustspec.client.verifyProperty',
  showBounds: 'robustspec.client.showBounds',
  showPlot: 'robustspec.client.showPlot',
  copyCounterexample: 'robustspec.client.copyCounterexample',
  restartServer: 'robustspec.client.restartServer',
  showOutput: 'robustspec.client.showOutput',
  showItemTable: SHOW_ITEM_TABLE,
} as const;

/** The scheme of the per-item tables: read-only documents whose text the server gave. */
const TABLE_SCHEME = 'robustspec-table';
const tables = new Map<string, string>();
let tablesChanged: vscode.EventEmitter<vscode.Uri>;

let client: LanguageClient | undefined;
/** Why there is no client, shown when a command needs the server. */
let notRunning = 'the server has not started yet';
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
/** The last robustspec/verdicts notification per document URI (server's URI string). */
const verdicts = new Map<string, VerdictsParams>();
const panels = new Map<string, vscode.WebviewPanel>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('RobustSpec');
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  statusItem.name = 'RobustSpec verdicts';
  statusItem.command = ClientCommand.verifyFile;
  context.subscriptions.push(output, statusItem);

  const commands: [string, () => Promise<void>][] = [
    [ClientCommand.verifyFile, verifyFile],
    [ClientCommand.verifyProperty, verifyProperty],
    [ClientCommand.showBounds, () => showBounds(context)],
    [ClientCommand.showPlot, () => showPlot(context)],
    [ClientCommand.copyCounterexample, copyCounterexample],
    [ClientCommand.restartServer, () => restart(context)],
    [ClientCommand.showOutput, async () => output.show(true)],
  ];
  for (const [id, run] of commands) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => reportErrors(run)));
  }
  // The item table lens passes (uri, property, format): not a command of the palette.
  tablesChanged = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommand.showItemTable,
      (uri: string, property: string, format?: string) =>
        reportErrors(() => showItemTable(uri, property, format === 'csv' ? 'csv' : 'markdown'))),
    vscode.workspace.registerTextDocumentContentProvider(TABLE_SCHEME, {
      onDidChange: tablesChanged.event,
      provideTextDocumentContent: (u) => tables.get(u.toString()) ?? '',
    }),
    tablesChanged,
  );
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Java and the server's options are fixed when it starts (command-line arguments).
      if (['robustspec.java.home', 'robustspec.verify'].some((s) => e.affectsConfiguration(s))) {
        void reportErrors(() => restart(context));
      }
    }),
    { dispose: () => void client?.stop() },
  );
  updateStatus();
  await reportErrors(() => startClient(context));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('robustspec');
  const found = await findJava(config.get<string>('java.home'), process.env, context.asAbsolutePath('server/jre'));
  if (!found.ok) {
    notRunning = found.message;
    output.appendLine(found.message);
    // Not awaited: activation must not wait for the user to answer.
    void vscode.window.showErrorMessage(found.message, 'Open Settings').then((choice) => choice === 'Open Settings'
      ? vscode.commands.executeCommand('workbench.action.openSettings', 'robustspec.java.home') : undefined);
    return;
  }
  const jar = context.asAbsolutePath('server/robustspec.jar');
  if (!fs.existsSync(jar)) {
    notRunning = `the server jar is missing from the extension (${jar}); reinstall the .vsix`;
    void vscode.window.showErrorMessage(`RobustSpec: ${notRunning}`);
    return;
  }
  output.appendLine(`Starting the server with Java ${found.version} (${found.java}, from ${found.source}).`);

  // The settings are the server's own options (robustspec lsp --timeout/--jobs), passed on.
  const args = serverArgs(jar, config.get<number>('verify.timeout'), config.get<number>('verify.jobs'));
  const serverOptions: ServerOptions = { command: found.java, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID, scheme: 'file' }, { language: LANGUAGE_ID, scheme: 'untitled' }],
    outputChannel: output,
    middleware: {
      // The item table lens opens the table here: its command becomes the extension's.
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        for (const lens of lenses ?? []) {
          if (lens.command) lens.command.command = clientLensCommand(lens.command.command);
        }
        return lenses;
      },
    },
  };
  const c = new LanguageClient('robustspec', 'RobustSpec', serverOptions, clientOptions);
  c.onNotification(VerdictsNotificationMethod, (params: VerdictsParams) => {
    verdicts.set(params.uri, params);
    updateStatus();
  });
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped) notRunning = 'the server stopped (see the RobustSpec output)';
  });
  client = c;
  try {
    await c.start();
  } catch (err) {
    notRunning = `the server failed to start: ${message(err)}`;
    client = undefined;
    throw err;
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  await old?.stop();
  verdicts.clear();
  updateStatus();
  await reportErrors(() => startClient(context));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function reportErrors(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    output.appendLine(`error: ${message(err)}`);
    void vscode.window.showErrorMessage(`RobustSpec: ${message(err)}`);
  }
}

function running(): LanguageClient {
  if (client === undefined) throw new Error(`no language server: ${notRunning}`);
  return client;
}

function activeRspecEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== LANGUAGE_ID) {
    throw new Error('open a .rspec file first');
  }
  return editor;
}

function serverUri(c: LanguageClient, doc: vscode.TextDocument): string {
  return c.code2ProtocolConverter.asUri(doc.uri);
}

function executeOnServer<T>(c: LanguageClient, request: ExecuteCommand): Promise<T> {
  return c.sendRequest(ExecuteCommandRequest.type, request) as Promise<T>;
}

function updateStatus(): void {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== LANGUAGE_ID) {
    statusItem.hide();
    return;
  }
  const uri = client ? serverUri(client, editor.document) : editor.document.uri.toString();
  const properties = verdicts.get(uri)?.properties ?? [];
  statusItem.text = `RobustSpec ${statusText(countVerdicts(properties))}`;
  statusItem.tooltip = `${statusTooltip(properties)}\n\nClick to verify the file.`;
  statusItem.show();
}

/** The property whose range (its name, from the server's last verdicts) holds the cursor, else
 *  the one named on the cursor's line, else the user's pick, the nearest one above the cursor first. */
async function propertyAtCursor(c: LanguageClient, editor: vscode.TextEditor): Promise<PropertyVerdict | undefined> {
  const known = verdicts.get(serverUri(c, editor.document))?.properties ?? [];
  if (known.length === 0) {
    throw new Error('the server has reported no properties for this file yet (is it checked without errors?)');
  }
  const pos = c.protocol2CodeConverter.asPosition;
  const cursor = editor.selection.active;
  const ranged = known.map((p) => ({ p, range: new vscode.Range(pos(p.range.start), pos(p.range.end)) }));
  const hit = ranged.find((r) => r.range.contains(cursor)) ?? ranged.find((r) => r.range.start.line === cursor.line);
  if (hit) return hit.p;
  const above = (r: { range: vscode.Range }) => r.range.start.line <= cursor.line;
  const order = [...ranged].sort((a, b) => Number(above(b)) - Number(above(a)) ||
    Math.abs(cursor.line - a.range.start.line) - Math.abs(cursor.line - b.range.start.line));
  const pick = await vscode.window.showQuickPick(
    order.map(({ p }) => ({ label: p.name, description: p.status, p })),
    { placeHolder: 'The cursor is on no property line: choose one' },
  );
  return pick?.p;
}

async function verifyFile(): Promise<void> {
  const c = running();
  const editor = activeRspecEditor();
  await executeOnServer(c, Requests.verifyFile(serverUri(c, editor.document)));
}

async function verifyProperty(): Promise<void> {
  const c = running();
  const editor = activeRspecEditor();
  const p = await propertyAtCursor(c, editor);
  if (p) await executeOnServer(c, Requests.verifyProperty(serverUri(c, editor.document), p.name));
}

async function copyCounterexample(): Promise<void> {
  const c = running();
  const editor = activeRspecEditor();
  const p = await propertyAtCursor(c, editor);
  if (!p) return;
  const cex = await executeOnServer<Counterexample | null>(c, Requests.copyCounterexample(serverUri(c, editor.document), p.name));
  if (cex === null || cex === undefined) {
    void vscode.window.showInformationMessage(`RobustSpec: ${p.name} has no counterexample (it is ${p.status}).`);
    return;
  }
  await vscode.env.clipboard.writeText(JSON.stringify(cex));
  void vscode.window.showInformationMessage(
    `RobustSpec: copied the counterexample to ${p.name} (input of ${cex.input.length}, output of ${cex.output.length} values).`);
}

/** The server's per-item table of a data-set property, as a read-only document beside. */
async function showItemTable(uri: string, property: string, format: 'markdown' | 'csv'): Promise<void> {
  const c = running();
  const table = await executeOnServer<ItemTableResult>(c, Requests.itemTable(uri, property, format));
  const doc = vscode.Uri.from({ scheme: TABLE_SCHEME, path: itemTablePath(property, table.format) });
  tables.set(doc.toString(), table.text);
  tablesChanged.fire(doc);
  const opened = await vscode.workspace.openTextDocument(doc);
  await vscode.window.showTextDocument(opened, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

function bounds(c: LanguageClient, doc: vscode.TextDocument, property: string, layer: number | null): Promise<BoundsResult> {
  return c.sendRequest<BoundsResult>(BoundsRequestMethod, Requests.bounds(serverUri(c, doc), property, layer));
}

function plot(c: LanguageClient, doc: vscode.TextDocument, property: string, spec: PlotSpec): Promise<PlotResult | null> {
  return executeOnServer<PlotResult | null>(c, Requests.plot(serverUri(c, doc), property, spec));
}

function showPanel(context: vscode.ExtensionContext, kind: string, title: string, html: (o: PageOptions) => string): void {
  let panel = panels.get(kind);
  if (panel === undefined) {
    // No scripts and no local resources: the pages are static HTML with data: images.
    panel = vscode.window.createWebviewPanel(`robustspec.${kind}`, title, vscode.ViewColumn.Beside,
      { enableScripts: false, localResourceRoots: [] });
    panels.set(kind, panel);
    panel.onDidDispose(() => panels.delete(kind), null, context.subscriptions);
  }
  panel.title = title;
  panel.webview.html = html({ nonce: crypto.randomBytes(16).toString('base64') });
  panel.reveal(undefined, true);
}

async function showBounds(context: vscode.ExtensionContext): Promise<void> {
  const c = running();
  const editor = activeRspecEditor();
  const p = await propertyAtCursor(c, editor);
  if (!p) return;
  const [result, widths] = await Promise.all([
    bounds(c, editor.document, p.name, null),
    // The table is worth showing without the chart: a failed plot is logged, the page says so.
    plot(c, editor.document, p.name, { kind: 'widths' }).catch((err) => {
      output.appendLine(`robustspec.plot (widths) failed: ${message(err)}`);
      return null;
    }),
  ]);
  showPanel(context, 'bounds', `Bounds: ${p.name}`, (o) => renderBoundsHtml(result, widths?.svg ?? null, o));
}

async function showPlot(context: vscode.ExtensionContext): Promise<void> {
  const c = running();
  const editor = activeRspecEditor();
  const p = await propertyAtCursor(c, editor);
  if (!p) return;
  // The layers (names, kinds, sizes) come from the server's bounds of this property. A plot names
  // its layer as `robustspec plot --layer L` does: the L-th ReLU layer, counted from 1.
  const all = await bounds(c, editor.document, p.name, null);
  const relus = all.layers.filter((l) => l.kind === 'relu').map((l, k) => ({ l, number: k + 1 }));
  if (relus.length === 0) throw new Error(`the network of ${p.name} has no ReLU layer to plot`);
  const layerPick = await vscode.window.showQuickPick(
    relus.map((r) => ({ label: `ReLU layer ${r.number}`, description: `${r.l.name}, ${r.l.size} neurons`, r })),
    { placeHolder: `ReLU layer of ${p.name} to plot (two of its neurons)` },
  );
  if (!layerPick) return;
  const { l, number: layer } = layerPick.r;
  if (l.size < 2) throw new Error(`ReLU layer ${layer} has a single neuron: a plot needs two`);
  const answer = await vscode.window.showInputBox({
    prompt: `Two neurons of ReLU layer ${layer} (0 to ${l.size - 1}), e.g. "0, 1"`,
    value: '0, 1',
    validateInput: (text) => (parseNeurons(text, l.size) ? null : `two different integers from 0 to ${l.size - 1}, separated by a comma`),
  });
  const neurons = answer === undefined ? undefined : parseNeurons(answer, l.size);
  if (!neurons) return;
  const result = await plot(c, editor.document, p.name, { kind: 'neurons', layer, neurons });
  if (!result) throw new Error(`the server returned no plot for ${p.name}, ReLU layer ${layer}`);
  showPanel(context, 'plot', `Relaxation: ${p.name}`, (o) => renderPlotHtml(p.name, layer, neurons, result.svg, o));
}

function parseNeurons(text: string, size: number): [number, number] | undefined {
  const m = /^\s*(\d+)\s*[, ]\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const i = Number(m[1]);
  const j = Number(m[2]);
  return i < size && j < size && i !== j ? [i, j] : undefined;
}
