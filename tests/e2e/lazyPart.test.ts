/**
 * A part of a page that comes in a chunk of its own (src/ui/components/LazyPart.tsx), in real
 * Chromium: the labelled spinner while the chunk travels, what a person reads when it does not
 * arrive, trying again with the keyboard, and that errors of the part itself still reach the
 * page's own error handling. The chunk is a promise the test settles, so every state is seen.
 */
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizedStrings } from '../../sandbox/workbench/bundle';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';

const root = resolve(__dirname, '..', '..');

const entry = `
import * as React from 'react';
import * as ReactDom from 'react-dom';
import { ThemeProvider } from '@fluentui/react/lib/Theme';
import { lazyPart } from './src/ui/components/LazyPart';
import { namedTheme } from './src/ui/theme';

const w = window as any;
w.loads = 0;
const chunk = (component) => () => {
  w.loads += 1;
  return new Promise((arrive, fail) => {
    w.arrive = () => arrive(component);
    w.fail = () => fail(new Error('Loading chunk 42 failed. (error: https://cdn.example/chunk.42.js)'));
  });
};
const Greeting = lazyPart(chunk((props) => React.createElement('p', null, 'Open balance of ' + props.name)), () => 'Opening the balance…');
const Broken = lazyPart(chunk(() => { throw new Error('the part itself broke'); }));

class PageBoundary extends React.Component {
  state = { error: undefined };
  static getDerivedStateFromError(error) { return { error }; }
  render() { return this.state.error ? React.createElement('p', { role: 'alert' }, 'Page caught: ' + this.state.error.message) : this.props.children; }
}

w.unmount = () => ReactDom.unmountComponentAtNode(document.getElementById('root'));
w.show = (which) => ReactDom.render(
  React.createElement(ThemeProvider, { theme: namedTheme('light') },
    React.createElement('main', null,
      React.createElement('h1', null, 'Customer'),
      React.createElement(PageBoundary, null, which === 'broken' ? React.createElement(Broken, {}) : React.createElement(Greeting, { name: 'Acme B.V.' })))),
  document.getElementById('root'));
`;

describe.skipIf(browserMissing)('a lazily loaded part of a page (Chromium)', () => {
  let browser: Browser;
  let script = '';

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: entry, resolveDir: root, loader: 'tsx' },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      // React's development build reports errors a boundary caught as uncaught page errors too.
      define: { 'process.env.NODE_ENV': '"production"' },
      plugins: [localizedStrings()],
      logLevel: 'silent',
    });
    script = bundle.outputFiles[0]!.text;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(which: 'greeting' | 'broken', locale = 'en-us'): Promise<Page> {
    const { page } = await newPage(browser);
    await page.setContent(`<!doctype html><html lang="${locale}"><head><title>Part</title><script>window.FabricConfig = { fontBaseUrl: '' }; window.__connectorLocale = '${locale}';</script></head><body><div id="root"></div></body></html>`);
    await page.addScriptTag({ content: script });
    await page.evaluate((w) => (window as unknown as { show: (which: string) => void }).show(w), which);
    return page;
  }

  const loads = (page: Page) => page.evaluate(() => (window as unknown as { loads: number }).loads);
  const settle = (page: Page, how: 'arrive' | 'fail') => page.evaluate((h) => (window as unknown as Record<string, () => void>)[h]!(), how);

  it('shows its spinner while loading, says so when the chunk does not arrive, and loads again from the keyboard', async () => {
    const page = await open('greeting');
    await expect.poll(() => page.getByText('Opening the balance…').isVisible()).toBe(true);
    await expectClean(page, 'lazy part loading');
    await screenshot(page, 'lazy-part-loading');

    await settle(page, 'fail');
    const problem = page.getByText('This part of the page could not be loaded.', { exact: false });
    await expect.poll(() => problem.isVisible()).toBe(true);
    expect(await page.getByText('Details: Loading chunk 42 failed.', { exact: false }).isVisible()).toBe(true);
    await expectClean(page, 'lazy part failed');
    await screenshot(page, 'lazy-part-failed');

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Try again');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('Opening the balance…').isVisible()).toBe(true);
    expect(await loads(page)).toBe(2);

    await settle(page, 'arrive');
    await expect.poll(() => page.getByText('Open balance of Acme B.V.').isVisible()).toBe(true);
    expect(await page.getByText('This part of the page could not be loaded.', { exact: false }).count()).toBe(0);
    await expectClean(page, 'lazy part loaded');
  });

  it('after a failed chunk, the part mounted again (another customer, a profile opened again) loads again by itself', async () => {
    const page = await open('greeting');
    await settle(page, 'fail');
    await expect.poll(() => page.getByText('This part of the page could not be loaded.', { exact: false }).isVisible()).toBe(true);
    await page.evaluate(() => (window as unknown as { unmount: () => void }).unmount());
    await page.evaluate(() => (window as unknown as { show: (which: string) => void }).show('greeting'));
    await expect.poll(() => page.getByText('Opening the balance…').isVisible()).toBe(true);
    expect(await loads(page)).toBe(2);
    await settle(page, 'arrive');
    await expect.poll(() => page.getByText('Open balance of Acme B.V.').isVisible()).toBe(true);
  });

  it('reads as Dutch', async () => {
    const page = await open('greeting', 'nl-nl');
    await settle(page, 'fail');
    await expect.poll(() => page.getByText('Dit deel van de pagina kon niet worden geladen.', { exact: false }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Opnieuw proberen' }).isVisible()).toBe(true);
    await expectClean(page, 'lazy part failed, nl');
  });

  it('leaves an error of the part itself to the page, as before it was lazy', async () => {
    const page = await open('broken');
    await expect.poll(() => page.getByText('Loading…').isVisible()).toBe(true);
    await settle(page, 'arrive');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Page caught: the part itself broke');
    expect(await page.getByText('This part of the page could not be loaded.', { exact: false }).count()).toBe(0);
  });
});
