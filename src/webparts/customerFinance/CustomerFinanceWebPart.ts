import * as React from 'react';
import type { IPropertyPaneConfiguration } from '@microsoft/sp-property-pane';
import * as strings from 'CustomerFinanceWebPartStrings';
import { isConfigured } from '../../services/connectorSettings';
import { servicesFor } from '../../services/spfx';
import { ConnectorWebPart } from '../common/ConnectorWebPart';
import { CustomerFinancePanel } from './components/CustomerFinancePanel';
import { lazyPart } from '../../ui/components/LazyPart';
import { companyFromQuery } from './companyFromQuery';
import type { ICustomerFinanceWebPartProps } from './ICustomerFinanceWebPartProps';
import { customerFinancePane } from './propertyPane/CustomerFinancePropertyPane';

// Teams only (My customers, the tab's company): a SharePoint page never downloads it.
const CustomerFinanceInTeams = lazyPart(() => import(/* webpackChunkName: 'customer-finance-teams' */ './components/teams/CustomerFinanceInTeams').then((m) => m.CustomerFinanceInTeams), () => strings.Loading);

export default class CustomerFinanceWebPart extends ConnectorWebPart<ICustomerFinanceWebPartProps> {
  /** The company search for the property pane, loaded when the pane opens (loadPropertyPaneResources). */
  private companyPicker: typeof import('./propertyPane/CompanyPaneField').companyPickerField | undefined;

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

  protected async loadPropertyPaneResources(): Promise<void> {
    // A chunk that does not arrive leaves the pane with the company's ID field, not without a pane.
    this.companyPicker = await import(/* webpackChunkName: 'customer-finance-pane' */ './propertyPane/CompanyPaneField').then(
      (m) => m.companyPickerField,
      () => undefined,
    );
  }

  protected getPropertyPaneConfiguration(): IPropertyPaneConfiguration {
    const settings = this.connectorSettings;
    return customerFinancePane(
      this.companyPicker?.({
        value: () => this.properties.companyId,
        environment: () => (isConfigured(settings) ? { services: servicesFor(this.context, settings), locale: this.context.pageContext.cultureInfo.currentUICultureName } : undefined),
      }),
    );
  }
}
