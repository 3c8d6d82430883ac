// Client ↔ server: the bundled server jar started from Node the way the extension starts it
// (same Java discovery, same command line), spoken to over stdio with vscode-languageserver-protocol,
// sending exactly the extension's requests (src/requests.ts) on examples/tutorial.rspec:
// verdict diagnostics and robustspec/verdicts, hover, robustspec/bounds, the executeCommands.
import { strict as assert } from 'node:assert';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, DiagnosticSeverity, ExecuteCommandRequest, ExitNotification, HoverRequest,
  InitializedNotification, InitializeRequest, ProtocolConnection, PublishDiagnosticsNotification,
  PublishDiagnosticsParams, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  DidOpenTextDocumentNotification, MarkupContent, CodeLensRequest,
} from 'vscode-languageserver-protocol/node';
import { findJava } from '../src/java';
import {
  BoundsRequestMethod, BoundsResult, Counterexample, ItemTableResult, PlotResult, ServerCommand,
  VerdictsNotificationMethod, VerdictsParams,
} from '../src/protocol';
import { clientLensCommand, itemTablePath, Requests, serverArgs, SHOW_ITEM_TABLE } from '../src/requests';
import { renderBoundsHtml, renderPlotHtml } from '../src/webview/html';
import { launchChromium } from './chromium';
import { artifactsDir, repoDir, serverJar } from './helpers';

const tutorial = path.join(repoDir, 'examples', 'tutorial.rspec');
const text = fs.readFileSync(tutorial, 'utf8');
const uri = pathToFileURL(tutorial).href;
const lines = text.split('\n');
const lineOf = (needle: string) => {
  const i = lines.findIndex((l) => l.startsWith(needle));
  assert.ok(i >= 0, `"${needle}" in the tutorial`);
  return i;
};
const FINAL = new Set(['certified', 'falsified', 'unknown', 'timeout', 'error']);

let java = 'java';
let server: ChildProcess | undefined;
let connection: ProtocolConnection;
let stderr = '';
const diagnostics: PublishDiagnosticsParams[] = [];
const verdicts: VerdictsParams[] = [];
const waiters: (() => void)[] = [];

before(async () => {
  const jar = serverJar();
  assert.ok(jar, 'the server jar (npm run package copies it to server/robustspec.jar)');
  const found = await findJava(undefined, process.env);
  assert.ok(found.ok, found.ok ? '' : found.message);
  java = found.java;
  // `robustspec --help` lists the subcommands (`lsp --help` would not tell: picocli answers
  // --help even after an unknown word).
  const probe = spawnSync(java, ['-jar', jar, '--help'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(probe.status, 0, `java -jar ${jar} --help: ${probe.stderr}`);
  assert.match(probe.stdout, /^Commands:$/m, 'the CLI lists its commands');
  assert.match(probe.stdout, /^\s+lsp\s/m, `the server jar ${jar} has the \`lsp\` subcommand`);
  server = spawn(java, serverArgs(jar, 30, 1), { stdio: ['pipe', 'pipe', 'pipe'] });
  server.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const notify = () => waiters.splice(0).forEach((w) => w());
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => { diagnostics.push(p); notify(); });
  connection.onNotification(VerdictsNotificationMethod, (p: VerdictsParams) => { verdicts.push(p); notify(); });
  // Requests the server may send the client; VS Code answers them with null too.
  for (const m of ['workspace/codeLens/refresh', 'workspace/semanticTokens/refresh', 'client/registerCapability']) connection.onRequest(m, () => null);
  connection.listen();
});

after(async () => {
  if (!server) return;
  if (server.exitCode === null) server.kill();
  connection?.dispose();
});

/** Resolves when check() holds after some notification, or fails after `ms` with the log. */
async function until<T>(what: string, check: () => T | undefined, ms = 60000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    const left = deadline - Date.now();
    if (left <= 0) assert.fail(`timed out waiting for ${what}; server stderr:\n${stderr.slice(-3000)}`);
    await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, Math.min(left, 1000)); });
  }
}

