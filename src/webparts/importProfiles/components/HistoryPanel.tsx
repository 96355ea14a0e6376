import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import * as common from 'CommonStrings';
import type { RunEntry, RunRecord } from '../../../sync/journal/records';
import { undoPlanCounts } from '../../../sync/journal/undoPlan';
import { renderReason } from '../../../sync/journal/reasons';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { downloadText } from '../../../ui/download';
import { format, formatDate } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { EntryList } from './EntryList';
import type { PageData } from './pageData';
import { historyCountsText, undoDoneText, undoPlanLines, type UndoKinds } from './countsText';
import { runDivision } from './divisions';
import { modeLabel, statusLabel } from './labels';
import { useNarrow } from './useNarrow';
import { format as formatFileTime } from 'date-fns/format';
import { startedByText } from './runTrigger';

const seconds = (ms: number | undefined): string => (ms === undefined ? '' : format(strings.Seconds, Math.max(1, Math.round(ms / 1000))));

export function HistoryPanel(props: { data: PageData; profileId: string; division?: number; version: number; onUndone: () => void }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const { importProfiles } = props.data;
  const runs = useAsync(async () => (await importProfiles.runs.listRuns(props.profileId)).sort((a, b) => b.startedAt.localeCompare(a.startedAt)), [importProfiles, props.profileId, props.version]);
  const [open, setOpen] = React.useState<string | undefined>();
  const [container, narrow] = useNarrow<HTMLDivElement>(640);
  const classes = mergeStyleSets({
    cards: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 },
    card: { border: `1px solid ${theme.palette.neutralLight}`, borderRadius: 4, padding: '8px 12px' },
    dl: { margin: 0, display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: '2px 12px' },
    dt: { color: theme.palette.neutralSecondary },
    dd: { margin: 0, overflowWrap: 'anywhere' },
    table: { width: '100%', borderCollapse: 'collapse' },
    cell: { textAlign: 'left', padding: '6px 8px 6px 0', borderBottom: `1px solid ${theme.palette.neutralLight}`, verticalAlign: 'top', overflowWrap: 'anywhere' },
    scroll: { overflowX: 'auto' },
  });
  if (runs.state.status === 'loading') return <Spinner label={common.Loading} />;
  if (runs.state.status === 'failed') return <ProblemMessage error={runs.state.error} onRetry={runs.reload} />;
  const list = runs.state.value;
  if (list.length === 0) return <Text block>{strings.HistoryEmpty}</Text>;
  const selected = list.find((r) => r.id === open);
  const logButton = (run: RunRecord): React.ReactElement => (
    <DefaultButton
      text={strings.ShowLog}
      iconProps={{ iconName: 'TextDocument' }}
      ariaLabel={`${strings.ShowLog} ${formatDate(run.startedAt, locale, true)}`}
      aria-pressed={open === run.id}
      checked={open === run.id}
      onClick={() => setOpen(run.id)}
    />
  );
  // Seven columns do not fit a narrow part: each run is then a card of its own, label beside value.
  const cards = (
    <ul className={classes.cards} data-testid="run-history" aria-label={strings.TabHistory}>
      {list.map((run) => (
        <li key={run.id} className={classes.card} data-run={run.id}>
          <dl className={classes.dl}>
            {[
              [strings.ColumnWhen, formatDate(run.startedAt, locale, true)],
              [strings.ColumnWho, startedByText(run)],
              [strings.ColumnMode, modeLabel(run.mode)],
              [strings.ColumnCounts, historyCountsText(run, locale)],
              [strings.ColumnDuration, seconds(run.durationMs)],
              [strings.ColumnStatus, statusLabel(run.status)],
            ].map(([label, value]) => (
              <React.Fragment key={label}>
                <dt className={classes.dt}>{label}</dt>
                <dd className={classes.dd}>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
          {logButton(run)}
        </li>
      ))}
    </ul>
  );
  return (
    <div ref={container} style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      {narrow ? (
        cards
      ) : (
        <div className={classes.scroll}>
          <table className={classes.table} data-testid="run-history">
            <thead>
              <tr>
                <th className={classes.cell} scope="col">{strings.ColumnWhen}</th>
                <th className={classes.cell} scope="col">{strings.ColumnWho}</th>
                <th className={classes.cell} scope="col">{strings.ColumnMode}</th>
                <th className={classes.cell} scope="col">{strings.ColumnCounts}</th>
                <th className={classes.cell} scope="col">{strings.ColumnDuration}</th>
                <th className={classes.cell} scope="col">{strings.ColumnStatus}</th>
                <th className={classes.cell} scope="col">{strings.ColumnActions}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => (
                <tr key={run.id} data-run={run.id}>
                  <td className={classes.cell}>{formatDate(run.startedAt, locale, true)}</td>
                  <td className={classes.cell}>{startedByText(run)}</td>
                  <td className={classes.cell}>{modeLabel(run.mode)}</td>
                  <td className={classes.cell}>{historyCountsText(run, locale)}</td>
                  <td className={classes.cell}>{seconds(run.durationMs)}</td>
                  <td className={classes.cell}>{statusLabel(run.status)}</td>
                  <td className={classes.cell}>{logButton(run)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected ? <RunLog key={selected.id} data={props.data} run={selected} division={runDivision(selected, props.division)} onUndone={() => { runs.reload(); props.onUndone(); }} /> : null}
    </div>
  );
}

interface UndoOutcome {
  done: UndoKinds & { refused: number; skipped: number; failed: number };
  /** What the dialog said it would do, so the report names the same kinds. */
  plan: UndoKinds;
  refused: RunEntry[];
}

/** What an undo run did, from its log, per kind as the dialog named them. */
function undoOutcome(undoLog: RunEntry[], plan: UndoKinds): UndoOutcome {
  const written = (action: RunEntry['action']): number => undoLog.filter((e) => e.action === action && e.outcome === 'written').length;
  const refused = undoLog.filter((e) => e.action === 'refused');
  return {
    done: { remove: written('remove'), restore: written('restore'), unflag: written('unflag'), refused: refused.length, skipped: undoLog.filter((e) => e.action === 'skip').length, failed: undoLog.filter((e) => e.outcome === 'failed').length },
    plan,
    refused,
  };
}

function RunLog(props: { data: PageData; run: RunRecord; division?: number; onUndone: () => void }): React.ReactElement {
  const { locale } = useConnector();
  const { importProfiles, user } = props.data;
  const { run } = props;
  const log = useAsync(() => importProfiles.runs.readLog(run.id), [importProfiles, run.id]);
  const [confirm, setConfirm] = React.useState(false);
  const [undo, setUndo] = React.useState<{ busy: boolean; result?: UndoOutcome; error?: unknown }>({ busy: false });
  const download = (separator: ';' | ','): void => {
    importProfiles.runs.exportCsv(run.id, { separator, bom: true, reasonWords: strings }).then(
      // Named by the local time the screen shows (not the stored UTC one) and the run's outcome,
      // so a Stopped or Abandoned run's file says so beside its rows.
      (csv) => downloadText(`${run.profileTitle} ${formatFileTime(new Date(run.startedAt), 'yyyy-MM-dd HH-mm')} ${statusLabel(run.status)}.csv`, csv),
      (error: unknown) => setUndo((u) => ({ ...u, error })),
    );
  };
  const entries = log.state.status === 'ready' ? log.state.value : [];
  const plan = undoPlanCounts(entries);
  const canUndo = run.mode !== 'Undo' && run.status !== 'Undone' && run.status !== 'Running' && plan.remove + plan.restore + plan.unflag > 0;
  const startUndo = (): void => {
    setConfirm(false);
    setUndo({ busy: true });
    importProfiles.runs
      .undo(run.id, { user })
      .then(async (result) => {
        setUndo({ busy: false, result: undoOutcome(await importProfiles.runs.readLog(result.id), plan) });
        props.onUndone();
      })
      .catch((error: unknown) => setUndo({ busy: false, error }));
  };
  return (
    <section aria-labelledby="run-log-title">
      <Text as="h3" id="run-log-title" variant="mediumPlus" block styles={{ root: { fontWeight: 600, margin: '0 0 8px' } }}>
        {format(strings.LogTitle, formatDate(run.startedAt, locale, true))}
      </Text>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <DefaultButton text={strings.DownloadCsvSemicolon} iconProps={{ iconName: 'Download' }} onClick={() => download(';')} />
        <DefaultButton text={strings.DownloadCsvComma} iconProps={{ iconName: 'Download' }} onClick={() => download(',')} />
        {canUndo ? <DefaultButton text={strings.Undo} iconProps={{ iconName: 'Undo' }} onClick={() => setConfirm(true)} disabled={undo.busy} /> : null}
      </div>
      {undo.busy ? <Spinner label={strings.UndoRunning} labelPosition="right" /> : null}
      {undo.error ? <ProblemMessage error={undo.error} /> : null}
      {undo.result ? (
        <MessageBar messageBarType={undo.result.refused.length > 0 ? MessageBarType.warning : MessageBarType.success} isMultiline>
          <span data-testid="undo-finished">{undoDoneText(undo.result.done, undo.result.plan, locale)}</span>
          {undo.result.refused.length > 0 ? (
            <>
              <div style={{ fontWeight: 600, marginTop: 4 }}>{strings.UndoRefusedTitle}</div>
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                {undo.result.refused.map((e) => (
                  <li key={e.exactKey}>
                    {e.label}: {renderReason(e.reason, strings)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </MessageBar>
      ) : null}
      {log.state.status === 'loading' ? <Spinner label={common.Loading} /> : null}
      {log.state.status === 'failed' ? <ProblemMessage error={log.state.error} onRetry={log.reload} /> : null}
      {log.state.status === 'ready' ? <EntryList id="run-log" entries={entries} division={props.division} divisions={props.data.divisions} targetList={run.targetList} /> : null}
      <Dialog
        hidden={!confirm}
        onDismiss={() => setConfirm(false)}
        dialogContentProps={{ type: DialogType.normal, title: strings.UndoConfirmTitle, subText: strings.UndoConfirmText }}
        minWidth={0}
        maxWidth={560}
      >
        <ul style={{ margin: '0 0 12px', paddingLeft: 20 }} data-testid="undo-plan">
          {undoPlanLines(plan, locale).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <Text block>{strings.UndoConfirmChangedSince}</Text>
        <DialogFooter>
          <PrimaryButton text={strings.Undo} onClick={startUndo} />
          <DefaultButton text={common.Cancel} onClick={() => setConfirm(false)} />
        </DialogFooter>
      </Dialog>
    </section>
  );
}
