// The .vsix built by `npm run package` (npm test builds it first): its manifest, its
// contributions and its files, read back from the archive as VS Code would install it.
import { strict as assert } from 'node:assert';
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as yauzl from 'yauzl';
import { ServerCommand } from '../src/protocol';
import { extensionDir } from './helpers';

const packageJson = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
// vsce package names it NAME-VERSION.vsix.
const vsixPath = path.join(extensionDir, `${packageJson.name}-${packageJson.version}.vsix`);
const files = new Map<string, Buffer>();

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

before(async () => {
  assert.ok(fs.existsSync(vsixPath), `${vsixPath} is missing: run npm run package`);
  for (const [name, data] of await readZip(vsixPath)) files.set(name, data);
});

const text = (name: string) => {
  const data = files.get(name);
  assert.ok(data, `${name} in the .vsix (it has ${[...files.keys()].join(', ')})`);
  return data.toString('utf8');
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const manifest = (): any => JSON.parse(text('extension/package.json'));

describe('.vsix', () => {
  it('holds the server jar, the bundle and the static contributions, and nothing else', () => {
    const jar = files.get('extension/server/robustspec.jar');
    assert.ok(jar && jar.length > 1_000_000, 'the server jar');
    assert.equal(jar.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'the jar is a zip');
    assert.equal(jar.length, fs.statSync(path.join(extensionDir, 'server', 'robustspec.jar')).size);
    const extensionFiles = [...files.keys()].filter((f) => f.startsWith('extension/')).sort();
    assert.deepEqual(extensionFiles, [
      'extension/dist/extension.js', 'extension/language-configuration.json', 'extension/package.json',
      'extension/readme.md', 'extension/server/robustspec.jar', 'extension/snippets/robustspec.json',
      'extension/syntaxes/robustspec.tmLanguage.json',
    ]);
  });

  it('has a manifest VS Code accepts: identity, engine, entry point', () => {
    const xml = text('extension.vsixmanifest');
    assert.ok(xml.includes(`<Identity Language="en-US" Id="robustspec" Version="${packageJson.version}" Publisher="robustspec"`), xml);
    assert.match(xml, /<InstallationTarget Id="Microsoft\.VisualStudio\.Code"\/>/);
    assert.match(xml, /Microsoft\.VisualStudio\.Code\.Engine" Value="\^1\.82\.0"/);
    const pkg = manifest();
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(files.has('extension/dist/extension.js'));
    assert.deepEqual(pkg.activationEvents, ['onLanguage:robustspec']);
  });

  it('bundles everything: the extension requires only vscode and Node built-ins', () => {
    const requires = [...new Set([...text('extension/dist/extension.js').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]))];
    assert.ok(requires.includes('vscode'));
    const external = requires.filter((r) => r !== 'vscode' && !builtinModules.includes(r.replace(/^node:/, '')));
    assert.deepEqual(external, []);
  });

  it('claims *.rspec files but not Ruby\'s .rspec dotfile', () => {
    const [lang] = manifest().contributes.languages;
    assert.equal(lang.id, 'robustspec');
    assert.equal(lang.extensions, undefined, '"extensions": [".rspec"] would claim the dotfile too');
    assert.ok(files.has(`extension/${lang.configuration.replace(/^\.\//, '')}`));
    // VS Code matches a pattern without a slash against the base name, with `*` as [^/]* and `?`
    // as [^/] (src/vs/base/common/glob.ts): both match dots, a leading one included.
    const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    const claims = (name: string) => lang.filenamePatterns.some((p: string) => glob(p).test(name));
    assert.ok(glob('*.rspec').test('.rspec'), 'the plain pattern would claim the dotfile');
    assert.ok(claims('tutorial.rspec'));
    assert.ok(claims('a.rspec'));
    assert.ok(!claims('.rspec'), 'Ruby\'s RSpec options file');
    assert.ok(!claims('tutorial.rspec.bak'));
  });

  it('contributes the grammar, the snippets and the settings', () => {
    const c = manifest().contributes;
    assert.deepEqual(c.grammars.map((g: { scopeName: string }) => g.scopeName), ['source.robustspec']);
    assert.ok(files.has(`extension/${c.grammars[0].path.replace(/^\.\//, '')}`));
    assert.ok(files.has(`extension/${c.snippets[0].path.replace(/^\.\//, '')}`));
    const settings = c.configuration.properties;
    assert.deepEqual(Object.keys(settings).sort(),
      ['robustspec.java.home', 'robustspec.trace.server', 'robustspec.verify.jobs', 'robustspec.verify.timeout']);
    assert.equal(settings['robustspec.verify.timeout'].default, 60, 'as robustspec lsp --timeout');
    assert.equal(settings['robustspec.verify.jobs'].default, 2, 'as robustspec lsp --jobs');
  });

  it('contributes client commands that differ from the server\'s and that the bundle registers', () => {
    const c = manifest().contributes;
    const ids: string[] = c.commands.map((x: { command: string }) => x.command);
    for (const wanted of ['verifyFile', 'verifyProperty', 'showBounds', 'showPlot', 'copyCounterexample']) {
      assert.ok(ids.includes(`robustspec.client.${wanted}`), wanted);
    }
    for (const server of Object.values(ServerCommand)) assert.ok(!ids.includes(server), `${server} is the server's`);
    const bundle = text('extension/dist/extension.js');
    for (const id of ids) assert.ok(bundle.includes(`"${id}"`), `the bundle registers ${id}`);
    for (const [menu, entries] of Object.entries(c.menus) as [string, { command: string }[]][]) {
      for (const e of entries) assert.ok(ids.includes(e.command), `${menu}: ${e.command} is contributed`);
    }
  });
});
