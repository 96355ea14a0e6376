import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BE, NL, errorText, results, startExact, type Harness } from '../support/exactEmulatorHarness';

/** Endpoints other Exact clients call, answered as Exact's reference and recordings say. */

let h: Harness | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await h?.sandbox.close();
  h = undefined;
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

async function session(): Promise<{ h: Harness; token: string; slowPayer: string }> {
  h = await startExact();
  return { h, token: h.control.issueTokens().access_token, slowPayer: String(h.control.records(NL, 'Accounts')[7].ID) };
}

async function collectAll(harness: Harness, path: string, token: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await harness.get(next, token);
    expect(response.status, next).toBe(200);
    const d = await results(response);
    rows.push(...d.results);
    next = d.__next?.slice(harness.api.length);
  }
  return rows;
}

describe('division and user endpoints', () => {
  it('serves hrm/Divisions (HID, Main) and system/AllDivisions beside system/Divisions', async () => {
    const { h, token } = await session();
    const hrm = (await results(await h.get(`${NL}/hrm/Divisions?$select=Code,Description,HID,Main,Country`, token))).results;
    expect(hrm.map((d) => d.Code)).toEqual([NL, BE]);
    expect(hrm[0]).toMatchObject({ HID: '1', Main: true, Country: 'NL ' });
    expect(hrm[0].__metadata).toMatchObject({ type: 'Exact.Web.Api.Models.HRM.Division' });
    const all = (await results(await h.get(`${BE}/system/AllDivisions?$select=Code,Hid,Current`, token))).results;
    expect(all.map((d) => [d.Code, d.Hid, d.Current])).toEqual([[NL, '1', false], [BE, '2', true]]);
  });

  it('answers {division}/system/Me as current/Me, and 403s a division outside the grant', async () => {
    const { h } = await session();
    const token = h.control.issueTokens({ divisions: [NL] }).access_token;
    const me = await h.get(`${NL}/system/Me?$select=CurrentDivision,UserID`, token);
    expect(me.status).toBe(200);
    const d = await results(me);
    expect(d.results[0]).toMatchObject({ CurrentDivision: NL, __metadata: { type: 'Exact.Web.Api.Models.System.Me' } });
    expect(me.headers.get('x-ratelimit-minutely-remaining')).toBe('59');
    expect((await h.get(`${BE}/system/Me`, token)).status).toBe(403);
  });
});

describe('invoices and receivables of one account agree', () => {
  it('sync/SalesInvoice/SalesInvoices pages by Timestamp and holds the same invoices as salesinvoice/SalesInvoices', async () => {
    const { h, token, slowPayer } = await session();
    const synced = await collectAll(h, `${NL}/sync/SalesInvoice/SalesInvoices?$select=Timestamp,InvoiceID,InvoiceTo,AmountDC&$filter=Timestamp gt 1L`, token);
    const stamps = synced.map((row) => BigInt(row.Timestamp as string));
    expect([...stamps].sort((a, b) => (a < b ? -1 : 1))).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
    const crud = await collectAll(h, `${NL}/salesinvoice/SalesInvoices?$select=InvoiceID,AmountDC&$filter=InvoiceTo eq guid'${slowPayer}'`, token);
    const fromSync = synced.filter((row) => row.InvoiceTo === slowPayer).map((row) => [row.InvoiceID, row.AmountDC]);
    expect(fromSync.sort()).toEqual(crud.map((row) => [row.InvoiceID, row.AmountDC]).sort());
    expect(crud.length).toBe(8);
    const later = await collectAll(h, `${NL}/sync/SalesInvoice/SalesInvoices?$select=InvoiceID&$filter=Timestamp gt ${String(stamps[stamps.length - 1])}L`, token);
    expect(later).toEqual([]);
  });

  it('ReceivablesListByAccount, ByAgeGroup and ByAccountAndAgeGroup split the same open items the aging list sums', async () => {
    const { h, token, slowPayer } = await session();
    const open = await collectAll(h, `${NL}/read/financial/ReceivablesList?$filter=AccountId eq guid'${slowPayer}'`, token);
    const byAccount = await collectAll(h, `${NL}/read/financial/ReceivablesListByAccount?accountId=guid'${slowPayer}'`, token);
    expect(byAccount.map((r) => r.HID)).toEqual(open.map((r) => r.HID));
    const aging = (await collectAll(h, `${NL}/read/financial/AgingReceivablesList?$filter=AccountId eq guid'${slowPayer}'`, token))[0];
    let total = 0;
    for (const group of [1, 2, 3, 4]) {
      const rows = await collectAll(h, `${NL}/read/financial/ReceivablesListByAccountAndAgeGroup?accountId=guid'${slowPayer}'&ageGroup=${group}`, token);
      const sum = Math.round(rows.reduce((s, r) => s + (r.Amount as number), 0) * 100) / 100;
      expect(sum, `age group ${group}`).toBe(aging[`AgeGroup${group}Amount`]);
      total += rows.length;
      const inGroup = await collectAll(h, `${NL}/read/financial/ReceivablesListByAgeGroup?ageGroup=${group}`, token);
      expect(rows.every((r) => inGroup.some((g) => g.HID === r.HID))).toBe(true);
      const agingInGroup = await collectAll(h, `${NL}/read/financial/AgingReceivablesListByAgeGroup?ageGroup=${group}`, token);
      expect(agingInGroup.some((a) => a.AccountId === slowPayer)).toBe((aging[`AgeGroup${group}Amount`] as number) > 0);
    }
    expect(total).toBe(open.length);
    const missing = await h.get(`${NL}/read/financial/ReceivablesListByAccount`, token);
    expect(missing.status).toBe(400);
    expect(await errorText(missing)).toMatch(/parameter 'accountId'/);
  });
});

