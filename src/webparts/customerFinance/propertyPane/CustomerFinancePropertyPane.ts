import { PropertyPaneTextField, type IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as strings from 'CustomerFinanceWebPartStrings';
import { connectorSettingsFields } from '../../common/settingsFields';

const isItemId = (value: string): string => (!value || /^[1-9]\d*$/.test(value.trim()) ? '' : '1, 2, 3…');

export function customerFinancePane(): IPropertyPaneConfiguration {
  return {
    pages: [
      {
        header: { description: strings.PropertyPaneDescription },
        groups: [
          {
            groupName: strings.SettingsGroup,
            groupFields: connectorSettingsFields({ gatewayUrl: strings.GatewayUrlLabel, gatewayResource: strings.GatewayResourceLabel, crmSiteUrl: strings.CrmSiteUrlLabel }),
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
