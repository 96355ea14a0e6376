import { createCrmSp, siteContext, type ISPFXContext, type SPFI } from '../../src/crm/pnp';
import { startSandbox } from '../../sandbox/server';
import {
  createSharePointEmulator,
  type SharePointControl,
  type SharePointEmulatorOptions,
} from '../../sandbox/sharepoint';

/**
 * Node wiring for the CRM layer's integration tests: the SharePoint emulator on 127.0.0.1:0 and an
 * SPFI built the way SPFx builds it (`SPFx` behavior), from a plain object shaped like an SPFx
 * context. The empty form digest makes PnPjs fetch one from `_api/contextinfo`, as it does for
 * a site other than the page's.
 */
export interface CrmSandbox {
  siteUrl: string;
  control: SharePointControl;
  sp: SPFI;
  close(): Promise<void>;
}

/** Kept for tests that build their own SPFI; same as `siteContext` from src/crm. */
export function fakeSpfxContext(siteUrl: string): ISPFXContext {
  return siteContext(siteUrl);
}

export async function startCrmSandbox(options: SharePointEmulatorOptions = {}): Promise<CrmSandbox> {
  let control: SharePointControl | undefined;
  const server = await startSandbox(
    [
      async (context) => {
        const emulator = await createSharePointEmulator(context, { inMemory: true, ...options });
        control = emulator.control;
        return emulator.part;
      },
    ],
    { port: 0 },
  );
  if (control === undefined) {
    throw new Error('SharePoint emulator did not start');
  }
  const siteUrl = control.siteUrl();
  return {
    siteUrl,
    control,
    sp: createCrmSp(siteContext(siteUrl), siteUrl),
    close: () => server.close(),
  };
}
