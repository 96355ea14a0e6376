import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { ProgressIndicator } from '@fluentui/react/lib/ProgressIndicator';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'ImportProfilesWebPartStrings';
import type { ProgressEvent } from '../../../sync/progress';
import type { RunRecord } from '../../../sync/journal/records';
import type { StoppedRun } from '../../../sync/run/engine';
import type { SyncMode } from '../../../sync/profile/profile';
import type { ConnectorServices } from '../../../services/types';
import type { ImportRuns } from '../../../sync/service';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { format, formatDate, formatNumber } from '../../../ui/format';
import { runSummaryText } from './countsText';
import { divisionLabel, type Division } from './divisions';
import { statusLabel } from './labels';
import { backgroundStarter } from './runTrigger';

export interface RunState {
  /** closing: an abandon, which writes nothing more and cannot be stopped. */
  phase: 'read' | 'planned' | 'written' | 'closing';
  read: number;
  written: number;
  failed: number;
  /** Writes planned so far; final once `planned`. */
  total?: number;
  /** The plan is complete (Exact read to the end): `total` is the number of writes in all. */
  planned: boolean;
  startedAt: number;
  writingSince?: number;
  budget?: { remaining: number; division: number };
  stopping: boolean;
  /** A background run of the profile followed from its record, not run here: it cannot be stopped from the page. */
  watching?: RunRecord;
}

export interface Runner {
  active: boolean;
  state?: RunState;
  result?: RunRecord;
  error?: unknown;
  /** `mode`: the one the admin chose for this run (the profile keeps its own). */
  start(profileId: string, user: string, full: boolean, mode?: SyncMode): void;
  resume(runId: string, user: string): void;
  abandon(runId: string, user: string): void;
  /** Follows a background run's record until it ends, instead of starting a second run. */
  watch(run: RunRecord): void;
  stop(): void;
}

/** How often a watched background run's record is read again. */
export const WATCH_POLL_MS = 2000;

/** A watched run's counts as the progress shows them (its record's counts are per finished batch). */
export function watchedState(run: RunRecord, startedAt: number): RunState {
  const c = run.counts;
  return {
    phase: c.created + c.updated + c.flagged + c.failed > 0 ? 'written' : 'read',
    read: c.read,
    written: c.created + c.updated + c.flagged,
    failed: c.failed,
    planned: false,
    startedAt,
    stopping: false,
    watching: run,
  };
}

/** Seconds left at the current write rate; undefined until there is a rate to go by. */
export function secondsLeft(state: RunState, now: number): number | undefined {
  if (!state.planned || state.phase !== 'written' || !state.total || !state.writingSince || state.written + state.failed === 0) return undefined;
  const done = state.written + state.failed;
  const rate = done / Math.max(1, now - state.writingSince);
  return Math.max(0, Math.round((state.total - done) / rate / 1000));
}

/**
 * How far a run is, 0–1, from the same counts the text shows; undefined (a moving bar) while
 * Exact is still being read, since the number of records to come is not known until the end.
 * From then on the bar is the writes done of all planned ones, the "x of y written" of the text.
 */
export function progressShare(state: RunState): number | undefined {
  if (!state.planned) return undefined;
  if (!state.total) return 1;
  return Math.min(1, (state.written + state.failed) / state.total);
}

/**
 * A run, resume or abandon of one profile with its progress: phases and counts from the engine's
 * events, the Exact budget from the gateway every few seconds, and Stop (between two Exact pages
 * or two batches; the run is then closed as Stopped, which keeps what was written and undoable).
 */
