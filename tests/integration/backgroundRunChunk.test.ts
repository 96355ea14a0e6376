import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunCloser, type ChunkOutcome, type ChunkRequest, type RunChunk } from '../../gateway/background/runChunk';
import { createMemoryLogger } from '../../gateway/log';
import { createDevCertificate } from '../../sandbox/idp/devCertificate';
import { contosoTenantId, demoUsers } from '../../sandbox/idp';
import { GRAPH_PATH, graphResource } from '../../sandbox/sharepoint';
import { createAppSp, createAppTokenSource } from '../../gateway/background/sharePointApp';
import { sharePointAppSettingsSchema } from '../../gateway/config';
import { changeProfile } from '../support/profiles';
import { APP_ID, APP_NAME, startBackgroundHarness, type BackgroundHarness } from '../support/backgroundHarness';

/**
 * Background runs as the gateway runs them: app-only SharePoint (certificate, Sites.Selected
 * grant), Exact through the gateway's proxy in process, the engine in bounded chunks. Real HTTP
 * on 127.0.0.1 against the stand-ins.
 */

const ACCOUNTS = 30;
const request = (h: BackgroundHarness, patch: Partial<ChunkRequest> = {}): ChunkRequest => ({
  siteUrl: h.siteUrl, profileId: 'companies', trigger: { kind: 'schedule' }, budgetMs: 60_000, ...patch,
});

/** Chunks until the run is finished (or fails), as the queue's continuation messages would. */
async function runToEnd(runChunk: RunChunk, first: ChunkRequest, limit = 200): Promise<{ outcomes: ChunkOutcome[]; last: ChunkOutcome }> {
  const outcomes: ChunkOutcome[] = [];
  let next: ChunkRequest = first;
  for (let i = 0; i < limit; i++) {
    const outcome = await runChunk(next);
    outcomes.push(outcome);
    if (outcome.kind !== 'continue') return { outcomes, last: outcome };
    next = { ...first, runId: outcome.runId };
  }
  throw new Error(`no end after ${limit} chunks`);
}

async function companies(h: BackgroundHarness) {
  const list = h.sp.list('Companies');
  const keys = list.items.map((i) => String(i.values.ExactId));
  return { count: keys.length, unique: new Set(keys).size, authors: new Set(list.items.map((i) => i.AuthorId)), editors: new Set(list.items.map((i) => i.EditorId)) };
}

async function freshSite(h: BackgroundHarness, batchSize = 5): Promise<void> {
  await h.sp.reset();
  const { provisionCrm } = await import('../../src/crm/provision');
  const { createCrmSp, siteContext } = await import('../../src/crm/pnp');
  await provisionCrm(createCrmSp(siteContext(h.siteUrl), h.siteUrl));
  await h.owner.importProfiles.profiles.ensureDefaults(h.division);
  await changeProfile(h.owner.profileStore, 'companies', { batchSize });
  await h.grant(['write']);
}

