// HTML of the two webviews (bounds table + widths chart; relaxation plot), as pure functions of
// the server's JSON and SVG so the tests can render them in Chromium. The pages run no script.
// Strict CSP: nothing loads but our nonce'd <style> and images from data: URIs. The server's SVG
// is shown through <img src="data:image/svg+xml;base64,...">, never parsed into the page, so
// even a hostile SVG cannot run code or restyle the page.
import type { BoundsResult, LayerBounds, PassBounds } from '../protocol';

export interface PageOptions {
  /** A fresh random nonce per render, for our one <style> element. */
  nonce: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function contentSecurityPolicy(o: PageOptions): string {
  // No webview.cspSource: the pages load no local resource (localResourceRoots is empty).
  return `default-src 'none'; img-src data:; style-src 'nonce-${o.nonce}'; script-src 'none'; ` +
    `form-action 'none'; base-uri 'none'`;
}

/** Five significant digits, as the CLI prints bounds. */
export function formatNumber(x: number): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(5)));
}

/** An SVG shown as an image needs its namespace; inline SVG in HTML does not, so a server could
 *  well leave it out. */
export function withSvgNamespace(svg: string): string {
  return svg.replace(/<svg\b([^>]*)>/, (tag, attrs: string) =>
    /\sxmlns\s*=/.test(attrs) ? tag : `<svg xmlns="http://www.w3.org/2000/svg"${attrs}>`);
}

function svgImage(svg: string, alt: string, cls: string): string {
  svg = withSvgNamespace(svg);
  const src = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
  return `<img class="${cls}" alt="${escapeHtml(alt)}" src="${src}">`;
}

const STYLE = `
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-editor-foreground, #222); background: var(--vscode-editor-background, #fff); padding: 0 16px; }
h1 { font-size: 1.3em; font-weight: 600; }
h2 { font-size: 1.1em; font-weight: 600; margin-top: 1.5em; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--vscode-panel-border, #ccc); padding: 2px 8px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: var(--vscode-editor-font-family, monospace); }
td.none { text-align: center; color: var(--vscode-descriptionForeground, #888); }
thead th { background: var(--vscode-editorWidget-background, #f3f3f3); }
img.chart { max-width: 100%; background: #fff; border: 1px solid var(--vscode-panel-border, #ccc); }
p.note { color: var(--vscode-descriptionForeground, #666); }
details { margin: 4px 0; }
`;

function page(title: string, body: string, o: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(o.nonce)}">${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const STAT_COLUMNS = ['min lower', 'max upper', 'mean width', 'active', 'inactive', 'unstable'];

function statCells(b: PassBounds | undefined): string {
  if (b === undefined) return `<td class="none" colspan="${STAT_COLUMNS.length}">—</td>`;
  return [formatNumber(b.min), formatNumber(b.max), formatNumber(b.meanWidth),
    String(b.stableActive), String(b.stableInactive), String(b.unstable)]
    .map((v) => `<td class="num">${escapeHtml(v)}</td>`).join('');
}

function neuronTable(layer: LayerBounds, passes: string[]): string {
  const shown = Math.max(0, ...passes.map((p) => layer.bounds[p]?.neurons.length ?? 0));
  if (shown === 0) return '';
  const head = passes.map((p) => `<th>${escapeHtml(p)} lower</th><th>${escapeHtml(p)} upper</th>`).join('');
  const rows: string[] = [];
  for (let i = 0; i < shown; i++) {
    const cells = passes.map((p) => {
      const n = layer.bounds[p]?.neurons[i];
      return n === undefined ? '<td class="none">—</td><td class="none">—</td>'
        : `<td class="num">${formatNumber(n.lower)}</td><td class="num">${formatNumber(n.upper)}</td>`;
    }).join('');
    rows.push(`<tr><td class="num">${i}</td>${cells}</tr>`);
  }
  const more = layer.size > shown ? ` (the first ${shown} of ${layer.size})` : '';
  return `<details><summary>layer ${layer.index} ${escapeHtml(layer.name)}: neurons${more}</summary>
<table class="neurons"><thead><tr><th>neuron</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></details>`;
}

/** The per-layer bound table of one property, with the server's widths chart above it. */
export function renderBoundsHtml(bounds: BoundsResult, widthsSvg: string | null, o: PageOptions): string {
  const passes = bounds.passes;
  const title = `Bounds: ${bounds.property}`;
  const groupHead = passes.map((p) => `<th colspan="${STAT_COLUMNS.length}">${escapeHtml(p)}</th>`).join('');
  const statHead = passes.map(() => STAT_COLUMNS.map((c) => `<th>${c}</th>`).join('')).join('');
  const rows = bounds.layers.map((l) =>
    `<tr><td class="num">${l.index}</td><td>${escapeHtml(l.name)}</td><td>${escapeHtml(l.kind)}</td>` +
    `<td class="num">${l.size}</td>${passes.map((p) => statCells(l.bounds[p])).join('')}</tr>`).join('\n');
  const chart = widthsSvg === null
    ? '<p class="note">No widths chart: the server returned no plot.</p>'
    : `<figure>${svgImage(widthsSvg, `mean bound width per layer of ${bounds.property}`, 'chart')}</figure>`;
  const body = `<h1>Bounds of <code>${escapeHtml(bounds.property)}</code> on <code>${escapeHtml(bounds.network)}</code></h1>
<p class="note">Bounds of each layer's values over the property's input region, per pass (${passes.map(escapeHtml).join(', ')}).
Active / inactive / unstable: neurons whose ReLU is provably on / provably off / undecided.</p>
<h2>Mean width per layer</h2>
${chart}
<h2>Layers</h2>
<table class="layers">
<thead><tr><th rowspan="2">#</th><th rowspan="2">layer</th><th rowspan="2">kind</th><th rowspan="2">size</th>${groupHead}</tr>
<tr>${statHead}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Neurons</h2>
${bounds.layers.map((l) => neuronTable(l, passes)).join('\n')}`;
  return page(title, body, o);
}

/** The server's relaxation plot of two neurons of one layer. */
export function renderPlotHtml(property: string, layer: number, neurons: [number, number], svg: string, o: PageOptions): string {
  const what = `ReLU layer ${layer}, neurons ${neurons[0]} and ${neurons[1]}`;
  const body = `<h1>Relaxation of <code>${escapeHtml(property)}</code>: ${what}</h1>
<figure>${svgImage(svg, `relaxation of ${property}, ${what}`, 'chart plot')}</figure>`;
  return page(`Relaxation: ${property}`, body, o);
}
