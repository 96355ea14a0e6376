import * as React from 'react';
import { Checkbox } from '@fluentui/react/lib/Checkbox';
import { ChoiceGroup, type IChoiceGroupOption } from '@fluentui/react/lib/ChoiceGroup';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { TextField } from '@fluentui/react/lib/TextField';
import { Toggle } from '@fluentui/react/lib/Toggle';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ScheduleStrings';
import type { ScheduleSpec, ScheduleView } from '../../../../services/types';
import { useConnector, useServices } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format, formatDate } from '../../../../ui/format';
import { useAsync } from '../../../../ui/useAsync';

/** The saved profile this schedule runs; a profile that was never saved has no schedule yet. */
export interface ScheduledProfile {
  id: string;
  name: string;
  entity: string;
  division?: number;
}

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 12, maxWidth: 640 },
  row: { display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-end' },
  narrow: { width: 140 },
  days: { display: 'flex', flexWrap: 'wrap', gap: '8px 16px' },
  badge: { display: 'inline-block', padding: '0 8px', borderRadius: 10, fontWeight: 600, marginRight: 8 },
});

const time = /^([01]\d|2[0-3]):[0-5]\d$/;
const defaultSpec: ScheduleSpec = { cadence: { kind: 'off' }, timeZone: 'Europe/Amsterdam', runOnChanges: false };

interface Draft {
  cadence: ScheduleSpec['cadence']['kind'];
  minutes: string;
  dailyAt: string;
  officeHours: boolean;
  from: string;
  to: string;
  days: number[];
  runOnChanges: boolean;
}

function draftOf(spec: ScheduleSpec): Draft {
  return {
    cadence: spec.cadence.kind,
    minutes: spec.cadence.kind === 'minutes' ? String(spec.cadence.minutes) : '15',
    dailyAt: spec.cadence.kind === 'daily' ? spec.cadence.at : '06:00',
    officeHours: spec.window !== undefined,
    from: spec.window?.from ?? '07:00',
    to: spec.window?.to ?? '20:00',
    days: spec.days ?? [1, 2, 3, 4, 5, 6, 7],
    runOnChanges: spec.runOnChanges,
  };
}

/** The spec to save, or the words of what is wrong. */
function specOf(draft: Draft, timeZone: string): { spec: ScheduleSpec } | { problem: string } {
  const minutes = Number(draft.minutes);
  if (draft.cadence === 'minutes' && (!Number.isInteger(minutes) || minutes < 15)) return { problem: strings.MinutesHelp };
  if (draft.cadence === 'daily' && !time.test(draft.dailyAt)) return { problem: strings.BadTime };
  if (draft.officeHours && (!time.test(draft.from) || !time.test(draft.to))) return { problem: strings.BadTime };
  if (draft.officeHours && draft.from >= draft.to) return { problem: strings.WindowOrder };
  if (draft.days.length === 0) return { problem: strings.NoDays };
  const cadence: ScheduleSpec['cadence'] =
    draft.cadence === 'minutes' ? { kind: 'minutes', minutes } : draft.cadence === 'daily' ? { kind: 'daily', at: draft.dailyAt } : { kind: draft.cadence };
  return {
    spec: {
      cadence,
      timeZone,
      runOnChanges: draft.runOnChanges,
      ...(draft.officeHours ? { window: { from: draft.from, to: draft.to } } : {}),
      ...(draft.days.length < 7 ? { days: [...draft.days].sort() } : {}),
    },
  };
}

/** "Schedule": when the profile runs by itself, "next run at" and how the last background run ended. */
export function ScheduleSection(props: { profile?: ScheduledProfile; /** What runs, when it is not an import profile (the Orders tab's status refresh). */ intro?: string }): React.ReactElement {
  return (
    <Section id="profile-schedule" title={strings.SectionTitle}>
      <Text as="p" block styles={{ root: { margin: '0 0 12px' } }}>
        {props.intro ?? strings.Intro}
      </Text>
      {props.profile ? <ScheduleForm profile={props.profile} /> : <Text>{strings.SaveFirst}</Text>}
    </Section>
  );
}

function ScheduleForm({ profile }: { profile: ScheduledProfile }): React.ReactElement {
  const services = useServices();
  const loaded = useAsync(() => services.schedules.list(), [services]);
  if (loaded.state.status === 'loading') return <Spinner label={strings.Loading} />;
  if (loaded.state.status === 'failed') return <ProblemMessage error={loaded.state.error} onRetry={loaded.reload} lead={strings.LoadFailed} />;
  const list = loaded.state.value;
  return <Form profile={profile} stored={list.schedules.find((s) => s.profileId === profile.id)} paused={list.paused} />;
}

