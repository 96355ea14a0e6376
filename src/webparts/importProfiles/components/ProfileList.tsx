import * as React from 'react';
import { ActionButton, DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import * as common from 'CommonStrings';
import type { ProfileEntry } from '../../../sync/ports';
import type { RunRecord } from '../../../sync/journal/records';
import { useConnector } from '../../../ui/ConnectorContext';
import { Section } from '../../../ui/components/Section';
import { format, formatDate } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { lazyPart } from '../../../ui/components/LazyPart';
import type { DefaultsAdded } from './AddDefaultsDialog';
import { defaultsAddedMessage } from './defaultsAddedMessage';
import { issuesText } from './editor/problemText';
import { divisionLabel } from './divisions';
import type { PageData } from './pageData';
import { modeLabel, statusLabel } from './labels';
import { profileSourceLabel } from './sourceNames';

export function lastRuns(runs: RunRecord[]): Map<string, RunRecord> {
  const last = new Map<string, RunRecord>();
  for (const run of runs) {
    if (run.mode === 'Undo') continue;
    const seen = last.get(run.profileId);
    if (!seen || seen.startedAt < run.startedAt) last.set(run.profileId, run);
  }
  return last;
}

// Its Dialog and Dropdown are not in the list's first bundle; the page preloads it once the list shows.
export const AddDefaultsDialog = lazyPart(() => import(/* webpackChunkName: 'import-profiles-add-defaults' */ './AddDefaultsDialog').then((m) => m.AddDefaultsDialog));

export interface ProfileGroup {
  /** The division's code; undefined for stored profiles that cannot be read (their division is unknown). */
  division?: number;
  entries: ProfileEntry[];
}

/**
 * Profiles by the division they import from: the connection's default division first, then its
 * other divisions (also those without profiles, so one can be added there), then divisions the
 * connection no longer has, then profiles that cannot be read.
 */
export function groupByDivision(entries: readonly ProfileEntry[], divisions: readonly { code: number }[], defaultDivision: number | undefined): ProfileGroup[] {
  const codes = divisions.map((d) => d.code).sort((a, b) => (a === defaultDivision ? -1 : b === defaultDivision ? 1 : 0));
  for (const e of entries) if (e.valid && codes.indexOf(e.profile.division) < 0) codes.push(e.profile.division);
  const groups: ProfileGroup[] = codes.map((division) => ({ division, entries: entries.filter((e) => e.valid && e.profile.division === division) }));
  const unreadable = entries.filter((e) => !e.valid);
  return unreadable.length > 0 ? [...groups, { entries: unreadable }] : groups;
}

export function ProfileList(props: { data: PageData; onOpen: (id: string, options?: { run?: boolean }) => void; onEdit: (entry: ProfileEntry) => void; onNew: () => void; onChanged: () => void }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const { data } = props;
  const runs = useAsync(() => data.importProfiles.runs.listRuns(), [data]);
  const last = runs.state.status === 'ready' ? lastRuns(runs.state.value) : new Map<string, RunRecord>();
  // undefined: closed; a number: open with that division chosen; null: open, nothing chosen.
  const [adding, setAdding] = React.useState<number | null | undefined>();
  const [added, setAdded] = React.useState<DefaultsAdded | undefined>();
  const classes = mergeStyleSets({
    groups: { display: 'flex', flexDirection: 'column', gap: 20 },
    groupHead: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: '4px 12px', margin: '0 0 8px' },
    groupTitle: { margin: 0, fontWeight: 600, overflowWrap: 'anywhere' },
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
    empty: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, padding: 12, border: `1px dashed ${theme.palette.neutralTertiaryAlt}`, borderRadius: 4 },
  });
  const groups = groupByDivision(data.entries, data.divisions, data.defaultDivision);
  const canAdd = data.divisions.length > 0;

  const row = (entry: ProfileEntry): React.ReactElement => {
    if (!entry.valid) {
      return (
        <li key={entry.id} className={classes.row} data-testid={`profile-${entry.id}`}>
          <div>
            <Text block className={classes.title}>{entry.title || entry.id}</Text>
          </div>
          <div style={{ gridColumn: 'span 2' }}>
            <MessageBar messageBarType={MessageBarType.error} isMultiline>
              {format(strings.InvalidProfile, issuesText(entry.issues))} {strings.InvalidProfileFix}
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
            {modeLabel(profile.mode)}
          </Text>
        </div>
        <Text block className={classes.muted}>
          {profileSourceLabel(profile.source.entity, profile.source.filter)} → {profile.targetList}
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
  };

  return (
    <Section
      id="profiles"
      title={strings.ProfilesTitle}
      actions={
        <div className={classes.actions}>
          <ActionButton iconProps={{ iconName: 'Add' }} text={strings.NewProfile} onClick={props.onNew} />
          {canAdd ? <ActionButton iconProps={{ iconName: 'BuildQueueNew' }} text={strings.AddDefaults} onClick={() => setAdding(null)} styles={{ root: { height: 'auto', minHeight: 40 }, textContainer: { textAlign: 'left' } }} /> : null}
        </div>
      }
    >
      <div aria-live="polite" style={{ marginBottom: added ? 12 : 0 }}>
        {added ? (
          <MessageBar messageBarType={added.profiles.length > 0 ? MessageBarType.success : MessageBarType.info} isMultiline onDismiss={() => setAdded(undefined)} dismissButtonAriaLabel={common.Close}>
            <span data-testid="defaults-added">
              {defaultsAddedMessage(added, divisionLabel(added.division, data.divisions), strings)}
            </span>
          </MessageBar>
        ) : null}
      </div>
      <div className={classes.groups}>
        {groups.map((group) => {
          const id = `profiles-${group.division ?? 'unreadable'}`;
          const known = group.division !== undefined && data.divisions.some((d) => d.code === group.division);
          return (
            <section key={id} aria-labelledby={`${id}-title`} data-testid={id}>
              <div className={classes.groupHead}>
                <Text as="h3" id={`${id}-title`} variant="mediumPlus" className={classes.groupTitle}>
                  {group.division === undefined ? strings.UnreadableProfiles : format(strings.DivisionGroup, divisionLabel(group.division, data.divisions))}
                </Text>
                {group.division !== undefined && group.division === data.defaultDivision ? (
                  <Text variant="small" className={classes.muted}>
                    {strings.DefaultDivision}
                  </Text>
                ) : null}
              </div>
              {group.entries.length > 0 ? (
                <ul className={classes.list} aria-labelledby={`${id}-title`}>
                  {group.entries.map(row)}
                </ul>
              ) : (
                <div className={classes.empty}>
                  <Text>{strings.DivisionNoProfiles}</Text>
                  {known ? <DefaultButton text={strings.AddDefaultsHere} onClick={() => setAdding(group.division)} ariaLabel={format(strings.AddDefaultsFor, divisionLabel(group.division as number, data.divisions))} /> : null}
                </div>
              )}
            </section>
          );
        })}
      </div>
      {adding !== undefined ? (
        <AddDefaultsDialog
          data={data}
          initial={adding ?? undefined}
          onDismiss={() => setAdding(undefined)}
          onAdded={(result) => {
            setAdding(undefined);
            setAdded(result);
            props.onChanged();
          }}
        />
      ) : null}
    </Section>
  );
}
