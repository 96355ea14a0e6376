import * as strings from 'CommonStrings';
import type { SettingsRefusal, TenantProblem } from '../../services/connectorSettings';
import { renderZodIssue, type ZodWords } from '../../sync/words';
import { format } from '../../ui/format';

/** The tenant property's problem as stored: the English sentence (older callers, logs) and its parts. */
export type TenantProblemText = string | { problem?: string; problemParts?: TenantProblem };

/** The tenant property's problem in the reader's language; without parts, the English sentence as given. */
export function tenantProblemText(tenant: TenantProblemText | undefined): string {
  if (tenant === undefined || typeof tenant === 'string') return tenant ?? '';
  const parts = tenant.problemParts;
  if (!parts) return tenant.problem ?? '';
  if (parts.kind === 'not-json') return strings.TenantNotJson;
  if (parts.kind === 'unreadable') return format(strings.TenantUnreadable, parts.detail);
  // A URL's words name the field themselves; zod's other issues are said of the field.
  const said = parts.urlIssue
    ? format(parts.urlIssue === 'not-https' ? strings.UrlNotHttps : strings.UrlNotAbsolute, parts.field).replace(/\.$/, '')
    : parts.issue.code === 'unrecognized_keys' || !parts.field
      ? renderZodIssue(parts.issue, strings as unknown as ZodWords)
      : `${parts.field} ${renderZodIssue(parts.issue, strings as unknown as ZodWords)}`;
  return format(strings.TenantInvalid, said);
}

/** What a refused component shows instead of itself (pinnedSettings): the property, its value and why, with the tenant property's own problem. */
export function settingsRefusalText(refusal: SettingsRefusal, tenant?: TenantProblemText): string {
  const text =
    refusal.reason === 'not-allowed'
      ? format(strings.SettingsNotAllowedGateway, refusal.value)
      : refusal.reason === 'other-resource'
        ? format(strings.SettingsNotAllowedResource, refusal.value, refusal.gatewayUrl)
        : format(refusal.issue === 'not-https' ? strings.SettingsNotHttps : strings.SettingsNotAbsolute, refusal.value, refusal.field);
  const tenantProblem = tenantProblemText(tenant);
  return tenantProblem ? `${text} ${tenantProblem}` : text;
}
