import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { OrderProfile } from '../../../../orders/profile';
import type { OrdersService } from '../../../../orders/service';
import { useConnector } from '../../../../ui/ConnectorContext';
import { NotConnected } from '../../../../ui/components/NotConnected';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { useAsync } from '../../../../ui/useAsync';
import { divisionLabel } from '../divisions';
import type { OrdersPage } from './ordersPage';
import { OrderStatusRefresh } from './OrderStatusRefresh';
import { NewOrderProfile } from './NewOrderProfile';
import { OrderProfileView } from './OrderProfileView';

const classes = mergeStyleSets({
  section: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 },
  item: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, padding: '8px 0', borderBottom: '1px solid rgba(128,128,128,0.3)' },
  itemText: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
});

class NotConnectedError extends Error {}


type View = { kind: 'list' } | { kind: 'new' } | { kind: 'profile'; profile: OrderProfile };

/** The Orders tab: order profiles, a new one, and one profile's report, mapping, preview and runs. */
/** A CRM-source profile says so in the list; a billing-report one reads as before. */
const crmSourced = (profile: OrderProfile, summary: string): string => (profile.source.kind === 'crmLists' ? format(strings.ProfileSummaryCrm, summary) : summary);

export function OrdersSection(): React.ReactElement {
  const { services } = useConnector();
  const [view, setView] = React.useState<View>({ kind: 'list' });
  const page = useAsync(async (): Promise<OrdersPage & { profiles: Awaited<ReturnType<OrdersService['listProfiles']>> }> => {
    const status = await services.connection.status();
    if (status.status === 'not-connected') throw new NotConnectedError();
    const [service, user] = await Promise.all([services.orders(), services.permissions.currentUser()]);
    const divisions = status.divisions ?? [];
    return { service, divisions, defaultDivision: status.division ?? divisions[0]?.code, user: user.title, profiles: await service.listProfiles() };
  }, [services]);

  if (page.state.status === 'loading') return <Spinner size={SpinnerSize.large} label={strings.Loading} />;
  if (page.state.status === 'failed') {
    if (page.state.error instanceof NotConnectedError) return <NotConnected />;
    return <ProblemMessage error={page.state.error} onRetry={page.reload} lead={strings.LoadFailed} />;
  }
  const data = page.state.value;
  if (view.kind === 'new') {
    return (
      <NewOrderProfile
        page={data}
        onSaved={(profile) => {
          page.reload();
          setView({ kind: 'profile', profile });
        }}
        onCancel={() => setView({ kind: 'list' })}
      />
    );
  }
  if (view.kind === 'profile') {
    return <OrderProfileView page={data} profile={view.profile} onBack={() => { page.reload(); setView({ kind: 'list' }); }} />;
  }
  return (
    <div className={classes.section}>
      <Text>{strings.Intro}</Text>
      <Section id="order-profiles" title={strings.ProfilesTitle} actions={<PrimaryButton text={strings.NewProfile} iconProps={{ iconName: 'Add' }} onClick={() => setView({ kind: 'new' })} />}>
        {data.profiles.length === 0 ? (
          <MessageBar messageBarType={MessageBarType.info}>{strings.NoProfiles}</MessageBar>
        ) : (
          <ul className={classes.list} aria-label={strings.ProfilesTitle}>
            {/* Until the list is read again after Back, it holds the profile as it was opened: opening that would lose the mappings made since. */}
            {data.profiles.map((entry) =>
              entry.valid ? (
                <li key={entry.id} className={classes.item}>
                  <span className={classes.itemText}>
                    <Text variant="mediumPlus">{entry.profile.title}</Text>
                    <Text variant="small">
                      {crmSourced(entry.profile, format(entry.profile.target.kind === 'exactOnline' ? strings.ProfileSummaryOnline : strings.ProfileSummaryGlobe, divisionLabel(entry.profile.division, data.divisions), Object.keys(entry.profile.mapping.customers).length, Object.keys(entry.profile.mapping.products).length))}
                    </Text>
                  </span>
                  <DefaultButton text={strings.Open} ariaLabel={format(strings.OpenProfile, entry.profile.title)} disabled={page.reloading} onClick={() => setView({ kind: 'profile', profile: entry.profile })} />
                </li>
              ) : (
                <li key={entry.id} className={classes.item}>
                  <MessageBar messageBarType={MessageBarType.error}>{format(strings.BrokenProfile, entry.id, entry.message)}</MessageBar>
                </li>
              ),
            )}
          </ul>
        )}
      </Section>
      <OrderStatusRefresh page={data} />
    </div>
  );
}
