// @vitest-environment jsdom
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { act } from 'react-dom/test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrderCards } from '../../src/webparts/importProfiles/components/orders/OrderCards';

interface Run { id: string }

/** The cards' narrow layout: jsdom lays nothing out, so every element is 0 px wide once a ResizeObserver exists. */
beforeAll(() => {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class { observe(): void {} disconnect(): void {} };
});

let host: HTMLDivElement | undefined;
afterEach(() => {
  if (host) ReactDOM.unmountComponentAtNode(host);
  host?.remove();
});

/** The same array every time, as the page's loaded runs are while only the shown run changes. */
const runs: Run[] = [{ id: 'run-1' }, { id: 'run-2' }];

function render(shown: string): void {
  act(() => {
    ReactDOM.render(
      React.createElement(OrderCards<Run>, {
        items: runs, fields: [{ key: 'id', name: 'Run', render: (r: Run) => r.id, minWidth: 80 }], title: (r: Run) => r.id,
        actions: (r: Run) => React.createElement('button', { 'aria-pressed': shown === r.id }, `Show ${r.id}`),
        getKey: (r: Run) => r.id, label: 'Earlier runs', testId: 'runs', version: shown,
      }),
      host!,
    );
  });
}

describe('M8: the cards at 320 px follow what their actions depend on', () => {
  it('"Show" of the run shown is pressed, also after another run is shown', () => {
    host = document.createElement('div');
    document.body.appendChild(host);
    render('run-1');
    const pressed = (): string[] => [...host!.querySelectorAll('[data-testid="runs-card"] button[aria-pressed="true"]')].map((b) => b.textContent ?? '');
    expect(host.querySelectorAll('[data-testid="runs-card"]')).toHaveLength(2);
    expect(pressed()).toEqual(['Show run-1']);
    render('run-2');
    expect(pressed()).toEqual(['Show run-2']);
  });
});
