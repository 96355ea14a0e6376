import { PropertyPaneTextField, type IPropertyPaneConfiguration, type IPropertyPaneField } from '@microsoft/sp-property-pane';
import * as strings from 'CustomerFinanceWebPartStrings';
import { connectorSettingsFields } from '../../common/settingsFields';

const isItemId = (value: string): string => (!value || /^[1-9]\d*$/.test(value.trim()) ? '' : '1, 2, 3…');

/**
 * `companyPicker`: the company as a search (CompanyPaneField.tsx). Its ID field stays beside it:
 * where the search cannot answer (no gateway yet, SharePoint refusing), a tab's company can still
 * be set or changed.
 */
export function customerFinancePane(companyPicker?: IPropertyPaneField<unknown>): IPropertyPaneConfiguration {
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
              ...(companyPicker ? [companyPicker] : []),
              PropertyPaneTextField('companyId', { label: strings.CompanyIdLabel, onGetErrorMessage: isItemId }),
              PropertyPaneTextField('queryParameter', { label: strings.QueryParameterLabel, placeholder: 'company' }),
            ],
          },
        ],
      },
    ],
  };
}
