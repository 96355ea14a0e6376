import * as React from 'react';
import { DefaultButton, MessageBarButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Icon } from '@fluentui/react/lib/Icon';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ProfileEditorStrings';
import { ProfileConflictError } from '../../../../sync/ports';
import type { ProfileEntry, ProfileInput, ProfileProblem, ValidProfileEntry } from '../../../../sync';
import type { ImportProfilesService } from '../../../../sync/service';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { format } from '../../../../ui/format';
import type { ProfileDraft } from './draft';
import { checkedProblemText, pathLabel, type EditorProblem } from './problemText';
import { SaveAsNewDialog, type SaveAsNewDialogProps } from './SaveAsNewDialog';

/** Every problem of the profile in one list, each with the field it is about. */
export function ProblemSummary(props: { problems: readonly EditorProblem[]; hidden: number; draft: ProfileDraft; checking: boolean; checkError?: string }): React.ReactElement {
  const theme = useTheme();
  // Problems of parts not touched yet are said on Save, not before: a blank form is not a list of errors.
  if (props.problems.length === 0 && props.hidden > 0) return <section aria-live="polite" />;
  return (
    <section aria-labelledby="profile-problems-title" aria-live="polite" style={{ minWidth: 0 }}>
      {props.problems.length > 0 ? (
        <MessageBar messageBarType={MessageBarType.severeWarning} isMultiline>
          <Text as="h2" id="profile-problems-title" variant="mediumPlus" block styles={{ root: { margin: '0 0 4px', fontWeight: 600, color: 'inherit' } }}>
            {format(strings.ProblemsTitle, props.problems.length)}
          </Text>
          <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="profile-problems">
            {props.problems.map((p, i) => (
              <li key={i} style={{ overflowWrap: 'anywhere' }}>
                {format(strings.ProblemAt, pathLabel(p.path, props.draft), p.text)}
              </li>
            ))}
          </ul>
        </MessageBar>
      ) : (
        <Text as="h2" id="profile-problems-title" variant="medium" block styles={{ root: { margin: 0, color: theme.semanticColors.bodySubtext } }}>
          {props.checking ? strings.Checking : strings.ProblemsNone}
        </Text>
      )}
      {props.checkError ? <MessageBar messageBarType={MessageBarType.warning}>{format(strings.CheckFailed, props.checkError)}</MessageBar> : null}
    </section>
  );
}


type Outcome = { kind: 'saved'; title: string } | { kind: 'conflict'; error: ProfileConflictError } | { kind: 'failed'; error: unknown } | { kind: 'reloaded' };

/** The problems the service refused a save for (another profile has the name, by now). */
const refusedProblems = (error: unknown): ProfileProblem[] | undefined =>
  error instanceof Error && error.name === 'ProfileError' && Array.isArray((error as { problems?: unknown }).problems) ? (error as unknown as { problems: ProfileProblem[] }).problems : undefined;

const isConflict = (error: unknown): error is ProfileConflictError =>
  error instanceof ProfileConflictError || (error instanceof Error && error.name === 'ProfileConflictError' && 'reason' in error);

export interface SaveBarProps {
  profiles: ImportProfilesService['profiles'];
  /** What the store held when it was read; undefined until a new profile is first saved. */
  entry?: ProfileEntry;
  draft: ProfileDraft;
  input: ProfileInput;
  /** Every problem, shown or not yet. */
  problems: readonly EditorProblem[];
  /** Whether every problem is shown; Save first shows them when not. */
  revealed: boolean;
  onReveal: () => void;
  /** Changed since opened or last saved. */
  dirty: boolean;
  checking: boolean;
  onSaved: (entry: ValidProfileEntry) => void;
  onReloaded: (entry: ProfileEntry | undefined) => void;
  onCancel: () => void;
  divisions: SaveAsNewDialogProps['divisions'];
}

/**
 * The new profile's name to start from: a copy for another division is named for that division,
 * as the shipped profiles of other divisions are; any other keeps the name in the form (the
 * service then offers the first free "Name (2)").
 */
export function newTitleFor(draft: Pick<ProfileDraft, 'title' | 'division'>, entry: ProfileEntry | undefined, divisions: SaveAsNewDialogProps['divisions']): string {
  const title = draft.title.trim();
  const from = entry && entry.valid ? entry.profile.division : undefined;
  const to = divisions.find((d) => d.code === draft.division);
  if (from !== undefined && to && to.code !== from && to.description) return `${title} (${to.description})`;
  return title;
}

