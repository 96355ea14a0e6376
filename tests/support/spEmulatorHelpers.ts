import { spfi, SPFx, type SPFI } from '@pnp/sp';
import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import '@pnp/sp/fields';
import '@pnp/sp/batching';
import '@pnp/sp/files';
import '@pnp/sp/folders';
import '@pnp/sp/site-users/web';
import { TestClock } from '../../src/sync/clock';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { createSharePointEmulator, type SharePointControl, type SharePointEmulatorOptions } from '../../sandbox/sharepoint';

export interface SpHarness {
  sandbox: RunningSandbox;
  control: SharePointControl;
  sp: SPFI;
  siteUrl: string;
  clock: TestClock;
}

/** Starts the emulator on 127.0.0.1:0 and points PnPjs at it the way an SPFx web part would. */
export async function startSp(options: SharePointEmulatorOptions & { dataDir?: string } = {}): Promise<SpHarness> {
  const clock = new TestClock(Date.UTC(2026, 10, 21, 12, 0, 0));
  let control: SharePointControl | undefined;
  const sandbox = await startSandbox(
    [
      async (context) => {
        const created = await createSharePointEmulator(context, options);
        control = created.control;
        return created.part;
      },
    ],
    { clock, dataDir: options.dataDir },
  );
  const siteUrl = `${sandbox.url}/sites/crm`;
  const fakeContext = {
    pageContext: { web: { absoluteUrl: siteUrl }, legacyPageContext: { formDigestValue: '', formDigestTimeoutSeconds: 0 } },
  };
  const sp = spfi(siteUrl).using(SPFx(fakeContext));
  return { sandbox, control: control!, sp, siteUrl, clock };
}
