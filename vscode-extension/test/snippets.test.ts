// Every snippet, expanded with its default placeholder values, is a syntactically valid
// declaration for the language's own parser (from the server jar), and the four
// snippet prefixes exist.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extensionDir, lexWithAntlr, serverJar } from './helpers';

interface Snippet { prefix: string; body: string[]; description: string }
const snippets: Record<string, Snippet> = JSON.parse(fs.readFileSync(path.join(extensionDir, 'snippets', 'robustspec.json'), 'utf8'));

/** VS Code's expansion with defaults: ${1:x} → x (innermost first), ${1|a,b|} → a, $1 → the value of 1. */
export function expand(body: string[]): string {
  let text = body.join('\n');
  const values = new Map<string, string>();
  for (;;) {
    const next = text.replace(/\$\{(\d+):([^${}]*)\}/, (_, n: string, v: string) => (values.set(n, v), v))
      .replace(/\$\{(\d+)\|([^|]*)\|\}/, (_, n: string, choices: string) => {
        const v = choices.split(',')[0];
        values.set(n, v);
        return v;
      });
    if (next === text) break;
    text = next;
  }
  return text.replace(/\$(\d+)/g, (_, n: string) => values.get(n) ?? '');
}

describe('snippets', () => {
  it('cover network, region, property and verify', () => {
    const prefixes = new Set(Object.values(snippets).map((s) => s.prefix));
    for (const p of ['network', 'region', 'property', 'verify']) assert.ok(prefixes.has(p), `a snippet with prefix ${p}`);
  });

  it('expand a placeholder of the form ${1:x} and a choice', () => {
    assert.equal(expand(['${1:a} ${2|b,c|} $1 $0']), 'a b a ');
    assert.equal(expand(['${1:f(${2:5})} $2']), 'f(5) 5');
  });

  it('parse without errors, each expanded alone', { skip: serverJar() === null && 'no server jar' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rspec-snippets-'));
    const files = Object.entries(snippets).map(([name, s], i) => {
      const file = path.join(dir, `snippet${i}.rspec`);
      const text = expand(s.body);
      assert.doesNotMatch(text, /\$/, `${name}: placeholders left in ${JSON.stringify(text)}`);
      assert.ok(text.startsWith(s.prefix), `${name} starts with its prefix`);
      fs.writeFileSync(file, text);
      return { name, file, text };
    });
    const lexed = lexWithAntlr(files.map((f) => f.file));
    for (const f of files) {
      const r = lexed.get(f.file)!;
      assert.deepEqual(r.errors, [], `${f.name}: ${JSON.stringify(f.text)}`);
      assert.ok(r.tokens.length >= 4, `${f.name} has tokens`);
    }
    // The parser does report errors (so an empty list above means something).
    const bad = path.join(dir, 'bad.rspec');
    fs.writeFileSync(bad, 'region r = box { x[0] in [0, 1 }');
    assert.equal(lexWithAntlr([bad]).get(bad)!.errors.length, 1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
