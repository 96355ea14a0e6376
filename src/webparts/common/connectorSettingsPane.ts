import type { IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as strings from 'CommonStrings';
import { connectorSettingsFields } from './settingsFields';

/** The settings every connector web part needs: the gateway and the CRM site. */
export function connectorSettingsPane(): IPropertyPaneConfiguration {
  return {
    pages: [
      {
        header: { description: strings.PropertyPaneDescription },
        groups: [
          {
            groupName: strings.SettingsGroup,
            groupFields: connectorSettingsFields({ gatewayUrl: strings.GatewayUrlLabel, gatewayResource: strings.GatewayResourceLabel, crmSiteUrl: strings.CrmSiteUrlLabel }),
          },
        ],
      },
    ],
  };
}
