import * as strings from 'CommonStrings';
import type { SettingsRefusal } from '../../services/connectorSettings';
import { format } from '../../ui/format';

/** What a refused component shows instead of itself (pinnedSettings): the property, its value and why, with the tenant property's own problem. */
export function settingsRefusalText(refusal: SettingsRefusal, tenantProblem?: string): string {
  const text =
    refusal.reason === 'not-allowed'
      ? format(strings.SettingsNotAllowedGateway, refusal.value)
      : refusal.reason === 'other-resource'
        ? format(strings.SettingsNotAllowedResource, refusal.value, refusal.gatewayUrl)
        : format(refusal.issue === 'not-https' ? strings.SettingsNotHttps : strings.SettingsNotAbsolute, refusal.value, refusal.field);
  return tenantProblem ? `${text} ${tenantProblem}` : text;
}
