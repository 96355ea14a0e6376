import * as React from 'react';
import type { IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as common from 'CommonStrings';
import { ConnectorWebPart } from '../common/ConnectorWebPart';
import { connectorSettingsPane } from '../common/connectorSettingsPane';
import { ImportProfilesPage } from './components/ImportProfilesPage';
import type { IImportProfilesWebPartProps } from './IImportProfilesWebPartProps';

export default class ImportProfilesWebPart extends ConnectorWebPart<IImportProfilesWebPartProps> {
  protected renderRoot(): React.ReactElement {
    return React.createElement(ImportProfilesPage);
  }

  protected notConfiguredText(): string {
    return common.NotConfigured;
  }

  protected getPropertyPaneConfiguration(): IPropertyPaneConfiguration {
    return connectorSettingsPane();
  }
}
