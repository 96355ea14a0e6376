// PnPjs v4 is modular: these side-effect imports attach the parts of the fluent API this layer uses
// (webs, lists, items, fields, files, folders, batching). Every module in src/crm imports them from
// here so the set stays in one place and tree-shaking keeps the rest out of the bundle.
import { spfi, SPFx } from '@pnp/sp';
import type { ISPFXContext, SPFI } from '@pnp/sp';
import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import '@pnp/sp/fields';
import '@pnp/sp/files';
import '@pnp/sp/folders';
import '@pnp/sp/batching';
import { FetchWithSafeRetry } from './fetchRetry';

export type { SPFI, ISPFXContext };

/**
 * The one place the layer builds an SPFI from a context: SPFx passes `this.context`; tests and the
 * sandbox pass a plain object with the same shape and a site URL. Everything else takes an SPFI.
 */
export function createCrmSp(context: ISPFXContext, siteUrl?: string): SPFI {
  return (siteUrl === undefined ? spfi() : spfi(siteUrl)).using(SPFx(context), FetchWithSafeRetry());
}

/**
 * A plain SPFx-shaped context for a site outside SPFx (the sandbox workbench, the gateway, Node
 * tests). The empty form digest makes PnPjs fetch one from `_api/contextinfo` on first write.
 */
export function siteContext(absoluteUrl: string): ISPFXContext {
  return {
    pageContext: {
      web: { absoluteUrl },
      legacyPageContext: { formDigestValue: '', formDigestTimeoutSeconds: 0 },
    },
  };
}

/** Number of item writes per `$batch` request: PnPjs sends one POST per this many parts. */
export const WRITE_BATCH_SIZE = 100;
/** SharePoint's list view threshold is 5,000; index reads page at exactly that. */
export const READ_PAGE_SIZE = 5000;