describe('webhooks/WebhookSubscriptions', () => {
  it('subscribes, validates the callback with an empty POST, signs each Account change, lists and deletes', async () => {
    const { h, token, slowPayer } = await session();
    const received: Array<{ body: string }> = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/exact-hook`;

    const refused = await h.send('POST', `${NL}/webhooks/WebhookSubscriptions`, token, { CallbackURL: 'http://example.com/hook', Topic: 'Accounts' });
    expect(refused.status).toBe(500);
    const created = await h.send('POST', `${NL}/webhooks/WebhookSubscriptions`, token, { CallbackURL: callback, Topic: 'Accounts', Description: 'CRM' });
    expect(created.status).toBe(201);
    const subscription = ((await created.json()) as { d: Record<string, unknown> }).d;
    expect(subscription).toMatchObject({ CallbackURL: callback, Topic: 'Accounts', Division: NL, ClientID: null, __metadata: { type: 'Exact.Web.Api.Models.Webhooks.WebhookSubscription' } });
    await h.control.settleWebhooks();
    expect(received).toEqual([{ body: '' }]);

    const put = await h.send('PUT', `${NL}/crm/Accounts(guid'${slowPayer}')`, token, { City: 'Zwolle' });
    expect(put.status).toBe(204);
    await h.control.settleWebhooks();
    const raw = received[1].body;
    const match = /^\{"Content":(.*),"HashCode":"([0-9A-F]{64})"\}$/.exec(raw);
    expect(match).not.toBeNull();
    const [, content, hash] = match as RegExpExecArray;
    expect(hash).toBe(createHmac('sha256', h.control.app.webhookSecret).update(content).digest('hex').toUpperCase());
    expect(JSON.parse(content)).toMatchObject({
      Topic: 'Accounts',
      ClientId: h.control.app.clientId,
      Division: NL,
      Action: 'Update',
      Key: slowPayer,
      ExactOnlineEndpoint: `${h.api}${NL}/crm/Accounts(guid'${slowPayer}')`,
    });
    await h.send('PUT', `${NL}/crm/Contacts(guid'${String(h.control.records(NL, 'Contacts')[0].ID)}')`, token, { City: 'Zwolle' });
    await h.control.settleWebhooks();
    expect(received).toHaveLength(2);

    const listed = (await results(await h.get(`${NL}/webhooks/WebhookSubscriptions`, token))).results;
    expect(listed.map((s) => s.ID)).toEqual([subscription.ID]);
    expect((await h.send('DELETE', `${NL}/webhooks/WebhookSubscriptions(guid'${String(subscription.ID)}')`, token)).status).toBe(204);
    expect((await results(await h.get(`${NL}/webhooks/WebhookSubscriptions`, token))).results).toEqual([]);
    expect((await h.send('DELETE', `${NL}/webhooks/WebhookSubscriptions(guid'${String(subscription.ID)}')`, token)).status).toBe(404);
  });
});

describe('$metadata and limits', () => {
  it('serves an EDMX document whose property types are the ones on the wire', async () => {
    const { h, token } = await session();
    const response = await h.get(`${NL}/crm/$metadata`, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const xml = await response.text();
    expect(xml).toContain('<EntityType Name="Account"><Key><PropertyRef Name="ID" /></Key>');
    expect(xml).toContain('<Property Name="IsCompetitor" Type="Edm.Byte" Nullable="true" />');
    expect(xml).toContain('<Property Name="Blocked" Type="Edm.Boolean" Nullable="true" />');
    expect(xml).toContain('<EntitySet Name="Contacts" EntityType="Exact.Web.Api.Models.Contact" />');
    expect(xml).not.toContain('IsPurchase');
    expect((await h.get(`${NL}/nothing/$metadata`, token)).status).toBe(404);
  });

  it('refuses a URL over 6,000 characters before spending the rate budget', async () => {
    const { h, token } = await session();
    const name = 'x'.repeat(6000);
    const response = await h.get(`${NL}/crm/Accounts?$filter=Name eq '${name}'`, token);
    expect(response.status).toBe(414);
    expect(await errorText(response)).toMatch(/at most 6000/);
    expect(h.control.calls(NL)).toBe(0);
  });

  it('ignores trailing spaces in comparisons, but not leading ones', async () => {
    const { h, token } = await session();
    const nl = await collectAll(h, `${NL}/crm/Accounts?$select=ID,Country&$filter=Country eq 'NL'`, token);
    expect(nl.length).toBe(h.control.records(NL, 'Accounts').length);
    expect(nl[0].Country).toBe('NL ');
    const padded = await collectAll(h, `${NL}/crm/Accounts?$select=ID&$filter=Country eq 'NL   '`, token);
    expect(padded.length).toBe(nl.length);
    const code = String(h.control.records(NL, 'Accounts')[0].Code);
    expect(await collectAll(h, `${NL}/crm/Accounts?$select=ID&$filter=Code eq '${code.trim()}'`, token)).toEqual([]);
    expect(await collectAll(h, `${NL}/crm/Accounts?$select=ID&$filter=Code eq '${code}  '`, token)).toHaveLength(1);
  });
});
