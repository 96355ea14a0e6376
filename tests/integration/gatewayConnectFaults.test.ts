import { afterEach, describe, expect, it } from 'vitest';
import { createAxiosHttp } from '../../src/exact/axiosTransport';
import type { HttpFunction } from '../../src/exact/oauth';
import { connectExact, settle, startHarness, users, type Harness } from '../support/gatewayHarness';

describe('gateway connect flow under Exact faults', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('with 20% of Exact\'s answers failing, at least 19 of 20 connect attempts succeed', async () => {
    const http = createAxiosHttp();
    let failedAnswers = 0;
    const counting: HttpFunction = async (request) => {
      const response = await http(request);
      failedAnswers += response.status >= 500 ? 1 : 0;
      return response;
    };
    h = await startHarness({ knobs: { faultRate: 0.2 }, gatewayDeps: { exactHttp: counting } });
    const harness = h;
    const admin = await h.tokenFor(users.admin);
    const outcomes: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      const [result] = await settle(harness, [connectExact(harness, admin)]);
      outcomes.push(result!.page.status === 200 && result!.html.includes('"ok":true'));
      if (result!.page.status !== 200) {
        // A failed attempt says plainly that only a new one helps.
        expect(result!.html).toMatch(/only a new attempt can help/);
      }
    }
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(19);
    // The faults were really there: roughly a fifth of the flow's calls to Exact failed.
    expect(failedAnswers).toBeGreaterThanOrEqual(8);
  });
});
