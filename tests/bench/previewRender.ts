/**
 * How the import-profiles preview holds up with 10,000 records: the real EntryList component,
 * bundled as the workbench bundles it, in Debian's Chromium. Reports the time to the first screen
 * and how many rows are in the DOM (it must stay a screenful, not 10,000). A figure, not a test.
 */
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { localizedStrings } from '../../sandbox/workbench/bundle';
import { launchChromium } from '../support/browser';

export interface PreviewRenderResult {
  records: number;
  firstScreenMs: number;
  rowsInDom: number;
  afterScrollRowsInDom: number;
}

const root = resolve(__dirname, '..', '..');

const entry = (records: number): string => `
import * as React from 'react';
import * as ReactDom from 'react-dom';
import { ConnectorRoot } from './src/ui/ConnectorRoot';
import { namedTheme } from './src/ui/theme';
import { EntryList } from './src/webparts/importProfiles/components/EntryList';
const entries = Array.from({ length: ${records} }, (_, i) => ({
  exactKey: 'key-' + i, label: 'Bedrijf ' + i + ' B.V.', action: i % 10 === 0 ? 'update' : 'create', reason: { code: 'newInExact', args: [] }, itemId: null,
  changes: [{ field: 'Title', before: null, after: 'Bedrijf ' + i + ' B.V.' }, { field: 'City', before: null, after: 'Utrecht' }],
  problems: [], kept: [], outcome: 'none',
}));
const services = { explain: (e) => ({ kind: 'unknown', message: String(e) }) };
(window as any).renderPreview = () => new Promise((done) => {
  const started = performance.now();
  ReactDom.render(
    React.createElement(ConnectorRoot, { environment: { services, locale: 'en-US' }, theme: namedTheme('light') },
      React.createElement(EntryList, { id: 'bench', entries })),
    document.getElementById('root'),
    () => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - started))),
  );
});
`;

export async function benchPreviewRender(records = 10_000): Promise<PreviewRenderResult> {
  const bundle = await build({
    stdin: { contents: entry(records), resolveDir: root, loader: 'tsx' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [localizedStrings()],
    logLevel: 'silent',
  });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.setContent(`<!doctype html><html><head><script>window.FabricConfig = { fontBaseUrl: '' };</script></head><body><div id="root"></div></body></html>`);
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const firstScreenMs = await page.evaluate(() => (window as unknown as { renderPreview: () => Promise<number> }).renderPreview());
    const rows = () => page.evaluate(() => document.querySelectorAll('.ms-DetailsRow').length);
    const rowsInDom = await rows();
    await page.evaluate(() => {
      const scroller = document.querySelector('[data-is-scrollable=true]');
      if (scroller) scroller.scrollTop = scroller.scrollHeight / 2;
    });
    await page.waitForTimeout(300);
    return { records, firstScreenMs: Math.round(firstScreenMs), rowsInDom, afterScrollRowsInDom: await rows() };
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  benchPreviewRender(Number(process.env.BENCH_PREVIEW_RECORDS ?? 10_000)).then(
    (r) => console.log(`preview of ${r.records} records: first screen ${r.firstScreenMs} ms, ${r.rowsInDom} rows in the DOM (${r.afterScrollRowsInDom} after scrolling half way)`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
