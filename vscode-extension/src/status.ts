// The status bar text for the active file: counts of the server's verdicts, nothing computed.
import type { PropertyVerdict, VerdictStatus } from './protocol';

export interface VerdictCounts {
  certified: number;
  falsified: number;
  /** unknown and timeout: both mean "not decided within the budget". */
  unknown: number;
  /** pending and running. */
  running: number;
  error: number;
}

export function countVerdicts(properties: readonly PropertyVerdict[]): VerdictCounts {
  const counts: VerdictCounts = { certified: 0, falsified: 0, unknown: 0, running: 0, error: 0 };
  const bucket: Record<VerdictStatus, keyof VerdictCounts> = {
    certified: 'certified', falsified: 'falsified', unknown: 'unknown', timeout: 'unknown',
    pending: 'running', running: 'running', error: 'error',
  };
  for (const p of properties) {
    const key = bucket[p.status];
    if (key === undefined) throw new Error(`unknown verdict status "${p.status}" for property ${p.name}`);
    counts[key]++;
  }
  return counts;
}

/** E.g. "$(pass) 3 $(error) 1 $(question) 0 $(sync~spin) 2"; codicons render in the status bar. */
export function statusText(c: VerdictCounts): string {
  let text = `$(pass) ${c.certified} $(error) ${c.falsified} $(question) ${c.unknown}`;
  if (c.running > 0) text += ` $(sync~spin) ${c.running}`;
  if (c.error > 0) text += ` $(warning) ${c.error}`;
  return text;
}

/** One line per property, for the status bar tooltip. */
export function statusTooltip(properties: readonly PropertyVerdict[]): string {
  if (properties.length === 0) return 'RobustSpec: no properties in this file';
  const lines = properties.map((p) => {
    const details = [
      p.pass !== null ? `by ${p.pass}` : null,
      p.margin !== null ? `margin ${p.margin}` : null,
      p.millis !== null ? `${(p.millis / 1000).toFixed(3)} s` : null,
    ].filter((d) => d !== null);
    return `${p.name}: ${p.status}${details.length ? ` (${details.join(', ')})` : ''}`;
  });
  return ['RobustSpec: certified / falsified / unknown', ...lines].join('\n');
}
