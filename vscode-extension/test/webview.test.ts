// The webview pages, rendered in headless Chromium from fixtures that follow the server contract
// (robustspec/bounds JSON, plot SVGs): the table and the chart are there, the strict CSP lets our
// own style through and refuses anything injected, and screenshots land in test-artifacts/.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { BoundsResult } from '../src/protocol';
import { contentSecurityPolicy, renderBoundsHtml, renderPlotHtml, withSvgNamespace } from '../src/webview/html';
import { launchChromium } from './chromium';
import { artifactsDir, extensionDir } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(extensionDir, 'test', 'fixtures', name), 'utf8');
const bounds: BoundsResult = JSON.parse(fixture('bounds-below_3.json'));
const widthsSvg = fixture('widths.svg');
const relaxationSvg = fixture('relaxation.svg');
const options = { nonce: 'dGVzdC1ub25jZS0xMjM0NQ==' };

let context: BrowserContext;
let close: () => Promise<void>;

before(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true });
  ({ context, close } = await launchChromium());
});
after(async () => close?.());

/** Loads the HTML and collects console messages (Chromium reports CSP refusals there). */
async function open(html: string): Promise<{ page: Page; console: string[] }> {
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  await page.setContent(html, { waitUntil: 'load' });
  return { page, console };
}

async function imageSize(page: Page, selector: string): Promise<{ w: number; h: number; src: string }> {
  return page.$eval(selector, (img) => {
    const i = img as HTMLImageElement;
    return { w: i.naturalWidth, h: i.naturalHeight, src: i.src.slice(0, 26) };
  });
}

describe('webview HTML in Chromium', () => {
  it('bounds page: the per-layer table, the widths chart, our style under the CSP', async () => {
    const { page, console } = await open(renderBoundsHtml(bounds, widthsSvg, options));
    const rows = await page.$$eval('table.layers tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.equal(rows.length, 3);
    // # | layer | kind | size | interval: min max width active inactive unstable | deeppoly: ...
    assert.deepEqual(rows[2], ['2', 'dense_2', 'dense', '1', '-0.5', '3.5', '4', '0', '0', '1', '-0.5', '2.5', '3', '0', '0', '1']);
    const groups = await page.$$eval('table.layers thead tr:first-child th[colspan]', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(groups, ['interval', 'deeppoly']);
    const neuronTables = await page.$$eval('table.neurons', (t) => t.length);
    assert.equal(neuronTables, 3);
    const chart = await imageSize(page, 'img.chart');
    assert.equal(chart.src, 'data:image/svg+xml;base64,');
    assert.deepEqual([chart.w, chart.h], [360, 200], 'the SVG decoded at its own size');
    const collapse = await page.$eval('table.layers', (t) => getComputedStyle(t).borderCollapse);
    assert.equal(collapse, 'collapse', 'the nonce style applies');
    assert.deepEqual(console.filter((m) => /Content Security Policy|Refused/.test(m)), []);
    await page.$$eval('details', (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const png = path.join(artifactsDir, 'bounds.png');
    await page.screenshot({ path: png, fullPage: true });
    assert.ok(fs.statSync(png).size > 10000, `${png} is a real screenshot`);
    await page.close();
  });

  it('bounds page without a widths chart says so', async () => {
    const { page } = await open(renderBoundsHtml(bounds, null, options));
    assert.equal(await page.$$eval('img', (i) => i.length), 0);
    assert.match(await page.textContent('body') ?? '', /No widths chart/);
    await page.close();
  });

  it('plot page: the relaxation SVG for the chosen layer and neurons', async () => {
    const { page, console } = await open(renderPlotHtml('below_3', 1, [0, 1], relaxationSvg, options));
    assert.match(await page.textContent('h1') ?? '', /below_3.*ReLU layer 1, neurons 0 and 1/);
    const img = await imageSize(page, 'img.plot');
    assert.deepEqual([img.w, img.h], [320, 320]);
    assert.deepEqual(console.filter((m) => /Content Security Policy|Refused/.test(m)), []);
    const png = path.join(artifactsDir, 'relaxation-plot.png');
    await page.screenshot({ path: png, fullPage: true });
    assert.ok(fs.statSync(png).size > 5000);
    await page.close();
  });

  it('shows an SVG that lacks its xmlns (as inline SVG in HTML may)', async () => {
    const bare = relaxationSvg.replace(' xmlns="http://www.w3.org/2000/svg"', '');
    assert.ok(!bare.includes('xmlns'));
    assert.equal(withSvgNamespace(relaxationSvg), relaxationSvg, 'an SVG with its namespace is left alone');
    const { page } = await open(renderPlotHtml('below_3', 1, [0, 1], bare, options));
    assert.deepEqual([(await imageSize(page, 'img.plot')).w], [320]);
    await page.close();
  });

  it('escapes names from the file and never runs the SVG', async () => {
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const evil: BoundsResult = { ...bounds, property: hostile, layers: bounds.layers.map((l) => ({ ...l, name: hostile })) };
    const evilSvg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="top.pwned=3"><script>top.pwned=4</script></svg>';
    const { page } = await open(renderBoundsHtml(evil, evilSvg, options));
    assert.equal(await page.$$eval('script', (s) => s.length), 0);
    assert.equal(await page.$$eval('img', (i) => i.length), 1, 'only the chart image');
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    assert.ok((await page.textContent('h1'))!.includes(hostile), 'shown as text');
    await page.close();
  });

  it('the CSP refuses injected scripts, styles and remote images', async () => {
    const html = renderBoundsHtml(bounds, widthsSvg, options).replace('<body>',
      '<body><script>window.pwned=1</script><style>body { background: rgb(255, 0, 0) }</style>' +
      '<img id="remote" src="http://127.0.0.1:9/x.png"><div id="inline" style="color: rgb(255, 0, 0)">x</div>');
    const { page, console } = await open(html);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    assert.notEqual(await page.$eval('body', (b) => getComputedStyle(b).backgroundColor), 'rgb(255, 0, 0)');
    assert.notEqual(await page.$eval('#inline', (d) => getComputedStyle(d).color), 'rgb(255, 0, 0)');
    assert.equal((await imageSize(page, '#remote')).w, 0);
    const refused = console.filter((m) => /Content Security Policy/.test(m));
    assert.ok(refused.length >= 3, `CSP refusals: ${refused.join('\n')}`);
    assert.match(contentSecurityPolicy(options), /^default-src 'none'; img-src data:; style-src 'nonce-[^']+'; script-src 'none'/);
    await page.close();
  });
});
