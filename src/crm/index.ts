// The CRM data layer: SharePoint lists through PnPjs v4. Callers pass an SPFI (SPFx:
// `createCrmSp(this.context)`); nothing here creates HTTP clients of its own.
export { createCrmSp, siteContext, WRITE_BATCH_SIZE, READ_PAGE_SIZE } from './pnp';
export type { SPFI, ISPFXContext } from './pnp';
export * from './schema';
export { convertValue, convertValues, roundCurrency, toRestBody, fromRestItem, restPropertyName } from './convert';
export type { ConvertContext, ConvertResult, RestValue } from './convert';
export { provisionCrm } from './provision';
export type { ProvisionReport, ListProvisionReport, ColumnChange } from './provision';
export { createCrmTarget, SharePointCrmList, mergeFields } from './crmList';
export type { CrmTargetOptions, SharePointCrmTarget } from './crmList';
// The stores implement src/sync's ports (ProfileStore, RunJournal, DocumentStore); their types are core's.
export { createSharePointProfileStore } from './profileStore';
export { createSharePointRunJournal } from './runStore';
export { createDocumentStore, splitDocumentPath } from './documentStore';
export { describeSharePointError, fieldsNamedIn } from './spErrors';
export type { SharePointFailure } from './spErrors';
