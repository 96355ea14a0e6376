import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'CustomerFinanceWebPartStrings';
import { useConnector } from '../../../../ui/ConnectorContext';
import type { TeamsTabSettings } from '../../../../ui/teams';
import { format } from '../../../../ui/format';
import { companyEntityId } from '../../teamsCompany';
import { CustomerPicker } from '../CustomerPicker';
import { choiceOf, type CustomerChoice } from './recentCustomers';

export interface CustomerTabSettingsProps {
  settings: TeamsTabSettings;
  /** The tab's content page, as Teams should frame it (placeholders such as `{locale}` allowed). */
  contentUrl: string;
  /** The company's page outside Teams, with `{company}` for its CRM item id. */
  websiteUrl?: string;
  /** The tab's company when its Settings are opened again (from the entity id Teams gives). */
  currentCompanyId?: number;
}

/**
 * The settings page of the customer panel as a channel tab: the person picks the customer, Save
 * (Teams' button) becomes available, and on Save the tab is configured as `company:<id>` with the
 * company's name as the tab's name.
 */
export function CustomerTabSettings(props: CustomerTabSettingsProps): React.ReactElement {
  const [chosen, setChosen] = React.useState<CustomerChoice | undefined>();
  const chosenRef = React.useRef<CustomerChoice | undefined>();
  const { settings, contentUrl, websiteUrl, currentCompanyId } = props;
  const { services } = useConnector();

  React.useEffect(() => {
    settings.onSave(() => {
      const choice = chosenRef.current;
      if (!choice) throw new Error(strings.TabChooseHint);
      return {
        entityId: companyEntityId(choice.id),
        contentUrl,
        suggestedDisplayName: choice.name,
        websiteUrl: websiteUrl?.replace('{company}', String(choice.id)),
      };
    });
  }, [settings, contentUrl, websiteUrl]);

  const choose = React.useCallback((choice: CustomerChoice): void => {
    chosenRef.current = choice;
    setChosen(choice);
    settings.setValid(true);
  }, [settings]);

  // Settings of an existing tab: its customer is the choice until the person picks another.
  React.useEffect(() => {
    if (currentCompanyId === undefined) return undefined;
    let live = true;
    services
      .finance()
      .then((finance) => finance.companies.get(currentCompanyId))
      .then(
        (company) => live && !chosenRef.current && choose(choiceOf(company)),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [currentCompanyId, services, choose]);

  return (
    <section aria-labelledby="tab-settings-title" style={{ display: 'flex', flexDirection: 'column', gap: 12, maxWidth: 640 }} data-testid="tab-settings">
      <Text as="h1" id="tab-settings-title" variant="xLarge" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
        {strings.TabSettingsTitle}
      </Text>
      <Text as="p" block styles={{ root: { margin: 0 } }}>
        {strings.TabSettingsIntro}
      </Text>
      <div role="status">
        {chosen ? (
          <MessageBar messageBarType={MessageBarType.success} data-testid="tab-choice">
            {format(strings.TabWillShow, chosen.name)}
          </MessageBar>
        ) : (
          <Text variant="small" block>
            {strings.TabChooseHint}
          </Text>
        )}
      </div>
      <CustomerPicker id="tab-settings" mode="choose" chosenId={chosen?.id} onChoose={choose} />
    </section>
  );
}
