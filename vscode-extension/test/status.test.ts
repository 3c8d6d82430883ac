// The status bar counts of robustspec/verdicts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { PropertyVerdict, VerdictStatus } from '../src/protocol';
import { countVerdicts, statusText, statusTooltip } from '../src/status';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
const v = (name: string, status: VerdictStatus, extra: Partial<PropertyVerdict> = {}): PropertyVerdict =>
  ({ name, status, pass: null, margin: null, millis: null, range, ...extra });

describe('status bar', () => {
  it('counts certified, falsified, unknown (with timeout), running (with pending) and errors', () => {
    const c = countVerdicts([v('a', 'certified'), v('b', 'certified'), v('c', 'falsified'), v('d', 'unknown'),
      v('e', 'timeout'), v('f', 'pending'), v('g', 'running'), v('h', 'error')]);
    assert.deepEqual(c, { certified: 2, falsified: 1, unknown: 2, running: 2, error: 1 });
    assert.equal(statusText(c), '$(pass) 2 $(error) 1 $(question) 2 $(sync~spin) 2 $(warning) 1');
  });

  it('shows three zeros for a file without properties', () => {
    assert.equal(statusText(countVerdicts([])), '$(pass) 0 $(error) 0 $(question) 0');
  });

  it('rejects a status outside the contract', () => {
    assert.throws(() => countVerdicts([v('a', 'proved' as VerdictStatus)]), /unknown verdict status "proved"/);
  });

  it('lists each property with the pass, margin and time in the tooltip', () => {
    const tip = statusTooltip([v('below_3', 'certified', { pass: 'deeppoly', margin: 0.5, millis: 11 }), v('p', 'pending')]);
    assert.match(tip, /^below_3: certified \(by deeppoly, margin 0\.5, 0\.011 s\)$/m);
    assert.match(tip, /^p: pending$/m);
  });
});
