import * as React from 'react';
import { ActionButton, DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Checkbox } from '@fluentui/react/lib/Checkbox';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Pivot, PivotItem } from '@fluentui/react/lib/Pivot';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ImportProfilesWebPartStrings';
import * as common from 'CommonStrings';
import type { Preview } from '../../../sync/run/engine';
import type { ProfileEntry } from '../../../sync/ports';
import type { RunRecord } from '../../../sync/journal/records';
import { useConnector } from '../../../ui/ConnectorContext';
import { format, formatDate } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { HistoryPanel } from './HistoryPanel';
import type { PageData } from './pageData';
import { divisionLabel } from './divisions';
import { issuesText } from './editor/problemText';
import { modeLabel } from './labels';
import { PreviewPanel, PreviewProblem } from './PreviewPanel';
import { ReviewPanel } from './ReviewPanel';
import { RunDialog } from './RunDialog';
import { RunProgress, useRunner } from './RunProgress';
import { isBackgroundRun } from './runTrigger';
import { profileSourceLabel } from './sourceNames';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 16, minWidth: 0 },
  header: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' },
});

export interface ProfileDetailProps {
  data: PageData;
  entry: ProfileEntry;
  startRun: boolean;
  onBack: () => void;
  onEdit: () => void;
  onChanged: () => void;
}

