import { resolve } from 'node:path';
import { startSandbox, type SandboxPartFactory } from './server';
import { workbench } from './workbench';
import { sharePointEmulator } from './sharepoint';
import { exactEmulator } from './exact';
import { identityProvider } from './idp';
import { gateway } from '../gateway/node';
import { createCrmSp, siteContext } from '../src/crm/pnp';
import { provisionCrm } from '../src/crm/provision';

// Each stand-in registers here; order does not matter (routing is by longest prefix).
const parts: SandboxPartFactory[] = [workbench, sharePointEmulator, exactEmulator, identityProvider, gateway];

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4321);
  const dataDir = resolve(process.env.SANDBOX_DATA_DIR ?? 'sandbox-data');
  const sandbox = await startSandbox(parts, { port, dataDir, env: process.env });
  console.log(`Exact CRM Connector sandbox on ${sandbox.url}`);
  for (const line of sandbox.banner) {
    console.log(`  ${line}`);
  }
  // The CRM lists a customer's site would have after setup; idempotent, so a restart only reads.
  const siteUrl = `${sandbox.url}/sites/crm`;
  const provisioning = await provisionCrm(createCrmSp(siteContext(siteUrl), siteUrl));
  const lists = provisioning.lists.map((l) => `${l.title}${l.created ? ' (created)' : ''}`).join(', ');
  console.log(`  CRM lists:            ${lists}`);
  for (const problem of provisioning.problems) {
    console.warn(`  CRM list problem:     ${problem}`);
  }
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  // SIGTERM (a container or service manager stopping us): let requests in flight finish, for a
  // bounded time, so a proxied write is not cut between the gateway and Exact.
  const drainMs = Number(process.env.SANDBOX_DRAIN_MS ?? 10_000);
  const drain = (): void => {
    void sandbox.drain(drainMs).then(({ cut }) => {
      if (cut > 0) {
        console.warn(`Stopped with ${cut} request(s) still running after ${drainMs} ms.`);
      }
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', drain);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
