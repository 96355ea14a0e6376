/**
 * What a run of each master-data source costs, at a reseller's sizes (BENCH_ITEMS 5,000 items,
 * BENCH_PROJECTS 300 projects, BENCH_VAT_CODES 50 VAT codes; BENCH_MASTER_ACCOUNTS accounts for
 * the companies projects link to): Exact calls against the floor of the source's read method
 * (sync/ and bulk/ 1,000 a page, plus one sync/Deleted call; a CRUD endpoint 60 a page), and
 * SharePoint requests per 100 writes. Three runs per source: the first import, a run after one
 * change and one deletion in Exact, and a run with nothing new. Both stand-ins in this process,
 * without latency: counts, not time. `npx tsx tests/bench/master.ts` alone; `npm run bench` runs
 * it too (BENCH_SKIP_MASTER=1 leaves it out).
 */
import { systemClock } from '../../src/sync/clock';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { wireSync } from '../../src/services/syncServices';
import type { RunRecord } from '../../src/sync/journal/records';
import type { MasterSourceId } from '../../src/sync/profile/masterDefaults';
import { createExactEmulator, type ExactEmulatorControl } from '../../sandbox/exact';
import type { MasterDataset } from '../../sandbox/exact/endpoint';
import { startSandbox } from '../../sandbox/server';
import { createSharePointEmulator, type SharePointControl } from '../../sandbox/sharepoint';

export interface MasterRow {
  source: MasterSourceId;
  records: number;
  method: 'sync' | 'bulk' | 'whole';
  deletions: 'sync/Deleted' | 'full compare';
  /** Exact calls of the first import, and the least its read method allows. */
  firstCalls: number;
  firstFloor: number;
  /** After one change and one deletion in Exact. */
  changeCalls: number;
  changeRead: number;
  changeFloor: number;
  /** Nothing changed. */
  idleCalls: number;
  firstSpRequests: number;
  writes: number;
  spPer100Writes: number;
}

interface SourceSpec {
  source: MasterSourceId;
  dataset: MasterDataset;
  method: MasterRow['method'];
  change: Record<string, string>;
}

const specs: SourceSpec[] = [
  { source: 'vatCodes', dataset: 'vatCodes', method: 'whole', change: { Description: 'Verkopen hoog tarief (21%), gewijzigd' } },
  { source: 'items', dataset: 'items', method: 'sync', change: { Description: 'Lenovo ThinkPad T14 Gen 6' } },
  { source: 'paymentConditions', dataset: 'paymentConditions', method: 'whole', change: { Description: '30 dagen netto' } },
  { source: 'costCentres', dataset: 'costCenters', method: 'whole', change: { Description: 'Servicedesk en support' } },
  { source: 'projects', dataset: 'projects', method: 'sync', change: { Description: 'Migratie fase 2' } },
  { source: 'employees', dataset: 'employees', method: 'sync', change: { BusinessPhone: '030-7654321' } },
  { source: 'currencies', dataset: 'currencies', method: 'whole', change: { Description: 'Amerikaanse dollar (USD)' } },
  { source: 'bankAccounts', dataset: 'bankAccounts', method: 'whole', change: { BankAccountHolderName: 'Nieuwe tenaamstelling' } },
];

const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));

/** The fewest calls a read method allows: its pages, and for sync one sync/Deleted call. */
function floor(method: MasterRow['method'], records: number): number {
  if (method === 'sync') return pages(records, 1000) + 1;
  return method === 'bulk' ? pages(records, 1000) : pages(records, 60);
}