export function ProfileDetail(props: ProfileDetailProps): React.ReactElement {
  const { services, locale } = useConnector();
  const { importProfiles, user } = props.data;
  const { entry } = props;
  const profile = entry.valid ? entry.profile : undefined;
  const [tab, setTab] = React.useState('preview');
  const [full, setFull] = React.useState(false);
  const [confirmRun, setConfirmRun] = React.useState(props.startRun);
  const [confirmAbandon, setConfirmAbandon] = React.useState<string | undefined>();
  const [preview, setPreview] = React.useState<{ busy: boolean; result?: Preview; error?: unknown; read: number }>({ busy: false, read: 0 });
  const [historyVersion, setHistoryVersion] = React.useState(0);
  const unfinished = useAsync(() => importProfiles.runs.unfinishedRuns(entry.id), [importProfiles, entry.id, historyVersion]);
  const pendingReview = useAsync(() => importProfiles.review.list(entry.id, 'pending'), [importProfiles, entry.id, historyVersion]);
  const runner = useRunner({
    runs: importProfiles.runs,
    services,
    division: profile?.division,
    onFinished: () => {
      setHistoryVersion((v) => v + 1);
      props.onChanged();
    },
  });

  const runPreview = (): void => {
    if (!profile) return;
    setPreview({ busy: true, read: 0 });
    setTab('preview');
    importProfiles.runs
      .preview(profile, { full, onProgress: (e) => e.phase === 'read' && setPreview((p) => ({ ...p, read: e.count })) })
      .then(
        (result) => setPreview({ busy: false, result, read: result.entries.length }),
        (error: unknown) => setPreview({ busy: false, error, read: 0 }),
      );
  };
  // While the list of unfinished runs reloads after a run, the old answer must not offer Resume
  // for the run that just finished.
  const unfinishedKnown = unfinished.state.status === 'ready' && !unfinished.reloading;
  const first: RunRecord | undefined = unfinishedKnown && !runner.active && unfinished.state.status === 'ready' ? unfinished.state.value[0] : undefined;
  // A schedule's or an Exact change's run is the gateway's, going on in the background: Run
  // offers to watch it, not to resume or abandon it under the gateway's feet.
  const going = first && isBackgroundRun(first) ? first : undefined;
  const interrupted = going ? undefined : first;
  const canRun = !!profile && !runner.active && unfinishedKnown && !interrupted;

  return (
    <div className={classes.stack}>
      <div className={classes.header}>
        <div>
          <ActionButton iconProps={{ iconName: 'Back' }} text={strings.BackToList} onClick={props.onBack} disabled={runner.active} />
          <Text as="h2" variant="large" block styles={{ root: { margin: '4px 0', fontWeight: 600 } }}>
            {entry.title}
          </Text>
          {profile ? (
            <>
              <Text block>
                {profileSourceLabel(profile.source.entity, profile.source.filter)} → {profile.targetList} · {modeLabel(profile.mode)}
              </Text>
              <Text block data-testid="profile-division">
                {format(strings.DivisionGroup, divisionLabel(profile.division, props.data.divisions))}
              </Text>
            </>
          ) : null}
        </div>
        <div className={classes.actions}>
          <DefaultButton text={strings.Edit} iconProps={{ iconName: 'Edit' }} onClick={props.onEdit} disabled={runner.active} />
          <DefaultButton text={strings.Preview} iconProps={{ iconName: 'Preview' }} onClick={runPreview} disabled={!profile || preview.busy || runner.active} />
          <PrimaryButton text={strings.Run} iconProps={{ iconName: 'Play' }} onClick={() => setConfirmRun(true)} disabled={!canRun} />
          <Checkbox label={strings.FullReread} checked={full} onChange={(_, v) => setFull(!!v)} disabled={runner.active} />
        </div>
      </div>
      {!profile && !entry.valid ? (
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {format(strings.InvalidProfile, issuesText(entry.issues))} {strings.InvalidProfileFix}
        </MessageBar>
      ) : null}
      {interrupted ? (
        <MessageBar
          messageBarType={MessageBarType.warning}
          isMultiline
          actions={
            <div className={classes.actions}>
              <PrimaryButton text={strings.Resume} onClick={() => runner.resume(interrupted.id, user)} />
              <DefaultButton text={strings.Abandon} onClick={() => setConfirmAbandon(interrupted.id)} />
            </div>
          }
        >
          <strong>{strings.InterruptedTitle}. </strong>
          {format(strings.InterruptedText, formatDate(interrupted.startedAt, locale, true), interrupted.startedBy, interrupted.checkpoint.batchesCompleted)}
        </MessageBar>
      ) : null}
      <RunProgress runner={runner} divisions={props.data.divisions} />
      <Pivot overflowBehavior="menu" overflowAriaLabel={strings.MoreTabs} selectedKey={tab} onLinkClick={(item) => item?.props.itemKey && setTab(item.props.itemKey)} aria-label={entry.title}>
        <PivotItem headerText={strings.TabPreview} itemKey="preview">
          <div style={{ paddingTop: 12 }}>
            {preview.error ? <PreviewProblem error={preview.error} onRetry={runPreview} /> : null}
            <PreviewPanel busy={preview.busy} read={preview.read} result={preview.result} divisions={props.data.divisions} />
          </div>
        </PivotItem>
        <PivotItem headerText={strings.TabHistory} itemKey="history">
          <div style={{ paddingTop: 12 }}>
            <HistoryPanel data={props.data} profileId={entry.id} division={profile?.division} version={historyVersion + (runner.active ? 0 : 1)} onUndone={() => setHistoryVersion((v) => v + 1)} />
          </div>
        </PivotItem>
        {profile ? (
          <PivotItem headerText={format(strings.TabReview, pendingReview.state.status === 'ready' ? pendingReview.state.value.length : '…')} itemKey="review">
            <div style={{ paddingTop: 12 }}>
              <ReviewPanel data={props.data} profile={profile} version={historyVersion} onDecided={pendingReview.reload} />
            </div>
          </PivotItem>
        ) : null}
      </Pivot>
      <Dialog
        hidden={confirmAbandon === undefined}
        onDismiss={() => setConfirmAbandon(undefined)}
        dialogContentProps={{ type: DialogType.normal, title: strings.AbandonConfirmTitle, subText: strings.AbandonConfirmText }}
      >
        <DialogFooter>
          <PrimaryButton
            text={strings.Abandon}
            onClick={() => {
              if (confirmAbandon) runner.abandon(confirmAbandon, user);
              setConfirmAbandon(undefined);
            }}
          />
          <DefaultButton text={common.Cancel} onClick={() => setConfirmAbandon(undefined)} />
        </DialogFooter>
      </Dialog>
      {profile && confirmRun && canRun ? (
        <RunDialog
          profile={profile}
          runs={importProfiles.runs}
          full={full}
          going={going}
          onWatch={(run) => {
            setConfirmRun(false);
            setTab('history');
            runner.watch(run);
          }}
          onDismiss={() => setConfirmRun(false)}
          onShowPreview={(result) => {
            setConfirmRun(false);
            setTab('preview');
            setPreview({ busy: false, result, read: result.entries.length });
          }}
          onStart={(mode) => {
            setConfirmRun(false);
            setTab('history');
            runner.start(profile.id, user, full, mode);
            setHistoryVersion((v) => v + 1);
          }}
        />
      ) : null}
    </div>
  );
}
