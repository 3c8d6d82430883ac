// The TextMate grammar, tokenized with vscode-textmate + vscode-oniguruma (what VS Code uses):
//  1. golden files of every example's scopes (regenerate: npm run test:update-golden);
//  2. spot checks of keywords, declared names, numbers, strings and comments;
//  3. agreement with the real ANTLR lexer (from the server jar) on every token of every example
//     and of test/fixtures/lexical.rspec: same boundaries, same class (keyword, name, number, ...);
//  4. every reserved word of RobustSpec.g4 is highlighted as a keyword, and nothing else is.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { extensionDir, lexWithAntlr, AntlrToken, repoDir, serverJar } from './helpers';

interface TmToken { line: number; start: number; end: number; text: string; scopes: string[] }

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.robustspec') return null;
      const file = path.join(extensionDir, 'syntaxes', 'robustspec.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const g = await registry.loadGrammar('source.robustspec');
  assert.ok(g, 'the grammar loads');
  grammar = g;
});

function tokenize(text: string): TmToken[] {
  const out: TmToken[] = [];
  let state = textmate.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, line.length);
      out.push({ line: i + 1, start: t.startIndex, end, text: line.slice(t.startIndex, end), scopes: t.scopes.slice(1) });
    }
    state = r.ruleStack;
  });
  return out;
}

function goldenText(tokens: TmToken[]): string {
  return tokens.filter((t) => t.text.trim() !== '')
    .map((t) => `${t.line}:${t.start} ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n') + '\n';
}

const examples = fs.readdirSync(path.join(repoDir, 'examples')).filter((f) => f.endsWith('.rspec'))
  .map((f) => path.join(repoDir, 'examples', f));
const fixture = path.join(extensionDir, 'test', 'fixtures', 'lexical.rspec');
const inputs = [...examples, fixture];

describe('TextMate grammar', () => {
  it('finds the examples', () => {
    assert.ok(examples.length >= 3, `examples: ${examples.join(', ')}`);
  });

  for (const file of inputs) {
    it(`matches the golden scopes of ${path.basename(file)}`, () => {
      const golden = path.join(extensionDir, 'test', 'golden', `${path.basename(file)}.scopes`);
      const actual = goldenText(tokenize(fs.readFileSync(file, 'utf8')));
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, actual);
      assert.ok(fs.existsSync(golden), `missing ${golden}: run npm run test:update-golden`);
      assert.equal(actual, fs.readFileSync(golden, 'utf8'), `${golden} differs (intended? npm run test:update-golden)`);
    });
  }

  it('scopes keywords, declared names, numbers, strings and comments of the tutorial', () => {
    const tokens = tokenize(fs.readFileSync(path.join(repoDir, 'examples', 'tutorial.rspec'), 'utf8'));
    const scopeOf = (text: string, nth = 0): string => {
      const found = tokens.filter((t) => t.text === text);
      assert.ok(found.length > nth, `token ${JSON.stringify(text)} #${nth} in the tutorial`);
      return found[nth].scopes.join(' ');
    };
    assert.match(scopeOf('network'), /^keyword\.declaration\.network\.robustspec$/);
    assert.match(scopeOf('tiny'), /^entity\.name\.type\.network\.robustspec$/);
    assert.match(scopeOf('square'), /^entity\.name\.type\.region\.robustspec$/);
    assert.match(scopeOf('below_3'), /^entity\.name\.function\.property\.robustspec$/);
    assert.match(scopeOf('eps'), /^entity\.name\.constant\.robustspec$/);
    assert.match(scopeOf('forall'), /^keyword\.control\.quantifier\.robustspec$/);
    assert.match(scopeOf('relu'), /^keyword\.other\.layer\.robustspec$/);
    assert.match(scopeOf('argmax'), /^keyword\.other\.aggregate\.robustspec$/);
    assert.match(scopeOf('using'), /^keyword\.control\.robustspec$/);
    assert.match(scopeOf('1.2'), /^constant\.numeric\.robustspec$/);
    assert.match(scopeOf('0.25'), /^constant\.numeric\.robustspec$/);
    assert.match(scopeOf('<='), /^keyword\.operator\.comparison\.robustspec$/);
    assert.match(scopeOf('restarts'), /^variable\.parameter\.robustspec$/);
    const comment = tokens.find((t) => t.line === 1 && t.text.includes('five-minute'));
    assert.ok(comment && comment.scopes[0] === 'comment.line.double-slash.robustspec', JSON.stringify(comment));
    const mnist = tokenize(fs.readFileSync(path.join(repoDir, 'examples', 'mnist.rspec'), 'utf8'));
    const str = mnist.find((t) => t.text === 'mnist/mnist-net_256x2.onnx');
    assert.ok(str && str.scopes[0] === 'string.quoted.double.robustspec', JSON.stringify(str));
    const onnx = mnist.find((t) => t.text === 'onnx');
    assert.equal(onnx?.scopes.join(' '), 'support.function.robustspec');
  });

  it('scopes durations, escapes, block comments and error characters of the lexical fixture', () => {
    const tokens = tokenize(fs.readFileSync(fixture, 'utf8'));
    const scopes = (text: string) => tokens.filter((t) => t.text === text).map((t) => t.scopes.join(' '));
    assert.deepEqual(scopes('500ms'), ['constant.numeric.duration.robustspec']);
    assert.deepEqual(scopes('2min'), ['constant.numeric.duration.robustspec', 'constant.numeric.duration.robustspec'], '2min and 2mins');
    assert.deepEqual(scopes('30s'), ['constant.numeric.duration.robustspec', 'constant.numeric.duration.robustspec'], '30s and 30sx');
    assert.deepEqual(scopes('1e-3'), ['constant.numeric.robustspec']);
    assert.deepEqual(scopes('\\"'), ['string.quoted.double.robustspec constant.character.escape.robustspec',
      'string.quoted.double.robustspec constant.character.escape.robustspec']);
    const block = tokens.filter((t) => t.line === 4);
    assert.ok(block.length > 0 && block.every((t) => t.scopes[0] === 'comment.block.robustspec'), 'line 4 is inside the block comment');
    for (const bad of ['!', '@', '#', '$', '%']) assert.deepEqual(scopes(bad), ['invalid.illegal.character.robustspec'], bad);
  });

  it('highlights exactly the reserved words of RobustSpec.g4 as keywords', () => {
    const g4 = fs.readFileSync(path.join(repoDir, 'grammar', 'src', 'main', 'antlr4', 'dev', 'robustspec', 'grammar', 'RobustSpec.g4'), 'utf8');
    // Keywords are the alphabetic literals of the parser rules; the lexer rules (upper-case names,
    // after the parser rules) use 's', 'ms', 'min' inside DURATION, which are not words of their own.
    const parserRules = g4.slice(0, g4.search(/^[A-Z_]+\s*:/m));
    const reserved = [...new Set([...parserRules.matchAll(/'([a-z]+)'/g)].map((m) => m[1]))].sort();
    assert.ok(reserved.includes('forall') && reserved.length >= 20, `reserved words: ${reserved}`);
    for (const word of reserved) {
      const [t] = tokenize(`${word} `);
      assert.equal(t.text, word);
      assert.match(t.scopes.join(' '), /^keyword\./, `${word} is a keyword`);
    }
    // Identifiers the checker knows but the lexer does not reserve stay names.
    for (const word of ['onnx', 'interval', 'deeppoly', 'attack', 'x', 'center', 'eps']) {
      const [t] = tokenize(`${word} `);
      assert.doesNotMatch(t.scopes.join(' '), /^keyword\./, `${word} is not reserved`);
    }
  });

  it('agrees with the ANTLR lexer on every token of the examples and the fixture', { skip: serverJar() === null && 'no server jar (see helpers.ts)' }, () => {
    const lexed = lexWithAntlr(inputs);
    for (const file of inputs) {
      const antlr = lexed.get(file)!.tokens;
      const tm = tokenize(fs.readFileSync(file, 'utf8'));
      assert.ok(antlr.length > 10, `${file}: ANTLR tokens`);
      for (const a of antlr) checkToken(file, a, tm);
    }
  });
});

