import * as React from 'react';
import { ActionButton, DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import type { ProfileEntry } from '../../../sync/ports';
import type { RunRecord } from '../../../sync/journal/records';
import { useConnector } from '../../../ui/ConnectorContext';
import { Section } from '../../../ui/components/Section';
import { format, formatDate } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import type { PageData } from './pageData';
import { modeLabel, statusLabel } from './labels';

export function lastRuns(runs: RunRecord[]): Map<string, RunRecord> {
  const last = new Map<string, RunRecord>();
  for (const run of runs) {
    if (run.mode === 'Undo') continue;
    const seen = last.get(run.profileId);
    if (!seen || seen.startedAt < run.startedAt) last.set(run.profileId, run);
  }
  return last;
}

export function ProfileList(props: { data: PageData; onOpen: (id: string, options?: { run?: boolean }) => void; onEdit: (entry: ProfileEntry) => void; onNew: () => void }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const runs = useAsync(() => props.data.importProfiles.runs.listRuns(), [props.data]);
  const last = runs.state.status === 'ready' ? lastRuns(runs.state.value) : new Map<string, RunRecord>();
  const classes = mergeStyleSets({
    list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 },
    row: {
      display: 'grid',
      gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 2fr) minmax(0, 2fr) auto',
      gap: 12,
      alignItems: 'center',
      padding: 12,
      border: `1px solid ${theme.palette.neutralLight}`,
      borderRadius: 4,
      selectors: { '@media (max-width: 720px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
    },
    title: { fontWeight: 600, overflowWrap: 'anywhere' },
    muted: { color: theme.palette.neutralSecondary, overflowWrap: 'anywhere' },
    actions: { display: 'flex', gap: 8, flexWrap: 'wrap' },
  });
  const divisionName = (code: number): string => props.data.divisions.find((d) => d.code === code)?.description ?? String(code);
  return (
    <Section id="profiles" title={strings.ProfilesTitle} actions={<ActionButton iconProps={{ iconName: 'Add' }} text={strings.NewProfile} onClick={props.onNew} />}>
      <ul className={classes.list} aria-label={strings.ProfilesTitle}>
        {props.data.entries.map((entry) => {
          if (!entry.valid) {
            return (
              <li key={entry.id} className={classes.row} data-testid={`profile-${entry.id}`}>
                <div>
                  <Text block className={classes.title}>{entry.title || entry.id}</Text>
                </div>
                <div style={{ gridColumn: 'span 2' }}>
                  <MessageBar messageBarType={MessageBarType.error} isMultiline>
                    {format(strings.InvalidProfile, entry.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '))} {strings.InvalidProfileFix}
                  </MessageBar>
                </div>
                <div className={classes.actions}>
                  <DefaultButton text={strings.Edit} onClick={() => props.onEdit(entry)} ariaLabel={`${strings.Edit} ${entry.title || entry.id}`} />
                </div>
              </li>
            );
          }
          const profile = entry.profile;
          const run = last.get(entry.id);
          return (
            <li key={entry.id} className={classes.row} data-testid={`profile-${entry.id}`}>
              <div>
                <Text block className={classes.title}>{profile.title}</Text>
                <Text block variant="small" className={classes.muted}>
                  {modeLabel(profile.mode)} · {divisionName(profile.division)}
                </Text>
              </div>
              <Text block className={classes.muted}>
                {profile.source.entity} → {profile.targetList}
              </Text>
              <Text block variant="small" className={classes.muted}>
                {strings.ColumnLastRun}: {run ? format(strings.LastRunValue, formatDate(run.startedAt, locale, true), run.startedBy, statusLabel(run.status)) : strings.NeverRun}
              </Text>
              <div className={classes.actions}>
                <PrimaryButton text={strings.Run} onClick={() => props.onOpen(entry.id, { run: true })} ariaLabel={`${strings.Run} ${profile.title}`} />
                <DefaultButton text={strings.Open} onClick={() => props.onOpen(entry.id)} ariaLabel={`${strings.Open} ${profile.title}`} />
              </div>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
