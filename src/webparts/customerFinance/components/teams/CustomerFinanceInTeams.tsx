import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import * as strings from 'CustomerFinanceWebPartStrings';
import { teamsSurface, type TeamsTabContext } from '../../../../ui/teams';
import { companyFromEntityId, teamsTabCompany } from '../../teamsCompany';
import { CustomerFinancePanel } from '../CustomerFinancePanel';
import { MyCustomers } from './MyCustomers';

/**
 * The customer panel web part inside Teams: as a personal app it is "My customers" (a deep link's
 * subEntityId `company:<id>` opens that customer); as a channel (or chat) tab it shows the company
 * the tab was configured with (see teamsCompany.ts).
 */
export function CustomerFinanceInTeams(props: { context: TeamsTabContext; companyProperty?: string }): React.ReactElement {
  const surface = teamsSurface(props.context);
  if (surface === 'personal') return <MyCustomers user={props.context.userPrincipalName ?? ''} openCompanyId={companyFromEntityId(props.context.subEntityId)} />;
  const companyId = teamsTabCompany(props.companyProperty, props.context.entityId);
  if (companyId === undefined) {
    // SPFx's settings page is the property pane, beside this preview: there the company is still to be chosen.
    return (
      <MessageBar messageBarType={MessageBarType.info} isMultiline data-testid="state-tab-no-company">
        {surface === 'settings' ? strings.NoCompany : strings.TabNoCompany}
      </MessageBar>
    );
  }
  return <CustomerFinancePanel companyId={companyId} />;
}
