// The shipped bundle (dist/extension.js) activated against a stand-in for the 'vscode' module
// (VS Code itself cannot be downloaded here), on a machine without Java: it registers every
// contributed command, shows a notification that says what is missing, offers the setting, and
// its commands then say why there is no server.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import Module = require('node:module');
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extensionDir } from './helpers';

interface Recorder {
  commands: Map<string, (...args: unknown[]) => unknown>;
  errors: string[];
  executed: unknown[][];
  log: string[];
}

function fakeVscode(r: Recorder, answer: string | undefined): unknown {
  const disposable = { dispose() {} };
  // vscode-languageclient subclasses some vscode classes when it loads (CompletionItem, ...):
  // any name the stand-in lacks is an empty class.
  const rest = (target: Record<string | symbol, unknown>) =>
    new Proxy(target, { get: (t, k) => (k in t ? t[k] : class {}) });
  return rest({
    StatusBarAlignment: { Left: 1, Right: 2 },
    EventEmitter: class { event = () => disposable; fire() {} dispose() {} },
    ViewColumn: { Beside: -2 },
    window: {
      createOutputChannel: () => ({ appendLine: (l: string) => r.log.push(l), append() {}, show() {}, dispose() {} }),
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      onDidChangeActiveTextEditor: () => disposable,
      activeTextEditor: undefined,
      showErrorMessage: async (message: string) => { r.errors.push(message); return answer; },
      showInformationMessage: async () => undefined,
    },
    commands: {
      registerCommand: (id: string, run: (...args: unknown[]) => unknown) => { r.commands.set(id, run); return disposable; },
      executeCommand: async (...args: unknown[]) => { r.executed.push(args); },
    },
    workspace: {
      onDidChangeConfiguration: () => disposable,
      registerTextDocumentContentProvider: () => disposable,
      getConfiguration: () => ({ get: (key: string) => ({ 'java.home': '', 'verify.timeout': 60, 'verify.jobs': 2 } as Record<string, unknown>)[key] }),
    },
  });
}

/** Loads a fresh copy of the bundle with `vscode` resolved to the stand-in. */
function loadBundle(vscode: unknown): { activate: (ctx: unknown) => Promise<void>; ClientCommand: Record<string, string> } {
  const bundle = path.join(extensionDir, 'dist', 'extension.js');
  const m = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = m._load;
  m._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  try {
    delete require.cache[bundle];
    return require(bundle);
  } finally {
    m._load = load;
  }
}

describe('activation (bundle, stand-in vscode)', () => {
  it('without Java: registers the commands, says what is missing, opens the setting', async () => {
    const r: Recorder = { commands: new Map(), errors: [], executed: [], log: [] };
    const ext = loadBundle(fakeVscode(r, 'Open Settings'));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rspec-nojava-'));
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
    process.env.PATH = empty;
    delete process.env.JAVA_HOME;
    const context = { subscriptions: [] as unknown[], asAbsolutePath: (p: string) => path.join(extensionDir, p) };
    try {
      await ext.activate(context);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
    const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...r.commands.keys()].sort(), [...contributed].sort(), 'every contributed command, and only those');
    assert.equal(r.errors.length, 1, `one notification: ${r.errors}`);
    assert.match(r.errors[0], /needs Java 17 or newer.*robustspec\.java\.home: not set; JAVA_HOME: not set; PATH: no java on PATH/);
    // The answer to the notification is handled after activation (which must not wait for it).
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(r.executed, [['workbench.action.openSettings', 'robustspec.java.home']]);
    assert.ok(r.log.some((l) => /needs Java 17/.test(l)), 'the output channel has it too');

    await r.commands.get(ext.ClientCommand.verifyFile)!();
    assert.equal(r.errors.length, 2);
    assert.match(r.errors[1], /^RobustSpec: no language server: RobustSpec needs Java 17/);
  });
});