/** The class a highlighting scope stands for, comparable with the lexer's token types. */
function tmClass(scopes: string[]): string {
  const s = scopes.join(' ');
  if (s.startsWith('comment.')) return 'comment';
  if (s.startsWith('string.')) return 'string';
  if (s.startsWith('invalid.')) return 'invalid';
  if (s.startsWith('constant.numeric.duration')) return 'duration';
  if (s.startsWith('constant.numeric')) return 'number';
  if (s.startsWith('keyword.operator.logical')) return 'keyword';
  if (s.startsWith('keyword.operator') || s.startsWith('punctuation.')) return 'symbol';
  if (s.startsWith('keyword.')) return 'keyword';
  if (/^(entity|variable|support)\./.test(s)) return 'name';
  return `unscoped(${s})`;
}

function antlrClass(type: string): string {
  switch (type) {
    case 'LINE_COMMENT': case 'BLOCK_COMMENT': return 'comment';
    case 'STRING': return 'string';
    case 'NUMBER': return 'number';
    case 'DURATION': return 'duration';
    case 'IDENT': return 'name';
    case 'ERROR_CHAR': return 'invalid';
    default: return /^'[a-z]+'$/.test(type) ? 'keyword' : 'symbol';
  }
}

/** The TextMate tokens covering the ANTLR token (line by line for a block comment) start and end
 *  where it does and all have its class. Columns: both count UTF-16 units (the files are BMP). */
function checkToken(file: string, a: AntlrToken, tm: TmToken[]): void {
  const where = `${path.basename(file)}:${a.line}:${a.column} ${a.type} ${JSON.stringify(a.text)}`;
  const pieces = a.text.split('\n');
  pieces.forEach((piece, k) => {
    const line = a.line + k;
    const start = k === 0 ? a.column : 0;
    const end = start + piece.length;
    if (piece.length === 0) return;
    const covering = tm.filter((t) => t.line === line && t.end > start && t.start < end);
    assert.ok(covering.length > 0, `${where}: no TextMate token`);
    assert.equal(covering[0].start, start, `${where}: TextMate token starts at ${covering[0].start}`);
    assert.equal(covering[covering.length - 1].end, end, `${where}: TextMate token ends at ${covering[covering.length - 1].end}`);
    for (const t of covering) {
      assert.equal(tmClass(t.scopes), antlrClass(a.type), `${where}: highlighted as ${t.scopes.join(' ')}`);
    }
  });
}
