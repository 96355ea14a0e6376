// The CRM data layer: SharePoint lists through PnPjs v4. Callers pass an SPFI (SPFx:
// `createCrmSp(this.context)`); nothing here creates HTTP clients of its own.
export { createCrmSp, siteContext, WRITE_BATCH_SIZE, READ_PAGE_SIZE } from './pnp';
export type { SPFI, ISPFXContext } from './pnp';
export * from './schema';
export { convertValue, convertValues, roundCurrency, toRestBody, fromRestItem, restPropertyName } from './convert';
export type { ConvertContext, ConvertResult, RestValue } from './convert';
export { provisionCrm } from './provision';
export type { ProvisionReport, ListProvisionReport, FieldChange } from './provision';
export { createCrmTarget, SharePointCrmList, mergeFields } from './crm-list';
export type { CrmTargetOptions, SharePointCrmTarget } from './crm-list';
export { createProfileStore } from './profile-store';
export type { ProfileStore, ProfileStoreOptions, ProfileEntry, ValidProfileEntry, InvalidProfileEntry, ProfileIdentity } from './profile-store';
export { createRunStore, RUN_MODES, RUN_STATUSES } from './run-store';
export type { RunStore, RunStoreOptions, RunSummary, RunSummaryEntry, RunEntry, RunCounts } from './run-store';
export { createDocumentStore, splitDocumentPath } from './document-store';
export { StoreValidationError, checkJson } from './json-entries';
export type { JsonIssue, JsonCheck } from './json-entries';
export { describeSharePointError, fieldsNamedIn } from './sp-errors';
export type { SharePointFailure } from './sp-errors';
