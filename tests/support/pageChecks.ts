import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations, pageProblems } from './browser';

/** axe finds nothing, no script error or dialog happened, and nothing needs sideways scrolling (320 px included). */
export async function expectClean(page: Page, state: string): Promise<void> {
  // Fluent fades messages in; axe must see the finished colours (spinners never finish).
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 10_000 })
    .catch(() => undefined);
  expect(await axeViolations(page), `axe on ${state}`).toEqual([]);
  expect(pageProblems(page), `script errors or dialogs on ${state}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow on ${state}`).toBeLessThanOrEqual(0);
}
