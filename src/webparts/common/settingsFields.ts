import { PropertyPaneTextField, type IPropertyPaneField } from '@microsoft/sp-property-pane';

/** Property-pane check: https (or localhost for the workbench), or empty. */
export const httpsUrlError = (value: string): string => {
  if (!value) return '';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1' ? '' : 'https://…';
  } catch {
    return 'https://…';
  }
};

/** The gateway and CRM-site fields every connector web part has, with the web part's own labels. */
export function connectorSettingsFields(labels: { gatewayUrl: string; gatewayResource: string; crmSiteUrl: string }): Array<IPropertyPaneField<unknown>> {
  return [
    PropertyPaneTextField('gatewayUrl', { label: labels.gatewayUrl, onGetErrorMessage: httpsUrlError }),
    PropertyPaneTextField('gatewayResource', { label: labels.gatewayResource, placeholder: 'api://exact-crm-gateway' }),
    PropertyPaneTextField('crmSiteUrl', { label: labels.crmSiteUrl, onGetErrorMessage: httpsUrlError }),
  ];
}
