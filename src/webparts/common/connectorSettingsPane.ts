import { PropertyPaneTextField, type IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as strings from 'CommonStrings';

const isUrl = (value: string): string => {
  if (!value) return '';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1' ? '' : 'https://…';
  } catch {
    return 'https://…';
  }
};

/** The settings every connector web part needs: the gateway and the CRM site. */
export function connectorSettingsPane(): IPropertyPaneConfiguration {
  return {
    pages: [
      {
        header: { description: strings.PropertyPaneDescription },
        groups: [
          {
            groupName: strings.SettingsGroup,
            groupFields: [
              PropertyPaneTextField('gatewayUrl', { label: strings.GatewayUrlLabel, onGetErrorMessage: isUrl }),
              PropertyPaneTextField('gatewayResource', { label: strings.GatewayResourceLabel, placeholder: 'api://exact-crm-gateway' }),
              PropertyPaneTextField('crmSiteUrl', { label: strings.CrmSiteUrlLabel, onGetErrorMessage: isUrl }),
            ],
          },
        ],
      },
    ],
  };
}
