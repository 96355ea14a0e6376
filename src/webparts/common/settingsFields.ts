import { PropertyPaneTextField, type IPropertyPaneField } from '@microsoft/sp-property-pane';
import * as strings from 'CommonStrings';
import { connectorUrlIssue, type UrlField } from '../../services/connectorSettings';
import { format } from '../../ui/format';

/** Property-pane check of a URL field, the tenant property's own (connectorUrl): empty, or https (plain http on the loopback). */
export const httpsUrlError =
  (field: UrlField, label: string) =>
  (value: string): string => {
    if (!value) return '';
    const issue = connectorUrlIssue(field, value);
    return issue ? format(issue === 'not-https' ? strings.UrlNotHttps : strings.UrlNotAbsolute, label) : '';
  };

/** The gateway and CRM-site fields every connector web part has, with the web part's own labels. */
export function connectorSettingsFields(labels: { gatewayUrl: string; gatewayResource: string; crmSiteUrl: string }): Array<IPropertyPaneField<unknown>> {
  return [
    PropertyPaneTextField('gatewayUrl', { label: labels.gatewayUrl, onGetErrorMessage: httpsUrlError('gatewayUrl', labels.gatewayUrl) }),
    PropertyPaneTextField('gatewayResource', { label: labels.gatewayResource, placeholder: 'api://exact-crm-gateway' }),
    PropertyPaneTextField('crmSiteUrl', { label: labels.crmSiteUrl, onGetErrorMessage: httpsUrlError('crmSiteUrl', labels.crmSiteUrl) }),
  ];
}
