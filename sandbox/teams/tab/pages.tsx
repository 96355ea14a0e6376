import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import type { TeamsHost, TeamsTabContext } from '../../../src/ui/teams';
import { ExactConnectionPage } from '../../../src/webparts/exactConnection/components/ExactConnectionPage';
import { ImportProfilesPage } from '../../../src/webparts/importProfiles/components/ImportProfilesPage';
import { CustomerFinanceInTeams } from '../../../src/webparts/customerFinance/components/teams/CustomerFinanceInTeams';
import { CustomerTabSettings } from '../../../src/webparts/customerFinance/components/teams/CustomerTabSettings';
import { companyFromEntityId } from '../../../src/webparts/customerFinance/teamsCompany';
import type { TeamsTabId } from '../tabs';

export interface TabPageProps {
  context: TeamsTabContext;
  teams: TeamsHost;
  /** For the settings page: the content page it configures, and the company's page outside Teams. */
  contentUrl: string;
  websiteUrl: string;
}

/** The root components the tabs show: the same ones the web parts render. */
export const tabPages: Record<TeamsTabId, (props: TabPageProps) => React.ReactElement> = {
  'exact-connection': () => <ExactConnectionPage />,
  'import-profiles': () => <ImportProfilesPage />,
  'customer-finance': ({ context }) => <CustomerFinanceInTeams context={context} />,
  'my-customers': ({ context }) => <CustomerFinanceInTeams context={context} />,
  'customer-finance-settings': ({ context, teams, contentUrl, websiteUrl }) =>
    teams.tabSettings ? (
      <CustomerTabSettings settings={teams.tabSettings} contentUrl={contentUrl} websiteUrl={websiteUrl} currentCompanyId={companyFromEntityId(context.entityId)} />
    ) : (
      <MessageBar messageBarType={MessageBarType.error}>This Teams client has no tab settings (pages.config).</MessageBar>
    ),
};
