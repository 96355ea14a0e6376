import { systemClock, type Clock } from '../../src/sync/clock';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { wireSync, type SyncWiring } from '../../src/services/syncServices';
import { createExactEmulator, type ExactEmulatorControl, type ExactKnobs } from '../../sandbox/exact';
import { startSandbox, type RunningSandbox, type SandboxPartFactory } from '../../sandbox/server';
import { createSharePointEmulator, type SharePointControl } from '../../sandbox/sharepoint';
import { seededRng } from '../../sandbox/exact/random';
import { faultyExact, faultySharePoint, FaultTally, type FaultSettings } from './chaosFaults';

/** Client timeout for Exact calls in the chaos suite; an injected timeout stalls longer than this. */
export const CHAOS_EXACT_TIMEOUT_MS = 1_000;

/** Where a second engine (another admin's tab, or a child process) finds the running emulators. */
export interface ChaosEndpoints {
  exactBaseUrl: string;
  token: string;
  siteUrl: string;
}

export interface ChaosSandbox {
  sandbox: RunningSandbox;
  exactControl: ExactEmulatorControl;
  /** Undefined when the SharePoint stand-in runs elsewhere (`siteUrl` given). */
  spControl?: SharePointControl;
  division: number;
  endpoints: ChaosEndpoints;
  /** The faults' rate: set it to 0 for setup and final reads, back for the runs. */
  exactFaults: FaultSettings;
  sharePointFaults: FaultSettings;
  tally: FaultTally;
  /** A fresh set of services (one admin's browser tab) over the faulty emulators. */
  services(options?: { clock?: Clock }): SyncWiring;
}

export function wireEndpoints(endpoints: ChaosEndpoints, clock: Clock = systemClock): SyncWiring {
  const transport = createAxiosTransport({ baseUrl: endpoints.exactBaseUrl, getAccessToken: async () => endpoints.token, timeoutMs: CHAOS_EXACT_TIMEOUT_MS });
  const client = new ExactClient(transport, { clock });
  const sp = createCrmSp(siteContext(endpoints.siteUrl), endpoints.siteUrl);
  return wireSync({ sp, client, clock });
}

/**
 * Both emulators behind fault-injecting parts, the CRM provisioned (without faults). With
 * `siteUrl`, the SharePoint stand-in is one running elsewhere (a process a test kills) and only
 * Exact runs here.
 */
export async function startChaosSandbox(options: { seed: number; accounts: number; knobs?: Partial<ExactKnobs>; siteUrl?: string }): Promise<ChaosSandbox> {
  const random = seededRng(options.seed);
  const tally = new FaultTally();
  const exactFaults: FaultSettings = { rate: 0 };
  const sharePointFaults: FaultSettings = { rate: 0 };
  let exactControl: ExactEmulatorControl | undefined;
  let spControl: SharePointControl | undefined;
  const sharePoint: SandboxPartFactory = async (context) => {
    const emulator = await createSharePointEmulator(context, { inMemory: true });
    spControl = emulator.control;
    return faultySharePoint(emulator.part, { random, settings: sharePointFaults, tally, exactStallMs: 0, sharePointStallMs: 150 });
  };
  const sandbox = await startSandbox(
    [
      (context) => {
        // No rate limits: the suite is about faults, and the runs would otherwise wait for Exact's minute window.
        const emulator = createExactEmulator(context, { accounts: options.accounts, knobs: { minuteLimit: 1_000_000, dayLimit: 1_000_000, ...options.knobs } });
        exactControl = emulator.control;
        return faultyExact(emulator.part, { random, settings: exactFaults, tally, exactStallMs: CHAOS_EXACT_TIMEOUT_MS + 300, sharePointStallMs: 0 });
      },
      ...(options.siteUrl ? [] : [sharePoint]),
    ],
    { clock: systemClock, port: 0 },
  );
  const siteUrl = options.siteUrl ?? spControl?.siteUrl();
  if (!exactControl || !siteUrl) throw new Error('The emulators did not start.');
  const endpoints: ChaosEndpoints = {
    exactBaseUrl: `${sandbox.url}/exact/api/v1/`,
    token: exactControl.issueTokens().access_token,
    siteUrl,
  };
  const report = await provisionCrm(createCrmSp(siteContext(endpoints.siteUrl), endpoints.siteUrl));
  if (report.problems.length > 0) throw new Error(`Provisioning failed: ${JSON.stringify(report.problems)}`);
  return {
    sandbox,
    exactControl,
    spControl,
    division: exactControl.divisions[0].code,
    endpoints,
    exactFaults,
    sharePointFaults,
    tally,
    services: (o = {}) => wireEndpoints(endpoints, o.clock ?? systemClock),
  };
}
