import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { TextField } from '@fluentui/react/lib/TextField';
import { Toggle } from '@fluentui/react/lib/Toggle';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ScheduleStrings';
import type { ScheduleList } from '../../../services/types';
import { useServices } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';

/**
 * The health panel's part on background runs: scheduled profiles whose last run failed or was
 * stopped (a badge with the reason), "pause all schedules" and the Teams channel for such runs.
 */
export function BackgroundRunsHealth(): React.ReactElement {
  const services = useServices();
  const loaded = useAsync(() => services.schedules.list({ allSites: true }), [services]);
  if (loaded.state.status === 'loading') return <Spinner label={strings.Loading} />;
  if (loaded.state.status === 'failed') return <ProblemMessage error={loaded.state.error} onRetry={loaded.reload} lead={strings.LoadFailed} />;
  return <Health list={loaded.state.value} />;
}

function Health(props: { list: ScheduleList }): React.ReactElement {
  const services = useServices();
  const theme = useTheme();
  const [list, setList] = React.useState(props.list);
  const [teamsUrl, setTeamsUrl] = React.useState('');
  const [failed, setFailed] = React.useState<unknown>();
  const apply = async (work: () => Promise<Omit<ScheduleList, 'schedules'>>): Promise<void> => {
    setFailed(undefined);
    try {
      const settings = await work();
      setList((l) => ({ ...l, ...settings }));
      setTeamsUrl('');
    } catch (error) {
      setFailed(error);
    }
  };
  const attention = list.schedules.filter((s) => s.attention);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <Text as="h3" variant="mediumPlus" block styles={{ root: { margin: '0 0 4px', fontWeight: 600 } }}>
        {strings.HealthTitle}
      </Text>
      {list.schedules.length === 0 ? <Text block>{strings.HealthNoSchedules}</Text> : attention.length === 0 ? <Text block>{strings.HealthNone}</Text> : null}
      {attention.map((s) => (
        <Text block key={`${s.siteUrl} ${s.profileId}`}>
          <span style={{ display: 'inline-block', padding: '0 8px', marginRight: 8, borderRadius: 10, fontWeight: 600, background: theme.semanticColors.errorBackground, color: theme.semanticColors.errorText }}>
            {strings.Attention}
          </span>
          {format(strings.HealthProblem, s.profileName, s.lastResult?.reason ?? s.lastResult?.status ?? '')}
        </Text>
      ))}
      <Toggle label={strings.PauseAll} checked={list.paused} onChange={(_e, paused) => void apply(() => services.schedules.pauseAll(Boolean(paused)))} />
      <TextField
        label={strings.TeamsWebhook}
        type="url"
        value={teamsUrl}
        placeholder="https://"
        description={list.teamsWebhookSet ? strings.TeamsWebhookSet : undefined}
        onChange={(_e, value) => setTeamsUrl(value ?? '')}
      />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        <DefaultButton text={strings.TeamsSave} disabled={teamsUrl.trim() === ''} onClick={() => void apply(() => services.schedules.setTeamsWebhook(teamsUrl.trim()))} />
        {list.teamsWebhookSet ? <DefaultButton text={strings.TeamsClear} onClick={() => void apply(() => services.schedules.setTeamsWebhook(null))} /> : null}
      </div>
      {failed ? <ProblemMessage error={failed} lead={strings.SettingsFailed} /> : null}
    </div>
  );
}
