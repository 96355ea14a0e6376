import * as React from 'react';
import type { IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as strings from 'CustomerFinanceWebPartStrings';
import { isConfigured } from '../../services/connectorSettings';
import { servicesFor } from '../../services/spfx';
import { ConnectorWebPart } from '../common/ConnectorWebPart';
import { CustomerFinancePanel } from './components/CustomerFinancePanel';
import { CustomerFinanceInTeams } from './components/teams/CustomerFinanceInTeams';
import { companyFromQuery } from './companyFromQuery';
import type { ICustomerFinanceWebPartProps } from './ICustomerFinanceWebPartProps';
import { companyPickerField } from './propertyPane/CompanyPaneField';
import { customerFinancePane } from './propertyPane/CustomerFinancePropertyPane';

export default class CustomerFinanceWebPart extends ConnectorWebPart<ICustomerFinanceWebPartProps> {
  protected renderRoot(): React.ReactElement {
    if (this.teamsContext) return React.createElement(CustomerFinanceInTeams, { context: this.teamsContext, companyProperty: this.properties.companyId });
    const fixed = this.properties.companyId ? Number(this.properties.companyId) : undefined;
    // The Companies list's command set opens the page as `?company=12&action=create`.
    const fromPage = companyFromQuery(window.location.search, this.properties.queryParameter);
    return React.createElement(CustomerFinancePanel, { companyId: fixed ?? fromPage.companyId, startWith: fromPage.startWith });
  }

  protected notConfiguredText(): string {
    return strings.NotConfigured;
  }

  protected getPropertyPaneConfiguration(): IPropertyPaneConfiguration {
    const settings = this.connectorSettings;
    return customerFinancePane(
      companyPickerField({
        value: () => this.properties.companyId,
        environment: () => (isConfigured(settings) ? { services: servicesFor(this.context, settings), locale: this.context.pageContext.cultureInfo.currentUICultureName } : undefined),
      }),
    );
  }
}