function Form(props: { profile: ScheduledProfile; stored?: ScheduleView; paused: boolean }): React.ReactElement {
  const services = useServices();
  const { locale } = useConnector();
  const theme = useTheme();
  const spec = props.stored?.spec ?? defaultSpec;
  const [draft, setDraft] = React.useState<Draft>(() => draftOf(spec));
  const [view, setView] = React.useState<ScheduleView | undefined>(props.stored);
  const [saving, setSaving] = React.useState<'idle' | 'saving' | 'saved' | { error: unknown }>('idle');
  const change = (patch: Partial<Draft>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaving('idle');
  };
  const followsChanges = props.profile.entity === 'Account' || props.profile.entity === 'Contact';
  const checked = specOf(draft, spec.timeZone);
  const dayNames = strings.Days.split(',');
  const cadenceOptions: IChoiceGroupOption[] = [
    { key: 'off', text: strings.CadenceOff },
    { key: 'minutes', text: strings.CadenceMinutes },
    { key: 'hourly', text: strings.CadenceHourly },
    { key: 'daily', text: strings.CadenceDaily },
  ];
  const save = async (): Promise<void> => {
    if (!('spec' in checked)) return;
    setSaving('saving');
    try {
      setView(await services.schedules.save(props.profile, checked.spec));
      setSaving('saved');
    } catch (error) {
      setSaving({ error });
    }
  };
  const last = view?.lastResult;
  const outcome = last && (last.outcome === 'finished' ? format(strings.OutcomeFinished, last.status ?? '') : last.outcome === 'failed' ? format(strings.OutcomeFailed, last.reason ?? '') : strings.OutcomeBusy);
  const trigger = last && (last.trigger.kind === 'schedule' ? strings.TriggerSchedule : last.trigger.kind === 'exactChange' ? strings.TriggerExactChange : format(strings.TriggerPerson, last.trigger.name));
  const at = (ms: number): string => formatDate(new Date(ms).toISOString(), locale, true);
  return (
    <div className={classes.stack}>
      <ChoiceGroup label={strings.FieldCadence} selectedKey={draft.cadence} options={cadenceOptions} onChange={(_e, option) => option && change({ cadence: option.key as Draft['cadence'] })} />
      {draft.cadence === 'minutes' ? (
        <TextField className={classes.narrow} label={strings.FieldMinutes} type="number" min={15} value={draft.minutes} description={strings.MinutesHelp} onChange={(_e, value) => change({ minutes: value ?? '' })} />
      ) : null}
      {draft.cadence === 'daily' ? <TextField className={classes.narrow} label={strings.FieldDailyAt} value={draft.dailyAt} onChange={(_e, value) => change({ dailyAt: value ?? '' })} /> : null}
      {draft.cadence === 'minutes' || draft.cadence === 'hourly' ? (
        <>
          <Checkbox label={strings.FieldOfficeHours} checked={draft.officeHours} onChange={(_e, value) => change({ officeHours: Boolean(value) })} />
          {draft.officeHours ? (
            <div className={classes.row}>
              <TextField className={classes.narrow} label={strings.FieldFrom} value={draft.from} onChange={(_e, value) => change({ from: value ?? '' })} />
              <TextField className={classes.narrow} label={strings.FieldTo} value={draft.to} onChange={(_e, value) => change({ to: value ?? '' })} />
            </div>
          ) : null}
        </>
      ) : null}
      {draft.cadence !== 'off' ? (
        <fieldset style={{ border: 'none', margin: 0, padding: 0 }}>
          <legend style={{ fontWeight: 600, padding: '0 0 6px' }}>{strings.FieldDays}</legend>
          <div className={classes.days}>
            {dayNames.map((name, index) => (
              <Checkbox
                key={name}
                label={name}
                checked={draft.days.includes(index + 1)}
                onChange={(_e, value) => change({ days: value ? [...draft.days, index + 1] : draft.days.filter((d) => d !== index + 1) })}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      <Toggle
        label={strings.FieldRunOnChanges}
        checked={draft.runOnChanges}
        disabled={!followsChanges}
        onText=" "
        offText=" "
        onChange={(_e, value) => change({ runOnChanges: Boolean(value) })}
      />
      <Text variant="small">{followsChanges ? strings.RunOnChangesHelp : strings.RunOnChangesNotForSource}</Text>
      <Text variant="small">{format(strings.TimeZoneNote, spec.timeZone)}</Text>
      {'problem' in checked ? <MessageBar messageBarType={MessageBarType.warning}>{checked.problem}</MessageBar> : null}
      <div className={classes.row}>
        <PrimaryButton text={saving === 'saving' ? strings.Saving : strings.Save} disabled={saving === 'saving' || !('spec' in checked)} onClick={() => void save()} />
      </div>
      <div aria-live="polite">
        {saving === 'saved' ? <MessageBar messageBarType={MessageBarType.success}>{strings.Saved}</MessageBar> : null}
        {typeof saving === 'object' ? <ProblemMessage error={saving.error} lead={strings.SaveFailed} /> : null}
      </div>
      {props.paused ? <MessageBar messageBarType={MessageBarType.warning}>{strings.PausedAll}</MessageBar> : null}
      <Text block>{view?.nextRunAt !== undefined ? format(strings.NextRunAt, at(view.nextRunAt)) : strings.NoNextRun}</Text>
      {view?.current ? <MessageBar>{format(strings.RunningNow, at(view.current.since))}</MessageBar> : null}
      <Text block>
        {view?.attention ? (
          <span className={classes.badge} style={{ background: theme.semanticColors.errorBackground, color: theme.semanticColors.errorText }}>
            {strings.Attention}
          </span>
        ) : null}
        {last && outcome && trigger ? format(strings.LastResult, at(last.at), outcome, trigger) : strings.NoResultYet}
      </Text>
    </div>
  );
}
