import * as React from 'react';
import type { IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as common from 'CommonStrings';
import { ConnectorWebPart } from '../common/ConnectorWebPart';
import { ExactConnectionPage } from './components/ExactConnectionPage';
import type { IExactConnectionWebPartProps } from './IExactConnectionWebPartProps';
import { connectorSettingsPane } from '../common/connectorSettingsPane';

export default class ExactConnectionWebPart extends ConnectorWebPart<IExactConnectionWebPartProps> {
  protected renderRoot(): React.ReactElement {
    return React.createElement(ExactConnectionPage);
  }

  protected notConfiguredText(): string {
    return common.NotConfigured;
  }

  protected getPropertyPaneConfiguration(): IPropertyPaneConfiguration {
    return connectorSettingsPane();
  }
}
