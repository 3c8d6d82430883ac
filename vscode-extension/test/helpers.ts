// Shared test helpers: paths, the server jar, and the ANTLR lexer run through test/java/LexTokens.java.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Tests run from out/test/, compiled from test/. */
export const extensionDir = path.resolve(__dirname, '..', '..');
export const repoDir = path.resolve(extensionDir, '..');
export const artifactsDir = path.join(extensionDir, 'test-artifacts');

/** The jar bundled into the .vsix by `npm run package` (scripts/copy-server.mjs). */
export function serverJar(): string | null {
  const jar = path.join(extensionDir, 'server', 'robustspec.jar');
  return fs.existsSync(jar) ? jar : null;
}

export interface AntlrToken { type: string; line: number; column: number; text: string }
export interface AntlrResult { tokens: AntlrToken[]; errors: string[] }

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' } as Record<string, string>)[c] ?? c);
}

/** Tokens and syntax errors of each file from the language's own lexer and parser (one JVM). */
export function lexWithAntlr(files: string[]): Map<string, AntlrResult> {
  const jar = serverJar();
  if (jar === null) throw new Error('no server jar: run npm run package first');
  const stdout = execFileSync('java', ['-cp', jar, path.join(extensionDir, 'test', 'java', 'LexTokens.java'), ...files],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const result = new Map<string, AntlrResult>();
  let current: AntlrResult | undefined;
  for (const line of stdout.split('\n')) {
    const [kind, ...f] = line.split('\t');
    if (kind === 'FILE') result.set(f[0], (current = { tokens: [], errors: [] }));
    else if (kind === 'TOK') current!.tokens.push({ type: unescape(f[0]), line: Number(f[1]), column: Number(f[2]), text: unescape(f[3]) });
    else if (kind === 'ERR') current!.errors.push(`${f[0]}:${f[1]}: ${unescape(f[2])}`);
  }
  return result;
}
