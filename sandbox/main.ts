import { resolve } from 'node:path';
import { startProduct } from './product';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4321);
  const dataDir = resolve(process.env.SANDBOX_DATA_DIR ?? 'sandbox-data');
  const { sandbox, provisioning, workbenchUrl, crmOrders } = await startProduct({ port, dataDir, env: { SANDBOX_CRM_ORDERS: '1', ...process.env } });
  console.log(`Exact CRM Connector sandbox on ${sandbox.url}`);
  console.log(`  Open the product:     ${workbenchUrl}`);
  for (const line of sandbox.banner) {
    console.log(`  ${line}`);
  }
  const lists = provisioning.lists.map((l) => `${l.title}${l.created ? ' (created)' : ''}`).join(', ');
  console.log(`  CRM lists:            ${lists}`);
  if (crmOrders?.seeded) console.log(`  CRM sales orders:     ${crmOrders.orders} seeded (Sales orders page; send them from Administration → Import profiles → Orders)`);
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