describe('client ↔ server (robustspec lsp)', () => {
  it('initializes and offers the contract\'s commands', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(repoDir).href, workspaceFolders: null,
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          synchronization: { didSave: true },
        },
        workspace: { executeCommand: {}, codeLens: { refreshSupport: true } },
      },
    });
    assert.ok(result.capabilities.hoverProvider, 'hover');
    const commands = result.capabilities.executeCommandProvider?.commands ?? [];
    for (const c of Object.values(ServerCommand)) assert.ok(commands.includes(c), `executeCommand ${c} (offered: ${commands.join(', ')})`);
    await connection.sendNotification(InitializedNotification.type, {});
  });

  it('publishes the verdicts as diagnostics and robustspec/verdicts', async () => {
    await connection.sendNotification(DidOpenTextDocumentNotification.type,
      { textDocument: { uri, languageId: 'robustspec', version: 1, text } });
    const final = await until('final verdicts of the tutorial', () =>
      verdicts.filter((v) => v.uri === uri && v.properties.length > 0 && v.properties.every((p) => FINAL.has(p.status))).at(-1));
    const status = Object.fromEntries(final.properties.map((p) => [p.name, p.status]));
    assert.deepEqual(status, { below_3: 'certified', below_1_2: 'falsified', class_0: 'certified' });
    for (const p of final.properties) {
      const line = lineOf(`property ${p.name}`);
      assert.ok(p.range.start.line <= line && line <= p.range.end.line, `${p.name}: range ${JSON.stringify(p.range)} holds line ${line}`);
      assert.ok(p.millis === null || p.millis >= 0);
    }
    assert.equal(final.properties.find((p) => p.name === 'below_3')!.pass, 'deeppoly');
    // The diagnostics after the verdicts: certified → Information, falsified → Error.
    const severityOn = (d: PublishDiagnosticsParams, line: number) => d.diagnostics.filter((x) => x.range.start.line === line).map((x) => x.severity);
    const last = await until('verdict diagnostics', () => diagnostics.filter((d) => d.uri === uri &&
      severityOn(d, lineOf('property below_1_2')).includes(DiagnosticSeverity.Error)).at(-1));
    assert.ok(severityOn(last, lineOf('property below_3')).includes(DiagnosticSeverity.Information), JSON.stringify(last));
    assert.ok(severityOn(last, lineOf('property class_0')).includes(DiagnosticSeverity.Information), JSON.stringify(last));
    assert.ok(!last.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error && d.range.start.line !== lineOf('property below_1_2')),
      `no other errors: ${JSON.stringify(last.diagnostics)}`);
  });

  it('answers hover on a network name', async () => {
    const line = lineOf('property below_3');
    const hover = await connection.sendRequest(HoverRequest.type,
      { textDocument: { uri }, position: { line, character: lines[line].indexOf('tiny(') + 1 } });
    assert.ok(hover, 'a hover');
    const contents = hover.contents as MarkupContent | string;
    const value = typeof contents === 'string' ? contents : contents.value;
    assert.match(value, /tiny/);
  });

  it('answers robustspec/bounds for every layer and for one', async () => {
    const all = await connection.sendRequest<BoundsResult>(BoundsRequestMethod, Requests.bounds(uri, 'below_3', null));
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(path.join(artifactsDir, 'server-bounds-below_3.json'), JSON.stringify(all, null, 2));
    assert.equal(all.property, 'below_3');
    assert.equal(all.network, 'tiny');
    assert.ok(all.passes.includes('interval') && all.passes.includes('deeppoly'), `passes ${all.passes}`);
    assert.ok(all.layers.length >= 3, `layers of tiny: ${all.layers.map((l) => l.name)}`);
    for (const l of all.layers) {
      assert.equal(typeof l.index, 'number');
      assert.ok(l.name && l.kind && l.size > 0, JSON.stringify(l));
      for (const [pass, b] of Object.entries(l.bounds)) {
        assert.ok(all.passes.includes(pass), pass);
        assert.ok(b.min <= b.max, `${l.name} ${pass}: min ${b.min} max ${b.max}`);
        assert.equal(b.stableActive + b.stableInactive + b.unstable, l.size, `${l.name} ${pass}: neuron counts`);
        assert.equal(b.neurons.length, Math.min(16, l.size));
        for (const n of b.neurons) assert.ok(n.lower <= n.upper);
      }
    }
    // The output of tiny: DeepPoly proves <= 3 (the tutorial says 2.5), interval only 3.5.
    const out = all.layers.at(-1)!;
    assert.ok(out.bounds.deeppoly.max <= 3 && out.bounds.interval.max >= 3.5 - 1e-9, JSON.stringify(out.bounds));
    const one = await connection.sendRequest<BoundsResult>(BoundsRequestMethod, Requests.bounds(uri, 'below_3', out.index));
    assert.deepEqual(one.layers.map((l) => l.index), [out.index]);
    // The server's own answer on the bounds page: one row per layer, every number shown.
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      await page.setContent(renderBoundsHtml(all, null, { nonce: 'c2VydmVyLXRlc3Q=' }), { waitUntil: 'load' });
      assert.equal(await page.$$eval('table.layers tbody tr', (r) => r.length), all.layers.length);
      assert.doesNotMatch(await page.textContent('table.layers') ?? '', /undefined|NaN|null/);
      await page.screenshot({ path: path.join(artifactsDir, 'server-bounds-table.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('copies the counterexample of the falsified property, none of a certified one', async () => {
    const cex = await connection.sendRequest(ExecuteCommandRequest.type, Requests.copyCounterexample(uri, 'below_1_2')) as Counterexample | null;
    assert.ok(cex, 'a counterexample');
    assert.equal(cex.input.length, 2);
    assert.equal(cex.output.length, 1);
    assert.ok(cex.output[0] > 1.2, `output ${cex.output}`);
    for (const x of cex.input) assert.ok(x >= -1 && x <= 1, `input ${cex.input} in the square`);
    assert.equal(await connection.sendRequest(ExecuteCommandRequest.type, Requests.copyCounterexample(uri, 'below_3')), null);
  });

  it('gives a data-set property one lens that opens its per-item table', async () => {
    // three 2-D points of the tutorial's classifier; the third has the wrong label (falsified)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rspec-items-'));
    fs.writeFileSync(path.join(dir, 'points.csv'), '0,1,0.25\n1,0,1.5\n1,1,0.25\n');
    const file = path.join(dir, 'items.rspec');
    const items = [
      'network classifier {', '  input x[2]', '  dense [[2, 1], [-1, 1], [1, -2]] + [0, 0.5, 0]', '  relu',
      '  dense [[1, 0, 1], [0, 1, 0]] + [0, 0]', '}', 'dataset points = csv("points.csv")',
      'property robust: forall (p, label) in points:',
      '  forall x in linf(center = p, eps = 0.1) clip [0, 2]: argmax(classifier(x)) == label', ''].join('\n');
    fs.writeFileSync(file, items);
    const itemsUri = pathToFileURL(file).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type,
      { textDocument: { uri: itemsUri, languageId: 'robustspec', version: 1, text: items } });
    await until('final verdicts of the items', () =>
      verdicts.filter((v) => v.uri === itemsUri && v.properties.length === 3 && v.properties.every((p) => FINAL.has(p.status))).at(-1));
    const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: itemsUri } });
    assert.equal(lenses?.length, 1, JSON.stringify(lenses));
    const lens = lenses![0];
    assert.equal(lens.command?.title, '✗ certified 2/3 · open table');
    assert.equal(lens.command?.command, ServerCommand.itemTable);
    assert.equal(clientLensCommand(lens.command!.command), SHOW_ITEM_TABLE, 'the extension opens it');
    assert.deepEqual(lens.command?.arguments, [itemsUri, 'robust', 'markdown']);
    const [u, property] = lens.command!.arguments as [string, string];
    const md = await connection.sendRequest(ExecuteCommandRequest.type, Requests.itemTable(u, property, 'markdown')) as ItemTableResult;
    assert.equal(md.format, 'markdown');
    assert.match(md.text, /^# robust: certified 2 of 3$/m);
    assert.match(md.text, /^\| 2 \| 1 \| falsified \|/m);
    const csv = await connection.sendRequest(ExecuteCommandRequest.type, Requests.itemTable(u, property, 'csv')) as ItemTableResult;
    assert.deepEqual(csv.text.trim().split('\n').map((l) => l.split(',').slice(0, 3).join(',')),
      ['index,label,verdict', '0,0,certified', '1,1,certified', '2,1,falsified']);
    assert.equal(itemTablePath('robust', 'csv'), '/robust.csv');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plots the widths and a neuron pair as SVG, which the bounds page shows', async () => {
    const widths = await connection.sendRequest(ExecuteCommandRequest.type, Requests.plot(uri, 'below_3', { kind: 'widths' })) as PlotResult;
    assert.match(widths?.svg ?? '', /^\s*(<\?xml[^>]*>\s*)?<svg\b/);
    const pair = await connection.sendRequest(ExecuteCommandRequest.type,
      Requests.plot(uri, 'below_3', { kind: 'neurons', layer: 1, neurons: [0, 1] })) as PlotResult;
    assert.match(pair?.svg ?? '', /<svg\b/);
    fs.writeFileSync(path.join(artifactsDir, 'server-relaxation.svg'), pair.svg);
    const bounds = await connection.sendRequest<BoundsResult>(BoundsRequestMethod, Requests.bounds(uri, 'below_3', null));
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      await page.setContent(renderBoundsHtml(bounds, widths.svg, { nonce: 'c2VydmVyLXRlc3Q=' }), { waitUntil: 'load' });
      assert.equal(await page.$$eval('table.layers tbody tr', (r) => r.length), bounds.layers.length);
      assert.ok(await page.$eval('img.chart', (i) => (i as HTMLImageElement).naturalWidth) > 0, 'the server SVG decodes as an image');
      await page.screenshot({ path: path.join(artifactsDir, 'server-bounds.png'), fullPage: true });
      await page.setContent(renderPlotHtml('below_3', 1, [0, 1], pair.svg, { nonce: 'c2VydmVyLXRlc3Q=' }), { waitUntil: 'load' });
      assert.ok(await page.$eval('img.plot', (i) => (i as HTMLImageElement).naturalWidth) > 0, 'the server\'s relaxation SVG decodes');
      await page.screenshot({ path: path.join(artifactsDir, 'server-relaxation.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('re-verifies a property on robustspec.verifyProperty and the file on robustspec.verifyFile', async () => {
    const before = verdicts.length;
    await connection.sendRequest(ExecuteCommandRequest.type, Requests.verifyProperty(uri, 'below_3'));
    await until('verdicts after verifyProperty', () => verdicts.slice(before).find((v) => v.uri === uri &&
      v.properties.find((p) => p.name === 'below_3')?.status === 'certified'));
    const mid = verdicts.length;
    await connection.sendRequest(ExecuteCommandRequest.type, Requests.verifyFile(uri));
    await until('verdicts after verifyFile', () => verdicts.slice(mid).find((v) => v.uri === uri &&
      v.properties.length === 3 && v.properties.every((p) => FINAL.has(p.status))));
  });

  it('shuts down and exits with 0', async () => {
    const exited = new Promise<number | null>((resolve) => server!.on('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  });
});
