import * as React from 'react';
import { Pivot, PivotItem } from '@fluentui/react/lib/Pivot';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ImportProfilesWebPartStrings';
import * as orderStrings from 'OrderProfilesStrings';
import type { ProfileEntry } from '../../../sync/ports';
import { profileLanguage } from '../../../sync/profile/defaults';
import { useConnector } from '../../../ui/ConnectorContext';
import { AdminPage } from '../../../ui/components/AdminPage';
import { NotConnected } from '../../../ui/components/NotConnected';
import { lazyPart } from '../../../ui/components/LazyPart';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { useAsync } from '../../../ui/useAsync';
import type { PageData } from './pageData';
import { AddDefaultsDialog, ProfileList } from './ProfileList';

// The list is the first screen; a profile's runs, log, undo and review, and the editor, come on demand.
const ProfileDetail = lazyPart(() => import(/* webpackChunkName: 'import-profiles-detail' */ './ProfileDetail').then((m) => m.ProfileDetail), () => strings.LoadingProfile);
// Order profiles (billing reports → Exact sales orders or a Globe file): a tab of their own, loaded when opened.
const OrdersSection = lazyPart(() => import(/* webpackChunkName: 'order-profiles' */ './orders/OrdersSection').then((m) => m.OrdersSection), () => orderStrings.Loading);
const ProfileEditor = lazyPart(() => import(/* webpackChunkName: 'import-profiles-editor' */ './editor/ProfileEditor').then((m) => m.ProfileEditor), () => strings.LoadingEditor);

const classes = mergeStyleSets({
  page: { display: 'flex', flexDirection: 'column', gap: 16, minWidth: 0 },
});

class NotConnectedError extends Error {}

type View = { kind: 'list' } | { kind: 'profile'; id: string; run?: boolean } | { kind: 'edit'; entry?: ProfileEntry };

/** The admin's import-profiles page: profiles, editor, preview, runs, history, log, undo and review. */
export function ImportProfilesPage(): React.ReactElement {
  return (
    <AdminPage
      id="import-profiles"
      className={classes.page}
      title={strings.PageTitle}
      intro={strings.PageIntro}
      checking={strings.Checking}
      failed={strings.LoadFailed}
      notAllowed={strings.NotAllowedProfiles}
    >
      <Pivot aria-label={strings.PageTitle} headersOnly={false}>
        <PivotItem headerText={orderStrings.TabImports} itemKey="imports">
          <Profiles />
        </PivotItem>
        <PivotItem headerText={orderStrings.TabOrders} itemKey="orders">
          <OrdersSection />
        </PivotItem>
      </Pivot>
    </AdminPage>
  );
}

function Profiles(): React.ReactElement {
  const { services, locale } = useConnector();
  const [view, setView] = React.useState<View>({ kind: 'list' });
  const data = useAsync(async (): Promise<PageData> => {
    const status = await services.connection.status();
    if (status.status === 'not-connected') throw new NotConnectedError(strings.NotConnected);
    const importProfiles = await services.sync();
    const [user] = await Promise.all([services.permissions.currentUser()]);
    const division = status.division ?? status.divisions?.[0]?.code;
    // The default Companies and Contacts profiles are there on first use.
    if (division) await importProfiles.profiles.ensureDefaults(division, profileLanguage(locale));
    return { importProfiles, entries: await importProfiles.profiles.list(), user: user.title, divisions: status.divisions ?? [], defaultDivision: division };
  }, [services, locale]);
  const listShown = data.state.status === 'ready';
  // Once the list is on screen, fetch the views a click leads to, so the click seldom waits.
  React.useEffect(() => {
    if (!listShown) return;
    void ProfileDetail.preload();
    void ProfileEditor.preload();
    void AddDefaultsDialog.preload();
  }, [listShown]);

  if (data.state.status === 'loading') return <Spinner size={SpinnerSize.large} label={strings.Checking} />;
  if (data.state.status === 'failed') {
    if (data.state.error instanceof NotConnectedError) return <NotConnected lead={strings.NotConnected} />;
    return <ProblemMessage error={data.state.error} onRetry={data.reload} lead={strings.LoadFailed} />;
  }
  const page = data.state.value;
  if (view.kind === 'edit') {
    return (
      <ProfileEditor
        entry={view.entry}
        onSaved={(saved) => {
          data.reload();
          setView({ kind: 'profile', id: saved.id });
        }}
        onCancel={() => setView(view.entry ? { kind: 'profile', id: view.entry.id } : { kind: 'list' })}
      />
    );
  }
  if (view.kind === 'profile') {
    const entry = page.entries.find((e) => e.id === view.id);
    if (entry) {
      return (
        <ProfileDetail
          data={page}
          entry={entry}
          startRun={view.run === true}
          onBack={() => setView({ kind: 'list' })}
          onEdit={() => setView({ kind: 'edit', entry })}
          onChanged={data.reload}
        />
      );
    }
  }
  return (
    <ProfileList
      data={page}
      onOpen={(id, options) => setView({ kind: 'profile', id, run: options?.run })}
      onEdit={(entry) => setView({ kind: 'edit', entry })}
      onNew={() => setView({ kind: 'edit' })}
      onChanged={data.reload}
    />
  );
}
