// language-configuration.json agrees with the lexer (comment tokens, bracket tokens) and its
// regular expressions do what they are for.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extensionDir, repoDir } from './helpers';

const config = JSON.parse(fs.readFileSync(path.join(extensionDir, 'language-configuration.json'), 'utf8'));
const g4 = fs.readFileSync(path.join(repoDir, 'grammar', 'src', 'main', 'antlr4', 'dev', 'robustspec', 'grammar', 'RobustSpec.g4'), 'utf8');

describe('language configuration', () => {
  it('has the lexer\'s comments', () => {
    assert.match(g4, /^LINE_COMMENT\s*:\s*'\/\/'/m);
    assert.match(g4, /^BLOCK_COMMENT\s*:\s*'\/\*' \.\*\? '\*\/'/m);
    assert.deepEqual(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  });

  it('pairs exactly the bracket tokens of the grammar, and closes them and quotes', () => {
    const literals = new Set([...g4.matchAll(/'([^'\s]+)'/g)].map((m) => m[1]));
    const brackets = [['{', '}'], ['[', ']'], ['(', ')']].filter(([o, c]) => literals.has(o) && literals.has(c));
    assert.deepEqual(config.brackets, brackets);
    const closing = config.autoClosingPairs.map((p: { open: string; close: string }) => [p.open, p.close.trim()]);
    for (const pair of [...brackets, ['"', '"'], ['/*', '*/']]) assert.ok(closing.some((c: string[]) => c[0] === pair[0] && c[1] === pair[1]), pair.join(''));
  });

  it('words are names and whole numbers, durations included', () => {
    const word = new RegExp(`^(?:${config.wordPattern})$`);
    for (const w of ['below_1_2', '_x', 'x2', '2.5E+2', '.5', '1e-3', '30s', '500ms', '2min']) assert.match(w, word, w);
    for (const w of ['x-y', '1.', '..']) assert.doesNotMatch(w, word, w);
  });

  it('indents inside { and [, outdents at } and ], folds at //#region markers only', () => {
    const inc = new RegExp(config.indentationRules.increaseIndentPattern);
    const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
    assert.match('network tiny {', inc);
    assert.match('region wide = box {', inc);
    assert.doesNotMatch('region r = box { x[0] in [0, 1] }', inc);
    assert.match('  }', dec);
    const start = new RegExp(config.folding.markers.start);
    assert.match('// #region inputs', start);
    assert.doesNotMatch('// region definitions: one box per phi', start, 'a comment about regions is no fold marker');
    assert.match('//#endregion', new RegExp(config.folding.markers.end));
  });
});
