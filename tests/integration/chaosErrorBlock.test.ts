import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { EXACT_ERROR_BUDGET } from '../../src/sync/read/exactErrorGuard';
import { startChaosSandbox, wireEndpoints, type ChaosSandbox } from '../support/chaosWiring';

/**
 * Exact's error block over the emulator (blocking on, as Exact does): an admin whose connection
 * Exact no longer accepts presses Run again and again. The engine stops calling Exact before the
 * 10th error of the hour and says why, so the endpoint is never blocked.
 */
describe("a run that meets repeated Exact errors stops before Exact's 10-an-hour block", () => {
  let sb: ChaosSandbox;

  beforeAll(async () => {
    sb = await startChaosSandbox({ seed: 1, accounts: 5, knobs: { blockOnErrors: true } });
    await sb.services().importProfiles.profiles.ensureDefaults(sb.division);
  }, 60_000);

  afterAll(async () => {
    await sb?.sandbox.close();
  });

  it('twelve presses of Run with a token Exact refuses: at most 8 errors reach Exact, then the run says it stopped', async () => {
    const clock = new TestClock(Date.now());
    const tab = wireEndpoints({ ...sb.endpoints, token: 'a-token-exact-no-longer-accepts' }, clock);
    const messages: string[] = [];
    for (let press = 0; press < 12; press++) {
      await tab.engine.run('companies', { user: 'admin@contoso.nl' }).then(
        () => messages.push('ran'),
        (error: unknown) => messages.push(error instanceof Error ? error.message : String(error)),
      );
    }
    const errors = sb.exactControl.errorCount(sb.division, 'sync/CRM/Accounts');
    expect(errors).toBe(EXACT_ERROR_BUDGET);
    expect(errors).toBeLessThan(sb.exactControl.knobs().errorLimit);
    expect(messages.slice(0, EXACT_ERROR_BUDGET).every((m) => /401/.test(m)), messages[0]).toBe(true);
    for (const m of messages.slice(EXACT_ERROR_BUDGET)) {
      expect(m).toMatch(/^Exact answered 8 errors on Account \(sync read\) in division \d+ in the last hour \(latest: .*401.*\)\. Exact blocks the app on an endpoint for an hour after 10, so this run stopped before calling it again\./);
      expect(m).toMatch(/try again after \d{4}-\d\d-\d\dT/);
    }

    // An hour after the first error the guard lets the next attempt reach Exact again.
    clock.advance(60 * 60 * 1000 + 1);
    await expect(tab.engine.run('companies', { user: 'admin@contoso.nl' })).rejects.toThrow(/HTTP 401/);

    // The endpoint is not blocked: with the connection fixed, the next run goes through at once.
    const fixed = wireEndpoints(sb.endpoints);
    const run = await fixed.engine.run('companies', { user: 'admin@contoso.nl' });
    expect(run.status).toBe('Completed');
    expect(run.counts.created).toBe(5);
  }, 60_000);
});
