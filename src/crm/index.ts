// The CRM data layer: SharePoint lists through PnPjs v4. Callers pass an SPFI (SPFx:
// `createCrmSp(this.context)`); nothing here creates HTTP clients of its own.
export { createCrmSp, siteContext, WRITE_BATCH_SIZE, READ_PAGE_SIZE } from './pnp';
export type { SPFI, ISPFXContext } from './pnp';
export * from './schema';
export { convertValue, convertValues, roundCurrency, toRestBody, fromRestItem, restPropertyName } from './convert';
export type { ConvertContext, ConvertResult, RestValue } from './convert';
export { provisionCrm } from './provision';
export type { ProvisionReport, ListProvisionReport, FieldChange } from './provision';
export { createCrmTarget, SharePointCrmList, mergeFields } from './crmList';
export type { CrmTargetOptions, SharePointCrmTarget } from './crmList';
export { createProfileStore } from './profileStore';
export type { ProfileStore, ProfileStoreOptions, ProfileEntry, ValidProfileEntry, InvalidProfileEntry, ProfileIdentity } from './profileStore';
export { createRunStore, RUN_MODES, RUN_STATUSES } from './runStore';
export type { RunStore, RunStoreOptions, RunSummary, RunSummaryEntry, RunEntry, RunCounts } from './runStore';
export { createDocumentStore, splitDocumentPath } from './documentStore';
export { StoreValidationError, checkJson } from './jsonEntries';
export type { JsonIssue, JsonCheck } from './jsonEntries';
export { describeSharePointError, fieldsNamedIn } from './spErrors';
export type { SharePointFailure } from './spErrors';