export async function benchMaster(): Promise<MasterRow[]> {
  const sizes = { items: Number(process.env.BENCH_ITEMS ?? 5000), projects: Number(process.env.BENCH_PROJECTS ?? 300), vatCodes: Number(process.env.BENCH_VAT_CODES ?? 50) };
  let exact: ExactEmulatorControl | undefined;
  let site: SharePointControl | undefined;
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { accounts: Number(process.env.BENCH_MASTER_ACCOUNTS ?? 1000), master: { ...sizes, employees: 60 } });
        exact = emulator.control;
        return emulator.part;
      },
      async (context) => {
        const emulator = await createSharePointEmulator(context, { inMemory: true });
        site = emulator.control;
        return emulator.part;
      },
    ],
    { clock: systemClock, port: 0 },
  );
  if (!exact || !site) throw new Error('The emulators did not start.');
  const ex = exact;
  const sp = site;
  try {
    ex.setKnobs({ minuteLimit: 100_000_000, dayLimit: 100_000_000 });
    const division = ex.divisions[0].code;
    const token = ex.issueTokens().access_token;
    const client = new ExactClient(createAxiosTransport({ baseUrl: `${sandbox.url}/exact/api/v1/`, getAccessToken: async () => token, timeoutMs: 120_000 }), { clock: systemClock });
    const crmSp = createCrmSp(siteContext(sp.siteUrl()), sp.siteUrl());
    await provisionCrm(crmSp);
    const sync = wireSync({ sp: crmSp, client, clock: systemClock });
    await sync.importProfiles.profiles.ensureDefaults(division);
    await sync.engine.run('companies', { user: 'bench' });
    const measured = async (work: () => Promise<RunRecord>): Promise<{ run: RunRecord; calls: number; sp: number }> => {
      ex.resetCounters();
      sp.resetCounts();
      const run = await work();
      return { run, calls: ex.calls(division), sp: sp.counts().total };
    };
    const rows: MasterRow[] = [];
    for (const spec of specs) {
      const [profile] = await sync.importProfiles.profiles.addSourceDefault(spec.source, division);
      const records = ex.masterRecords(division, spec.dataset);
      const first = await measured(() => sync.engine.run(profile.id, { user: 'bench' }));
      const key = spec.dataset === 'currencies' ? 'Code' : 'ID';
      ex.putMasterRecord(division, spec.dataset, { [key]: records[0][key], ...spec.change });
      ex.deleteMasterRecord(division, spec.dataset, String(records[1][key]));
      const change = await measured(() => sync.engine.run(profile.id, { user: 'bench' }));
      const idle = await measured(() => sync.engine.run(profile.id, { user: 'bench' }));
      const writes = first.run.counts.created + first.run.counts.updated;
      rows.push({
        source: spec.source,
        records: records.length,
        method: spec.method,
        deletions: spec.method === 'sync' ? 'sync/Deleted' : 'full compare',
        firstCalls: first.calls,
        firstFloor: floor(spec.method, records.length),
        changeCalls: change.calls,
        changeRead: change.run.counts.read,
        changeFloor: floor(spec.method, spec.method === 'sync' ? 1 : records.length - 1),
        idleCalls: idle.calls,
        firstSpRequests: first.sp,
        writes,
        spPer100Writes: writes ? Math.round((first.sp / writes) * 100 * 10) / 10 : 0,
      });
      console.error(`master ${spec.source}: ${records.length} records, first run ${first.calls} Exact calls (floor ${floor(spec.method, records.length)}), ${first.sp} SharePoint requests for ${writes} writes; ${first.run.status}`);
    }
    return rows;
  } finally {
    await sandbox.close();
  }
}

export function masterTable(rows: MasterRow[]): string[] {
  const header = ['source', 'records', 'read', 'deletions', 'Exact calls first (floor)', 'after 1 change+1 delete (floor)', 'nothing new', 'SP requests first', 'SP per 100 writes'];
  const cells = rows.map((r) => [r.source, String(r.records), r.method, r.deletions, `${r.firstCalls} (${r.firstFloor})`, `${r.changeCalls} (${r.changeFloor}), ${r.changeRead} read`, String(r.idleCalls), String(r.firstSpRequests), String(r.spPer100Writes)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), ...cells.map(line)];
}

if (require.main === module) {
  benchMaster().then(
    (rows) => {
      for (const l of masterTable(rows)) console.log(l);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
