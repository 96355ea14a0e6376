import { PropertyPaneTextField, type IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as strings from 'CustomerFinanceWebPartStrings';

const isUrl = (value: string): string => {
  if (!value) return '';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1' ? '' : 'https://…';
  } catch {
    return 'https://…';
  }
};

const isItemId = (value: string): string => (!value || /^[1-9]\d*$/.test(value.trim()) ? '' : '1, 2, 3…');

export function customerFinancePane(): IPropertyPaneConfiguration {
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
          {
            groupName: strings.CompanyGroup,
            groupFields: [
              PropertyPaneTextField('companyId', { label: strings.CompanyIdLabel, onGetErrorMessage: isItemId }),
              PropertyPaneTextField('queryParameter', { label: strings.QueryParameterLabel, placeholder: 'company' }),
            ],
          },
        ],
      },
    ],
  };
}
