import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { ChoiceGroup, type IChoiceGroupOption } from '@fluentui/react/lib/ChoiceGroup';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import * as common from 'CommonStrings';
import type { RunAction, RunRecord } from '../../../sync/journal/records';
import type { Profile, SyncMode } from '../../../sync/profile/profile';
import type { Preview } from '../../../sync/run/engine';
import type { ImportRuns } from '../../../sync/service';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format, formatDate, formatNumber } from '../../../ui/format';
import { modeHelp, modeLabel, outcomeLabel } from './labels';
import { backgroundStarter } from './runTrigger';

const MODES: readonly SyncMode[] = ['Import', 'ImportAndUpdate', 'Update'];
const OUTCOMES: readonly RunAction[] = ['create', 'update', 'skip', 'conflict', 'error'];
/** The mode help is worded to follow "Mode X:" elsewhere; on a line of its own it starts a sentence. */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export interface RunDialogProps {
  profile: Profile;
  runs: Pick<ImportRuns, 'preview'>;
  full: boolean;
  onStart: (mode: SyncMode) => void;
  /** Shows a preview's rows in the page's Preview tab. */
  onShowPreview: (preview: Preview) => void;
  onDismiss: () => void;
  /** A background run of this profile that is going: the dialog offers to watch it instead of a second run. */
  going?: RunRecord;
  onWatch?: (run: RunRecord) => void;
}

type Previewed = { status: 'loading'; read: number } | { status: 'ready'; preview: Preview } | { status: 'failed'; error: unknown };

/**
 * Run with a mode chosen for this run: the three modes with what each does, the profile's own
 * preselected, and what the chosen one would do (a preview, which writes nothing) before Start.
 * Each mode's preview is read once per opening.
 */
export function RunDialog(props: RunDialogProps): React.ReactElement {
  return props.going ? <WatchDialog {...props} going={props.going} /> : <ChooseAndStart {...props} />;
}

/** A background run is going: say so and offer to watch it; a second run would only wait for its lease. */
function WatchDialog(props: RunDialogProps & { going: RunRecord }): React.ReactElement {
  const { locale } = useConnector();
  const { going } = props;
  return (
    <Dialog
      hidden={false}
      onDismiss={props.onDismiss}
      dialogContentProps={{ type: DialogType.normal, title: format(strings.RunConfirmTitle, props.profile.title) }}
      modalProps={{ isBlocking: false }}
      minWidth={0}
      maxWidth={600}
    >
      <MessageBar messageBarType={MessageBarType.info} isMultiline>
        <span data-testid="background-run-going">
          <strong>{strings.BackgroundRunGoingTitle}. </strong>
          {format(strings.BackgroundRunGoing, formatDate(going.startedAt, locale, true), backgroundStarter(going))}
        </span>
      </MessageBar>
      <DialogFooter>
        <PrimaryButton text={strings.WatchRun} onClick={() => props.onWatch?.(going)} />
        <DefaultButton text={common.Cancel} onClick={props.onDismiss} />
      </DialogFooter>
    </Dialog>
  );
}

function ChooseAndStart(props: RunDialogProps): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const { profile, runs, full } = props;
  const [mode, setMode] = React.useState<SyncMode>(profile.mode);
  const [previews, setPreviews] = React.useState<Partial<Record<SyncMode, Previewed>>>({});
  const current = previews[mode];
  // Start may be chosen before a preview is back: its answer then has nowhere to go.
  const open = React.useRef(true);
  React.useEffect(
    () => () => {
      open.current = false;
    },
    [],
  );

  React.useEffect(() => {
    if (previews[mode]) return;
    const put = (value: Previewed): void => {
      if (open.current) setPreviews((p) => ({ ...p, [mode]: value }));
    };
    put({ status: 'loading', read: 0 });
    runs.preview(profile, { full, mode, onProgress: (e) => e.phase === 'read' && put({ status: 'loading', read: e.count }) }).then(
      (preview) => put({ status: 'ready', preview }),
      (error: unknown) => put({ status: 'failed', error }),
    );
  }, [mode, previews, runs, profile, full]);

  const classes = mergeStyleSets({
    help: { paddingLeft: 26, fontSize: 12, color: theme.semanticColors.bodySubtext },
    counts: { display: 'flex', flexWrap: 'wrap', gap: '4px 16px', margin: '8px 0 0', padding: 0, listStyle: 'none' },
    number: { fontWeight: 600 },
    preview: { marginTop: 16, minHeight: 64 },
  });
  const options: IChoiceGroupOption[] = MODES.map((m) => ({
    key: m,
    text: m === profile.mode ? format(strings.RunModeProfiles, modeLabel(m)) : modeLabel(m),
    onRenderField: (option, render) => (
      <div>
        {render ? render(option) : null}
        <div className={classes.help}>{sentence(modeHelp(m))}</div>
      </div>
    ),
  }));
  const counts = (preview: Preview): Map<RunAction, number> => {
    const byAction = new Map<RunAction, number>();
    for (const entry of preview.entries) byAction.set(entry.action, (byAction.get(entry.action) ?? 0) + 1);
    return byAction;
  };

  return (
    <Dialog
      hidden={false}
      onDismiss={props.onDismiss}
      dialogContentProps={{ type: DialogType.normal, title: format(strings.RunConfirmTitle, profile.title) }}
      modalProps={{ isBlocking: false }}
      minWidth={0}
      maxWidth={600}
    >
      <ChoiceGroup label={strings.RunModeLabel} options={options} selectedKey={mode} onChange={(_, o) => o && setMode(o.key as SyncMode)} />
      <section className={classes.preview} aria-live="polite" aria-labelledby="run-preview-title" data-testid="run-preview">
        <Text as="h2" id="run-preview-title" variant="mediumPlus" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
          {format(strings.RunPreviewTitle, modeLabel(mode))}
        </Text>
        {!current || current.status === 'loading' ? (
          <Spinner size={SpinnerSize.small} labelPosition="right" label={`${strings.PreviewRunning} ${formatNumber(current?.status === 'loading' ? current.read : 0, locale)}`} styles={{ root: { justifyContent: 'flex-start', marginTop: 8 } }} />
        ) : current.status === 'failed' ? (
          <ProblemMessage error={current.error} onRetry={() => setPreviews((p) => ({ ...p, [mode]: undefined }))} />
        ) : (
          <>
            <ul className={classes.counts} aria-label={strings.ColumnOutcome}>
              {OUTCOMES.map((action) => (
                <li key={action} data-outcome={action}>
                  <span className={classes.number}>{formatNumber(counts(current.preview).get(action) ?? 0, locale)}</span> {outcomeLabel(action)}
                </li>
              ))}
            </ul>
            <DefaultButton
              text={strings.RunPreviewDetails}
              styles={{ root: { marginTop: 8 } }}
              onClick={() => props.onShowPreview(current.preview)}
            />
          </>
        )}
      </section>
      <DialogFooter>
        <PrimaryButton text={format(strings.RunStartMode, modeLabel(mode))} onClick={() => props.onStart(mode)} />
        <DefaultButton text={common.Cancel} onClick={props.onDismiss} />
      </DialogFooter>
    </Dialog>
  );
}
