import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Profile } from '../../src/sync/profile/profile';
import type { RunEntry, RunRecord } from '../../src/sync/journal/records';
import type { FieldValue } from '../../src/sync/ports';
import type { SyncWiring } from '../../src/services/syncServices';
import { startChaosSandbox, type ChaosSandbox } from '../support/chaosWiring';
import { storedProfile } from '../support/profiles';

/**
 * Hostile input through the engine, over both emulators: each value of the corpus either lands
 * as a per-field entry in the run log (the record is not written, the field and the reason are
 * named) or is stored exactly as Exact has it, as text; the CSV export never starts a cell
 * Excel would run as a formula.
 */

const caseSchema = z.object({
  case: z.string(),
  values: z.record(z.union([z.string(), z.number()])),
  expect: z.union([
    z.object({ problem: z.object({ field: z.string(), reason: z.string() }) }),
    z.object({ stored: z.record(z.string()), csv: z.boolean().optional() }),
  ]),
});
const corpus = z.array(caseSchema).parse(JSON.parse(readFileSync(resolve(__dirname, '../fixtures/hostile/exactAccounts.json'), 'utf8')));

/** `@repeat:A:10000` in the corpus file keeps it readable. */
function expand(value: string | number): string | number {
  const m = typeof value === 'string' ? /^@repeat:(.):(\d+)$/.exec(value) : null;
  return m ? m[1].repeat(Number(m[2])) : value;
}

/** RFC 4180 cells of one CSV text (quotes doubled inside quoted cells). */
function csvCells(text: string, separator: string): string[][] {
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    rows[rows.length - 1].push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      cell += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === separator) {
      endCell();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push([]);
      i++;
    } else {
      cell += ch;
    }
  }
  rows[rows.length - 1].push(cell);
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

describe('hostile input through the engine', () => {
  let sb: ChaosSandbox;
  let s: SyncWiring;
  let run: RunRecord;
  let log: RunEntry[];
  const keys = new Map<string, string>();
  let oddCase: { key: string; itemId: number; name: string };

  beforeAll(async () => {
    sb = await startChaosSandbox({ seed: 1, accounts: 3 });
    s = sb.services();
    await s.importProfiles.profiles.ensureDefaults(sb.division);
    for (const c of corpus) {
      const values = Object.fromEntries(Object.entries(c.values).map(([k, v]) => [k, expand(v)]));
      keys.set(c.case, String(sb.exactControl.createRecord(sb.division, 'Accounts', values).ID).toLowerCase());
    }
    // A CRM item keyed with the GUID in upper case (typed in by hand, or from an older tool).
    const account = sb.exactControl.records(sb.division, 'Accounts')[0];
    const list = await s.crm.openList('Companies');
    const [seeded] = await list.write([{ kind: 'create', ref: 'upper', values: { Title: 'Oude naam', ExactId: String(account.ID).toUpperCase() } }]);
    if (!seeded.ok) throw new Error(seeded.message);
    oddCase = { key: String(account.ID).toLowerCase(), itemId: seeded.id, name: String(account.Name).trim() };
    run = await s.engine.run('companies', { user: 'admin@contoso.nl' });
    log = await s.engine.readLog(run.id);
  }, 60_000);

  afterAll(async () => {
    await sb?.sandbox.close();
  });

  for (const c of corpus) {
    it(`${c.case}: ${'problem' in c.expect ? `a per-field entry for ${c.expect.problem.field}` : 'stored as text, unchanged'}`, async () => {
      const key = keys.get(c.case) ?? '';
      const entry = log.find((e) => e.exactKey === key);
      expect(entry, `log entry for ${c.case}`).toBeDefined();
      const items = await (await s.crm.openList('Companies')).readItems(['ExactId', 'Title', 'City', 'AddressLine1', 'CustomerStatus']);
      const item = items.find((i) => String(i.values.ExactId).toLowerCase() === key);
      if ('problem' in c.expect) {
        const { field, reason } = c.expect.problem;
        expect(entry?.action).toBe('error');
        expect(entry?.problems.map((p) => p.field)).toContain(field);
        expect(entry?.problems.find((p) => p.field === field)?.reason).toContain(reason);
        expect(item, 'a record with a value that does not fit is not written').toBeUndefined();
      } else {
        expect(entry?.outcome).toBe('written');
        const stored: Record<string, FieldValue> = {};
        for (const f of Object.keys(c.expect.stored)) stored[f] = item?.values[f] ?? null;
        expect(stored).toEqual(c.expect.stored);
      }
    });
  }

  it('a CRM key in upper case is the same record: updated in place, not duplicated', async () => {
    const items = await (await s.crm.openList('Companies')).readItems(['ExactId', 'Title']);
    const same = items.filter((i) => String(i.values.ExactId).toLowerCase() === oddCase.key);
    expect(same.map((i) => i.id)).toEqual([oddCase.itemId]);
    expect(same[0].values.Title).toBe(oddCase.name);
  });

  it('a contact finds its company when the company item keeps its GUID in upper case', async () => {
    const contact = sb.exactControl.createRecord(sb.division, 'Contacts', { Account: oddCase.key, FirstName: 'Grote', LastName: 'Letters' });
    const people = await s.engine.run('contacts', { user: 'admin@contoso.nl' });
    expect(people.counts.failed, JSON.stringify((await s.engine.readLog(people.id)).filter((e) => e.action === 'error'))).toBe(0);
    const items = await (await s.crm.openList('Contacts')).readItems(['ExactId', 'Company']);
    expect(items.find((i) => String(i.values.ExactId).toLowerCase() === String(contact.ID).toLowerCase())?.values.Company).toBe(oddCase.itemId);
  });

  async function previewWith(change: (p: Profile) => Profile): Promise<RunEntry[]> {
    return (await s.engine.preview(change(await storedProfile(s.profileStore, 'companies')), { full: true })).entries;
  }

  it('a value that is not one of the column\'s choices is a per-field entry, not a new choice', async () => {
    const entries = await previewWith((p) => ({ ...p, mappings: p.mappings.map((m) => (m.target === 'CustomerStatus' ? { ...m, transform: { kind: 'copy', source: 'Status' } } : m)) }));
    const bad = entries.filter((e) => e.problems.some((p) => p.field === 'CustomerStatus'));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0].action).toBe('error');
    expect(bad[0].problems.find((p) => p.field === 'CustomerStatus')?.reason).toMatch(/choice/i);
  });

  it('an empty value for a required column is a per-field entry naming the column', async () => {
    const entries = await previewWith((p) => ({ ...p, mappings: p.mappings.map((m) => (m.target === 'Title' ? { ...m, transform: { kind: 'trim', source: 'AddressLine2' } } : m)) }));
    const bad = entries.filter((e) => e.action === 'error' && e.problems.some((p) => p.field === 'Title'));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0].problems.find((p) => p.field === 'Title')?.reason).toMatch(/required/i);
  });

  for (const separator of [',', ';'] as const) {
    it(`the CSV export (separator "${separator}") starts no cell with a formula character, and keeps the text`, async () => {
      const csv = await s.engine.exportCsv(run.id, { separator, bom: true });
      const cells = csvCells(csv.replace(/^\ufeff/, ''), separator).flat();
      const risky = cells.filter((cell) => /^[=+@\t\r]/.test(cell) || /^-(?!\d+([.,]\d+)?$)/.test(cell));
      expect(risky).toEqual([]);
      expect(cells).toContain(`'=HYPERLINK("http://evil.example","Klik")`);
      expect(cells).toContain("<script>alert('xss')</script> Bakkerij");
    });
  }
});
