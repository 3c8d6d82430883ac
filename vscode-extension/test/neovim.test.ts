// Neovim's syntax file (editors/neovim/syntax/robustspec.vim) is generated from this
// extension's TextMate grammar: it must be up to date with it, so the two editors colour the
// same tokens. After a grammar change: node ../editors/neovim/generate-syntax.mjs
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extensionDir } from './helpers';

describe('Neovim syntax', () => {
  it('is generated from the current TextMate grammar', () => {
    const script = path.join(extensionDir, '..', 'editors', 'neovim', 'generate-syntax.mjs');
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  });
});