export function useRunner(deps: { runs: ImportRuns; services: ConnectorServices; division?: number; onFinished: () => void }): Runner {
  const [state, setState] = React.useState<RunState | undefined>();
  const [result, setResult] = React.useState<RunRecord | undefined>();
  const [error, setError] = React.useState<unknown>();
  const controller = React.useRef<AbortController | undefined>();
  const userRef = React.useRef('');
  const active = state !== undefined;

  React.useEffect(() => {
    if (!active || deps.division === undefined) return undefined;
    const poll = (): void => {
      deps.services.connection.status().then(
        (status) => {
          const budget = status.budget?.find((b) => b.division === deps.division);
          if (budget) setState((s) => (s ? { ...s, budget: { remaining: budget.daily.remaining, division: budget.division } } : s));
        },
        () => undefined,
      );
    };
    poll();
    const timer = setInterval(poll, 5000);
    return () => clearInterval(timer);
  }, [active, deps.division, deps.services]);

  const onProgress = (event: ProgressEvent): void =>
    setState((s) => {
      if (!s) return s;
      // Pages still come in while the first ones are written: the count moves, the phase stays.
      if (event.phase === 'read') return { ...s, phase: s.phase === 'written' ? 'written' : 'read', read: event.count };
      if (event.phase === 'planned') return { ...s, phase: s.phase === 'written' ? 'written' : 'planned', planned: true, total: event.total ?? s.total };
      if (event.phase === 'written') return { ...s, phase: 'written', written: event.count, total: event.total, writingSince: s.writingSince ?? Date.now() };
      return { ...s, failed: event.count, total: event.total };
    });

  const track = (work: (signal: AbortSignal) => Promise<RunRecord>, phase: RunState['phase'] = 'read'): void => {
    const abort = new AbortController();
    controller.current = abort;
    setResult(undefined);
    setError(undefined);
    setState({ phase, read: 0, written: 0, failed: 0, planned: false, startedAt: Date.now(), stopping: false });
    work(abort.signal)
      .catch(async (e: unknown) => {
        // Stopped on request: close the run as Stopped; what it wrote stays logged and undoable.
        // By name, not instanceof: the engine is in its own chunk, loaded on first use.
        const stopped = e as Partial<StoppedRun> & { name?: string };
        if (stopped.name === 'RunStoppedError' && stopped.runId) return deps.runs.stop({ runId: stopped.runId }, { user: userRef.current });
        throw e;
      })
      .then(
        (run) => {
          setState(undefined);
          setResult(run);
          deps.onFinished();
        },
        (e: unknown) => {
          setState(undefined);
          setError(e);
          deps.onFinished();
        },
      );
  };

  const watch = (run: RunRecord): void => {
    const abort = new AbortController();
    controller.current = abort;
    setResult(undefined);
    setError(undefined);
    setState(watchedState(run, Date.now()));
    const poll = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, WATCH_POLL_MS));
        if (abort.signal.aborted) break;
        const now = (await deps.runs.listRuns(run.profileId)).find((r) => r.id === run.id);
        if (abort.signal.aborted) break;
        // Gone from the history (cleaned up) counts as ended: nothing more to follow.
        if (!now || now.status !== 'Running') {
          setState(undefined);
          if (now) setResult(now);
          deps.onFinished();
          return;
        }
        setState((s) => (s ? { ...watchedState(now, s.startedAt), budget: s.budget } : s));
      }
      // Stopped watching: the background run goes on; the page reads its state again.
      setState(undefined);
      deps.onFinished();
    };
    poll().catch((e: unknown) => {
      setState(undefined);
      setError(e);
    });
  };

  return {
    active,
    state,
    result,
    error,
    watch,
    start: (profileId, user, full, mode) => {
      userRef.current = user;
      track((signal) => deps.runs.run(profileId, { user, full, onProgress, signal, mode }));
    },
    resume: (runId, user) => {
      userRef.current = user;
      track((signal) => deps.runs.resume(runId, { onProgress, signal }));
    },
    abandon: (runId, user) => track(() => deps.runs.abandon(runId, { user }), 'closing'),
    stop: () => {
      controller.current?.abort();
      setState((s) => (s ? { ...s, stopping: true } : s));
    },
  };
}

export function RunProgress(props: { runner: Runner; divisions: readonly Division[] }): React.ReactElement | null {
  const { locale } = useConnector();
  const [now, setNow] = React.useState(Date.now());
  const { state, result, error } = props.runner;
  React.useEffect(() => {
    if (!state) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [state]);
  if (error) return <ProblemMessage error={error} />;
  if (result && !state) {
    const good = result.status === 'Completed';
    const closed = result.status === 'Stopped' || result.status === 'Abandoned';
    return (
      <MessageBar messageBarType={good ? MessageBarType.success : closed ? MessageBarType.info : MessageBarType.warning} isMultiline>
        <span data-testid="run-finished" data-status={result.status}>
          {format(result.trigger && result.trigger.kind !== 'person' ? strings.WatchedFinished : strings.RunFinished, statusLabel(result.status))}.{' '}
          {runSummaryText(result.counts, locale)}
          {closed ? `. ${strings.RunClosedUndoable}` : ''}
        </span>
      </MessageBar>
    );
  }
  if (!state) return null;
  if (state.phase === 'closing') {
    return (
      <Section id="run-progress" title={strings.PhaseClosing}>
        <ProgressIndicator label={strings.PhaseClosingHelp} ariaValueText={strings.PhaseClosing} barHeight={4} />
      </Section>
    );
  }
  const phase = state.watching
    ? format(strings.WatchingTitle, formatDate(state.watching.startedAt, locale, true), backgroundStarter(state.watching))
    : state.phase === 'read' ? strings.PhaseRead : state.phase === 'planned' ? strings.PhasePlanned : strings.PhaseWritten;
  const share = progressShare(state);
  const left = secondsLeft(state, now);
  const n = (v: number): string => formatNumber(v, locale);
  const counts = state.planned
    ? format(strings.ProgressCounts, n(state.read), n(state.written), n(state.total ?? 0), n(state.failed))
    : format(strings.ProgressCountsReading, n(state.read), n(state.written), n(state.failed));
  return (
    <Section id="run-progress" title={phase}>
      <ProgressIndicator
        label={<span data-testid="run-progress-counts">{counts}</span>}
        description={left !== undefined && left > 0 ? format(strings.TimeLeft, left > 90 ? format(strings.Minutes, Math.round(left / 60)) : format(strings.Seconds, left)) : undefined}
        percentComplete={share}
        ariaValueText={share === undefined ? `${phase}: ${counts}` : `${Math.round(share * 100)}% · ${counts}`}
        progressHidden={false}
        barHeight={4}
      />
      {state.budget ? (
        <Text block variant="small" styles={{ root: { marginTop: 8 } }}>
          {format(strings.BudgetLeft, formatNumber(state.budget.remaining, locale), divisionLabel(state.budget.division, props.divisions))}
        </Text>
      ) : null}
      <div style={{ marginTop: 12 }}>
        {state.watching ? (
          <DefaultButton text={strings.StopWatching} onClick={props.runner.stop} />
        ) : (
          <DefaultButton text={state.stopping ? strings.Stopping : strings.Cancel} onClick={props.runner.stop} disabled={state.stopping} />
        )}
      </div>
    </Section>
  );
}
