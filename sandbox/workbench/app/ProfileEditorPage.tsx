import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { useServices } from '../../../src/ui/ConnectorContext';
import { ProblemMessage } from '../../../src/ui/components/ProblemMessage';
import { useAsync } from '../../../src/ui/useAsync';
import { ProfileEditor } from '../../../src/webparts/importProfiles/components/editor/ProfileEditor';

/**
 * `/pages/import-profiles/edit?profile=<id>` (no `profile`: a new one): the profile editor alone,
 * the way the import-profiles page mounts it, so the browser tests reach it directly.
 */
export function ProfileEditorPage(props: { loading: string; notFound: string }): React.ReactElement {
  const services = useServices();
  const id = new URLSearchParams(window.location.search).get('profile');
  const entry = useAsync(async () => (id ? (await services.sync()).profiles.get(id) : undefined), [services, id]);
  if (entry.state.status === 'loading') return <Spinner label={props.loading} />;
  if (entry.state.status === 'failed') return <ProblemMessage error={entry.state.error} onRetry={entry.reload} />;
  if (id && !entry.state.value) return <MessageBar messageBarType={MessageBarType.warning}>{props.notFound}</MessageBar>;
  return (
    <ProfileEditor
      entry={entry.state.value}
      onSaved={(saved) => window.history.replaceState(null, '', `?profile=${encodeURIComponent(saved.id)}`)}
      onCancel={() => window.location.assign('/pages/import-profiles')}
    />
  );
}