describe('app-only SharePoint for the connector (Sites.Selected, certificate)', () => {
  let h: BackgroundHarness;
  beforeAll(async () => {
    h = await startBackgroundHarness({ accounts: ACCOUNTS, unlimitedExact: true });
  }, 120_000);
  afterAll(async () => h?.close());

  it('refuses the app on a site not granted to it, with SharePoint\'s 403, and serves it once an admin granted the site', async () => {
    const tokens = createAppTokenSource(h.app);
    const sp = createAppSp(h.siteUrl, tokens);
    const refused = await sp.web.select('Title')().catch((error: { status?: number; message: string }) => error);
    expect(refused).toMatchObject({ status: 403 });
    expect(String((refused as Error).message)).toContain('Attempted to perform an unauthorized operation.');
    await h.grant(['read']);
    expect((await sp.web.select('Title')()).Title).toBeTruthy();
  });

  it('only an admin may grant a site through Graph', async () => {
    const sales = await h.idp.issueAccessToken(demoUsers.sales, { aud: graphResource, scp: 'Sites.FullControl.All' });
    const host = new URL(h.sandbox.url).host;
    const site = await fetch(`${h.sandbox.url}${GRAPH_PATH}/v1.0/sites/${host}:/sites/crm`, { headers: { authorization: `Bearer ${sales}` } });
    expect(site.status).toBe(403);
    expect(await site.json()).toMatchObject({ error: { code: 'accessDenied' } });
    const gatewayToken = await h.idp.issueAccessToken(demoUsers.admin);
    const wrongAudience = await fetch(`${h.sandbox.url}${GRAPH_PATH}/v1.0/sites/${host}:/sites/crm`, { headers: { authorization: `Bearer ${gatewayToken}` } });
    expect(wrongAudience.status).toBe(401);
  });

  it('the identity provider checks the client assertion like Entra: an unregistered certificate is AADSTS700027', async () => {
    const other = createDevCertificate({ commonName: 'someone else', now: new Date() });
    const tokens = createAppTokenSource({ ...h.app, certificateThumbprint: other.thumbprintSha1, privateKey: other.privateKeyPem });
    await expect(tokens(h.sandbox.url)).rejects.toThrow(/700027/);
    // The right key under a SHA-256 thumbprint (x5t#S256, PS256) is accepted.
    const sha256 = createAppTokenSource({ ...h.app, certificateThumbprint: undefined, certificateThumbprintSha256: h.certificate.thumbprintSha256 });
    expect(await sha256(h.sandbox.url)).toMatch(/^ey/);
  });

  it('refuses an app token got with a client secret ("Unsupported app only token."), as SharePoint does for REST', async () => {
    h.idp.registerApp({ clientId: 'secret-app', displayName: 'Secret app', tenantId: contosoTenantId, certificates: [], secrets: ['s3cret'], appRoles: { [h.sandbox.url]: ['Sites.Selected'] }, servicePrincipalId: 'sp-secret' });
    h.sp.grantApp('secret-app', 'Secret app', ['write']);
    const token = await fetch(`${h.sandbox.url}/idp/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'secret-app', client_secret: 's3cret', scope: `${h.sandbox.url}/.default` }) });
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const answer = await fetch(`${h.siteUrl}/_api/web`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ error_description: 'Unsupported app only token.' });
    expect(answer.headers.get('www-authenticate')).toContain('client_id="00000003-0000-0ff1-ce00-000000000000"');
    expect(answer.headers.get('x-ms-diagnostics')).toContain('invalid_client');
  });
});

describe('runChunk: the engine in the gateway, in bounded chunks', () => {
  let h: BackgroundHarness;
  beforeAll(async () => {
    h = await startBackgroundHarness({ accounts: ACCOUNTS, unlimitedExact: true });
  }, 120_000);
  afterAll(async () => h?.close());

  it('imports in chunks that stop on budget and resume, with the app as Author/Editor and the trigger on the run', async () => {
    await freshSite(h, 3);
    // A slow site: ten batches of at least 40 ms each outlast what one chunk may write (its 300 ms
    // budget, or as long as its read when that took longer, at most another budget), so at least
    // one chunk ends mid-run, however loaded the machine (load only makes batches slower).
    h.sp.setLatency(40);
    const runChunk = h.runChunk({ apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    const { outcomes, last } = await runToEnd(runChunk, request(h, { budgetMs: 300 }));
    h.sp.setLatency(0);
    expect(outcomes.filter((o) => o.kind === 'continue').length).toBeGreaterThan(0);
    expect(last).toMatchObject({ kind: 'finished', status: 'Completed' });
    const c = await companies(h);
    expect(c).toMatchObject({ count: ACCOUNTS, unique: ACCOUNTS });
    const appUser = h.sp.list('Companies') && [...c.authors];
    expect(appUser).toHaveLength(1);
    const principal = (await (await fetch(`${h.siteUrl}/_api/web/getuserbyid(${appUser[0]})`, { headers: { accept: 'application/json;odata=nometadata' } })).json()) as { Title: string; LoginName: string };
    expect(principal).toMatchObject({ Title: APP_NAME, LoginName: `i:0i.t|ms.sp.ext|${APP_ID}@${contosoTenantId}` });
    expect([...c.editors]).toEqual(appUser);
    const run = (await h.owner.engine.listRuns('companies'))[0]!;
    expect(run).toMatchObject({ status: 'Completed', trigger: { kind: 'schedule' }, writer: `${APP_NAME} (app)`, startedBy: 'Schedule' });
    expect(run.counts).toMatchObject({ created: ACCOUNTS, failed: 0 });
  }, 120_000);

  it('two chunks for one profile at once: one runs, the other is busy', async () => {
    await freshSite(h);
    const one = h.runChunk({ instanceId: 'instance-1' });
    const two = h.runChunk({ instanceId: 'instance-2' });
    const outcomes = await Promise.all([one(request(h)), two(request(h, { trigger: { kind: 'exactChange', topic: 'Accounts' } }))]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['busy', 'finished']);
    expect(await companies(h)).toMatchObject({ count: ACCOUNTS, unique: ACCOUNTS });
  }, 60_000);

  it('the same continuation delivered twice, and twice at once, writes nothing twice', async () => {
    await freshSite(h, 3);
    h.sp.setLatency(30);
    const runChunk = h.runChunk({ apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    const first = await runChunk(request(h, { budgetMs: 200 }));
    expect(first.kind).toBe('continue');
    const again = { ...request(h), runId: (first as { runId: string }).runId };
    const [a, b] = await Promise.all([runChunk(again), h.runChunk({ instanceId: 'instance-2' })(again)]);
    h.sp.setLatency(0);
    expect([a.kind, b.kind].sort()).toEqual(['busy', 'finished']);
    expect(await runChunk(again)).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(await companies(h)).toMatchObject({ count: ACCOUNTS, unique: ACCOUNTS });
  }, 60_000);

  it('a run whose messages kept failing is closed Failed with the reason (poison queue), and a late continuation changes nothing', async () => {
    await freshSite(h, 3);
    h.sp.setLatency(30);
    const runChunk = h.runChunk({ apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    const first = await runChunk(request(h, { budgetMs: 200 }));
    h.sp.setLatency(0);
    expect(first.kind).toBe('continue');
    const runId = (first as { runId: string }).runId;
    const close = createRunCloser({ proxy: h.gateway.proxy, app: h.app, store: h.store, clock: h.clock, logger: createMemoryLogger(), instanceId: 'poison' });
    expect(await close({ siteUrl: h.siteUrl, profileId: 'companies', runId, reason: 'Exact answered 500 five times' })).toMatchObject({ kind: 'finished', status: 'Failed' });
    expect((await h.owner.runs.get(runId))?.message).toMatch(/^Exact answered 500 five times; the \d+ write\(s\) made before it stopped are in its log/);
    expect(await runChunk(request(h, { runId }))).toMatchObject({ kind: 'finished', runId, status: 'Failed' });
    const c = await companies(h);
    expect(c.count).toBe(c.unique);
  }, 60_000);

  it('an app token that expires mid-run is renewed (401 answered once, the request sent again)', async () => {
    await freshSite(h);
    let writes = 0;
    let refused = 0;
    const counting: typeof fetch = async (url, init) => {
      // Past the token's hour, once the run is writing (Exact was read by then: 30 accounts are one page).
      if ((init?.method ?? 'GET') !== 'GET' && ++writes === 3) h.clock.advance(2 * 3600_000);
      const response = await fetch(url, init);
      if (response.status === 401) refused += 1;
      return response;
    };
    const outcome = await h.runChunk({ fetch: counting })(request(h));
    expect(outcome).toMatchObject({ kind: 'finished', status: 'Completed' });
    // Each request in flight with the old token (up to three batches at once) is refused once, then sent again.
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(3);
    expect(await companies(h)).toMatchObject({ count: ACCOUNTS, unique: ACCOUNTS });
  }, 60_000);

  it('a grant revoked mid-run ends the run Failed with the reason, closed once access is back; nothing lost or doubled', async () => {
    await freshSite(h, 3);
    let writes = 0;
    const revoking: typeof fetch = async (url, init) => {
      if ((init?.method ?? 'GET') !== 'GET' && ++writes === 4) await h.revoke();
      return fetch(url, init);
    };
    const runChunk = h.runChunk({ fetch: revoking, apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    const failed = await runChunk(request(h));
    expect(failed).toMatchObject({ kind: 'failed' });
    expect((failed as { reason: string }).reason).toMatch(/lost its access to .*grant the site to the app again/);
    const runId = (failed as { runId: string }).runId;
    expect(runId).toBeTruthy();
    await h.grant(['write']);
    const closed = await h.runChunk()(request(h, { runId }));
    expect(closed).toMatchObject({ kind: 'finished', runId, status: 'Failed' });
    const record = await h.owner.runs.get(runId);
    expect(record?.message).toMatch(/lost its access/);
    expect(await h.owner.engine.unfinishedRuns('companies')).toEqual([]);
    // The next run picks up what the closed one did not write; nothing twice.
    expect(await h.runChunk()(request(h))).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(await companies(h)).toMatchObject({ count: ACCOUNTS, unique: ACCOUNTS });
  }, 60_000);
});

describe('runChunk chaos: the instance dies at every durable operation of a chunk', () => {
  let h: BackgroundHarness;
  beforeAll(async () => {
    h = await startBackgroundHarness({ accounts: 12, unlimitedExact: true });
  }, 120_000);
  afterAll(async () => h?.close());

  it('before or after each SharePoint write reaches the site, a later chunk finishes the run: 0 lost, 0 duplicated', async () => {
    // Count the durable operations (SharePoint writes) of one clean run first.
    await freshSite(h, 3);
    let writes = 0;
    const counting: typeof fetch = async (url, init) => {
      if ((init?.method ?? 'GET') !== 'GET') writes += 1;
      return fetch(url, init);
    };
    const apply = { writeAheadBatches: 1, writeConcurrency: 1 };
    expect(await h.runChunk({ fetch: counting, apply })(request(h))).toMatchObject({ kind: 'finished', status: 'Completed' });
    const total = writes;
    expect(total).toBeGreaterThan(6);
    for (let k = 1; k <= total; k++) {
      for (const when of ['before', 'after'] as const) {
        await freshSite(h, 3);
        let seen = 0;
        let dead = false;
        const dying: typeof fetch = async (url, init) => {
          if (dead) throw new Error('chaos: this instance is gone');
          if ((init?.method ?? 'GET') !== 'GET' && ++seen === k) {
            dead = true;
            if (when === 'after') await fetch(url, init);
            throw new Error(`chaos: killed ${when} write ${k}`);
          }
          return fetch(url, init);
        };
        if (process.env.CHAOS_TRACE) console.log('chaos', k, when, 'total', total);
        const killed = await h.runChunk({ fetch: dying, apply, instanceId: 'dying' })(request(h));
        if (process.env.CHAOS_TRACE) console.log('killed', JSON.stringify(killed));
        expect(killed.kind, `k=${k} ${when}`).toBe('failed');
        // Another instance takes over: the continuation (or, with no run yet, the next due run).
        const next = killed.kind === 'failed' && killed.runId ? request(h, { runId: killed.runId }) : request(h);
        const { last } = await runToEnd(h.runChunk({ apply, instanceId: 'survivor' }), next);
        expect(last, `k=${k} ${when}`).toMatchObject({ kind: 'finished', status: 'Completed' });
        expect(await companies(h), `k=${k} ${when}`).toMatchObject({ count: 12, unique: 12 });
        expect(await h.owner.engine.unfinishedRuns('companies')).toEqual([]);
      }
    }
  }, 1_200_000);
});

describe('npm start: the connector app is registered and granted the CRM site', () => {
  it('the gateway\'s sandbox settings reach the CRM site as the app, with the certificate from the data folder', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startProduct } = await import('../../sandbox/product');
    const { sandboxGatewayConfig } = await import('../../sandbox/gateway');
    const dataDir = mkdtempSync(join(tmpdir(), 'appid-start-'));
    const product = await startProduct({ port: 0, dataDir, env: {} });
    try {
      const config = await sandboxGatewayConfig(product.sandbox.url, {}, dataDir);
      expect(config.sharePointApp).toMatchObject({ clientId: APP_ID, displayName: APP_NAME });
      const sp = createAppSp(`${product.sandbox.url}/sites/crm`, createAppTokenSource(sharePointAppSettingsSchema.parse(config.sharePointApp)));
      const lists = await sp.web.lists.select('Title')();
      expect(lists.map((l) => l.Title)).toContain('Companies');
    } finally {
      await product.sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
