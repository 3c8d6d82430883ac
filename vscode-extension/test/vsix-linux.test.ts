// The linux-x64 .vsix (npm run package:linux-x64; npm test builds it) carries a jlinked Java
// runtime in server/jre: its language server answers `initialize` on a machine with no Java.
// "No Java" is made with a private mount namespace (unshare -rm): an empty folder is mounted
// over /usr/lib/jvm (where every Debian JDK and the java/javac alternatives point) and the
// PATH holds only /usr/bin:/bin, so `java` cannot be found or run; the check inside says so
// before the server starts.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extensionDir } from './helpers';

const packageJson = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
const vsixPath = path.join(extensionDir, `${packageJson.name}-linux-x64-${packageJson.version}.vsix`);

/** Sends `initialize` over stdio (LSP framing) and resolves with the response's JSON. */
function initialize(cmd: string, args: string[]): Promise<{ response: any; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = Buffer.alloc(0);
    let stderr = '';
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`no answer in 120 s; stderr: ${stderr}`)); }, 120_000);
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}) before answering; stderr: ${stderr}`)); });
    p.stdout.on('data', (d: Buffer) => {
      out = Buffer.concat([out, d]);
      const text = out.toString('utf8');
      const m = /Content-Length: (\d+)\r\n\r\n/.exec(text);
      if (m && out.length >= m.index + m[0].length + Number(m[1])) {
        const body = out.subarray(m.index + m[0].length, m.index + m[0].length + Number(m[1])).toString('utf8');
        clearTimeout(timer);
        p.removeAllListeners('exit');
        p.kill('SIGKILL');
        resolve({ response: JSON.parse(body), stderr });
      }
    });
    const msg = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    p.stdin.write(`Content-Length: ${Buffer.byteLength(msg)}\r\n\r\n${msg}`);
  });
}

describe('linux-x64 .vsix', () => {
  it('holds a jlinked runtime and the server starts from it with no Java on the machine', async () => {
    assert.ok(fs.existsSync(vsixPath), `${vsixPath} is missing: run npm run package:linux-x64`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rspec-vsix-'));
    const unzip = spawnSync('unzip', ['-q', vsixPath, '-d', dir], { encoding: 'utf8' });
    assert.equal(unzip.status, 0, unzip.stderr);
    const java = path.join(dir, 'extension', 'server', 'jre', 'bin', 'java');
    const jar = path.join(dir, 'extension', 'server', 'robustspec.jar');
    assert.ok(fs.existsSync(java), 'server/jre/bin/java in the package');
    assert.ok(fs.existsSync(jar), 'server/robustspec.jar in the package');
    // only the modules jdeps named, not a whole JDK
    const modules = spawnSync(java, ['--list-modules'], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.ok(modules.length < 30 && !modules.some((m) => m.startsWith('jdk.compiler')), modules.join(', '));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rspec-nojava-'));
    const script = [
      `mount --bind '${empty}' /usr/lib/jvm`,
      'export PATH=/usr/bin:/bin; unset JAVA_HOME',
      'if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then echo "java is still reachable" >&2; exit 3; fi',
      `exec '${java}' -Xss8m -jar '${jar}' lsp`,
    ].join('\n');
    assert.equal(spawnSync('unshare', ['--help']).status, 0, 'unshare (util-linux) is needed for this test');
    const { response } = await initialize('unshare', ['-rm', 'sh', '-c', script]);
    assert.equal(response.id, 1);
    assert.ok(response.result && response.result.capabilities && response.result.capabilities.hoverProvider,
      JSON.stringify(response));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