/** Save (with the ETag it was read with), Save as new (asks a title), Cancel; conflicts offer Reload. */
export function SaveBar(props: SaveBarProps): React.ReactElement {
  const { profiles, entry } = props;
  const [busy, setBusy] = React.useState(false);
  const [outcome, setOutcome] = React.useState<Outcome | undefined>();
  const [asking, setAsking] = React.useState<{ title: string } | undefined>();
  const theme = useTheme();

  const blocked = props.problems.length > 0 && props.revealed ? format(strings.SaveBlocked, props.problems.length) : props.checking ? strings.SaveWaiting : undefined;
  /** Problems not shown yet are shown instead of saving: Save on a blank form lists what it needs. */
  const readyToSave = (): boolean => {
    if (props.problems.length === 0) return true;
    props.onReveal();
    return false;
  };
  const run = (work: () => Promise<ValidProfileEntry>): void => {
    setBusy(true);
    setOutcome(undefined);
    work().then(
      (saved) => {
        setBusy(false);
        setOutcome({ kind: 'saved', title: saved.title });
        props.onSaved(saved);
      },
      (error: unknown) => {
        setBusy(false);
        setOutcome(isConflict(error) ? { kind: 'conflict', error } : { kind: 'failed', error });
      },
    );
  };
  // A profile never saved has no id yet: its first save makes one from the title.
  const save = (): void => {
    if (!readyToSave()) return;
    run(() => (entry ? profiles.save(props.input, { etag: entry.etag }) : profiles.saveAsNew(props.input, props.draft.title.trim())));
  };
  const saveAsNew = (title: string): void => {
    setAsking(undefined);
    run(() => profiles.saveAsNew(props.input, title));
  };
  /**
   * Asks a name only when there is something to ask: the name in the form is taken (the dialog
   * offers the first free one), the name was made for another division, or another profile
   * imports the same list from the same division.
   */
  const startSaveAsNew = (): void => {
    if (!readyToSave()) return;
    const wanted = newTitleFor(props.draft, entry, props.divisions);
    setBusy(true);
    Promise.all([profiles.freeTitle(wanted), props.draft.division === undefined ? [] : profiles.sameListAndDivision({ id: '', targetList: props.draft.targetList, division: props.draft.division })]).then(
      ([free, same]) => {
        setBusy(false);
        // A name made here (for another division) is shown before it is used; the form's own name, if free, is the admin's choice already.
        if (free === wanted && wanted === props.draft.title.trim() && same.length === 0) saveAsNew(free);
        else setAsking({ title: free });
      },
      (error: unknown) => {
        setBusy(false);
        setOutcome({ kind: 'failed', error });
      },
    );
  };
  const reload = (): void => {
    if (!entry) return;
    setBusy(true);
    profiles.get(entry.id).then(
      (fresh) => {
        setBusy(false);
        setOutcome({ kind: 'reloaded' });
        props.onReloaded(fresh);
      },
      (error: unknown) => {
        setBusy(false);
        setOutcome({ kind: 'failed', error });
      },
    );
  };

  const conflictText = (error: ProfileConflictError): string =>
    error.reason === 'changed' ? format(strings.ConflictChanged, entry?.title ?? error.profileId) : error.reason === 'deleted' ? format(strings.ConflictDeleted, entry?.title ?? error.profileId) : strings.ConflictExists;

  const classes = mergeStyleSets({
    sticky: {
      position: 'sticky',
      bottom: 0,
      zIndex: 2,
      padding: '8px 12px',
      background: theme.semanticColors.bodyBackground,
      borderTop: `1px solid ${theme.palette.neutralQuaternaryAlt}`,
      boxShadow: theme.effects.elevation8,
    },
    bar: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' },
    state: { color: theme.semanticColors.bodySubtext },
  });
  const lastSaved = outcome?.kind === 'saved' && !props.dirty;
  return (
    <div className={classes.sticky} data-testid="profile-save-bar">
      <div aria-live="polite">
        {outcome?.kind === 'saved' ? <MessageBar messageBarType={MessageBarType.success}>{format(strings.Saved, outcome.title)}</MessageBar> : null}
        {outcome?.kind === 'reloaded' ? <MessageBar messageBarType={MessageBarType.info}>{strings.Reloaded}</MessageBar> : null}
        {outcome?.kind === 'conflict' ? (
          <MessageBar
            messageBarType={MessageBarType.error}
            isMultiline
            actions={
              outcome.error.reason === 'changed' ? (
                <div>
                  <MessageBarButton onClick={reload}>{strings.ReloadButton}</MessageBarButton>
                </div>
              ) : undefined
            }
          >
            {conflictText(outcome.error)}
          </MessageBar>
        ) : null}
        {outcome?.kind === 'failed' && refusedProblems(outcome.error) ? (
          <MessageBar messageBarType={MessageBarType.error} isMultiline>
            {strings.SaveFailed} {refusedProblems(outcome.error)?.map((p) => format(strings.ProblemAt, pathLabel(p.path, props.draft), checkedProblemText(p))).join('; ')}
          </MessageBar>
        ) : outcome?.kind === 'failed' ? (
          <ProblemMessage error={outcome.error} lead={strings.SaveFailed} />
        ) : null}
      </div>
      <div className={classes.bar}>
        <PrimaryButton text={strings.SaveButton} onClick={save} disabled={busy || blocked !== undefined}
          allowDisabledFocus aria-describedby={blocked ? 'profile-save-blocked' : undefined} />
        <DefaultButton
          text={strings.SaveAsNewButton}
          onClick={startSaveAsNew}
          disabled={busy || blocked !== undefined}
          allowDisabledFocus
          aria-describedby={blocked ? 'profile-save-blocked' : undefined}
        />
        <DefaultButton text={strings.CancelButton} onClick={props.onCancel} disabled={busy} />
        {busy ? <Spinner size={SpinnerSize.small} label={strings.Saving} labelPosition="right" /> : null}
        {blocked ? (
          <Text id="profile-save-blocked" variant="small">
            {blocked}
          </Text>
        ) : lastSaved ? (
          <Text variant="small" className={classes.state} data-testid="profile-saved-state">
            <Icon iconName="CheckMark" /> {strings.SavedShort}
          </Text>
        ) : props.dirty ? (
          <Text variant="small" className={classes.state}>
            {strings.Unsaved}
          </Text>
        ) : null}
      </div>
      {asking ? (
        <SaveAsNewDialog
          profiles={profiles}
          targetList={props.draft.targetList}
          division={props.draft.division}
          divisions={props.divisions}
          title={asking.title}
          onSave={saveAsNew}
          onDismiss={() => setAsking(undefined)}
        />
      ) : null}
    </div>
  );
}
