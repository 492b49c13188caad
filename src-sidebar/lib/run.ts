/**
 * Live run feedback, one design for the sidebar, the job manager, the calendar and the wizard's
 * "Run now and open the tab": while a Run now call is in flight the monitor is polled for that job's
 * progress; the answer becomes one of five outcomes, each with its own look and words:
 * succeeded, partial (some channels failed), failed (a readable sentence, the raw text behind a
 * disclosure), continuing (the run reached the execution's time limit and the next tick carries on)
 * and queued (another job is writing the same tab).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MonitorDto, RunDto } from '../../src-server/app/contract';
import { html } from './html';
import { errorMessage, rpc } from '../rpc';
import { fmtInt } from './format';

export type RunView =
  | { kind: 'running'; processed: number; expected: number | null; phase: string }
  | { kind: 'succeeded' | 'partial' | 'failed' | 'continuing' | 'queued'; run: RunDto | null; sentence: string; detail: string };

/** A run's answer as one of the outcomes above. */
export function classifyRun(run: RunDto): RunView {
  const counts = `${fmtInt(run.videos_added)} added, ${fmtInt(run.videos_updated)} updated`;
  if (run.status === 'succeeded') return { kind: 'succeeded', run, sentence: `Finished: ${counts}.`, detail: '' };
  if (run.status === 'deferred' && run.run_id === '') {
    return {
      kind: 'queued',
      run,
      sentence: 'Waiting: another job is writing the same tab; this run starts as soon as that one ends.',
      detail: run.error ?? '',
    };
  }
  if (run.status === 'deferred' && !run.finished_at && !/quota/i.test(run.error ?? '')) {
    return {
      kind: 'continuing',
      run,
      sentence: `Continuing: ${counts} so far. This execution reached its time limit; the scheduler's next tick (within minutes) carries on where it stopped.`,
      detail: run.error ?? '',
    };
  }
  if (run.status === 'partial')
    return {
      kind: 'partial',
      run,
      sentence: `Finished with problems: ${counts}, but some channels could not be read.`,
      detail: run.error ?? '',
    };
  return { kind: 'failed', run, sentence: readableError(run.error ?? run.status), detail: run.error ?? '' };
}

/** A failure's raw text as a sentence about what happened and what happens next. */
export function readableError(raw: string): string {
  const text = raw || '';
  if (/quota/i.test(text)) return "YouTube's daily quota is used up: YouTube work waits until it resets at midnight Pacific time.";
  if (/is being written by job|queued/i.test(text)) return 'Another job is writing the same tab: this run waits for it.';
  if (/running already|job_running/i.test(text)) return 'This job is running already.';
  if (/no such channel|channelNotFound|channel.*not found/i.test(text))
    return 'A channel of this job does not exist on YouTube any more: check its channels.';
  if (/backend ?error|\b5\d\d\b|unavailable|timed? ?out|internal error|rate ?limit/i.test(text))
    return 'YouTube had a temporary problem: the job tries again automatically.';
  if (/forbidden|permission|access denied|not allowed/i.test(text))
    return 'Access was refused: check that the account running the schedule can edit the spreadsheet and read the channels.';
  if (/header/i.test(text)) return "The tab's header row does not match the job's columns: choose a new tab or fix the header row.";
  return 'The run failed.';
}

/** The states of the runs this surface started, by job id, and a function that starts one. */
export function useRunNow(onMonitor?: (m: MonitorDto) => void): {
  runs: Record<string, RunView>;
  start: (jobId: string) => Promise<RunView>;
  dismiss: (jobId: string) => void;
} {
  const [runs, setRuns] = useState<Record<string, RunView>>({});
  const inFlight = useRef(new Set<string>());
  const monitorCb = useRef(onMonitor);
  monitorCb.current = onMonitor;
  const anyRunning = Object.values(runs).some((r) => r.kind === 'running');
  // While a run is in flight: the monitor every 1.5 s gives its progress (the run call answers at the end).
  useEffect(() => {
    if (!anyRunning) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      timer = setTimeout(() => {
        rpc
          .monitorView()
          .then(
            (m) => {
              if (stopped) return;
              monitorCb.current?.(m);
              setRuns((cur) => {
                const next = { ...cur };
                for (const id of inFlight.current) {
                  const live = m.running.find((r) => r.job_id === id);
                  if (live && next[id]?.kind === 'running')
                    next[id] = { kind: 'running', processed: live.processed, expected: live.expected, phase: live.phase };
                }
                return next;
              });
            },
            () => undefined,
          )
          .finally(() => {
            if (!stopped) poll();
          });
      }, 1500);
    };
    poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [anyRunning]);

  const start = async (jobId: string): Promise<RunView> => {
    inFlight.current.add(jobId);
    setRuns((cur) => ({ ...cur, [jobId]: { kind: 'running', processed: 0, expected: null, phase: 'starting' } }));
    let view: RunView;
    try {
      view = classifyRun(await rpc.runJobNow(jobId));
    } catch (err) {
      const raw = errorMessage(err);
      view = { kind: 'failed', run: null, sentence: readableError(raw), detail: raw };
    }
    inFlight.current.delete(jobId);
    setRuns((cur) => ({ ...cur, [jobId]: view }));
    return view;
  };
  const dismiss = (jobId: string) =>
    setRuns((cur) => {
      const next = { ...cur };
      delete next[jobId];
      return next;
    });
  return { runs, start, dismiss };
}

/** A progress bar: determinate when the expected count is known. */
export function Progress({ value, max, label, warn }: { value: number; max: number | null; label: string; warn?: boolean }) {
  const pct = max && max > 0 ? Math.min(100, Math.round((value / max) * 100)) : null;
  return html`<div class=${`progress${warn ? ' warn' : ''}${pct == null ? ' indeterminate' : ''}`} role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax=${max ?? undefined} aria-valuenow=${pct == null ? undefined : value}>
    <span style=${{ width: `${pct ?? 100}%` }}></span>
  </div>`;
}

/** Opens the job's tab (this spreadsheet: made the active sheet; another one: a new browser tab). */
export async function openJobTab(jobId: string): Promise<string> {
  const shown = await rpc.openJobTab(jobId);
  if (shown.opened) return `“${shown.tab}” is open in the spreadsheet.`;
  if (shown.url) {
    window.open(shown.url, '_blank', 'noopener');
    return `“${shown.tab}” opens in a new browser tab.`;
  }
  return `The tab “${shown.tab}” does not exist yet: the job creates it on its first successful run.`;
}

/**
 * A run's state as shown to people. `name`: the job; `tab`: its tab (the link opens it); `onDismiss`
 * removes a finished outcome.
 */
export function RunFeedback({
  view,
  name,
  jobId,
  tab,
  onDismiss,
  compact = false,
}: {
  view: RunView;
  name: string;
  jobId: string;
  tab: string;
  onDismiss?: () => void;
  compact?: boolean;
}) {
  const [opened, setOpened] = useState('');
  if (view.kind === 'running') {
    return html`<div class="run-live" role="status" data-testid="run-live">
      <div class="small"><strong>Running</strong>${compact ? '' : ` “${name}”`}… ${view.expected != null ? `${fmtInt(view.processed)} of ${fmtInt(view.expected)} videos` : view.processed ? `${fmtInt(view.processed)} videos` : ''}${view.phase && view.phase !== 'starting' ? ` · ${view.phase}` : ''}</div>
      <${Progress} value=${view.processed} max=${view.expected} label=${`Progress of ${name}`} />
    </div>`;
  }
  const style = { succeeded: 'ok', partial: 'warn', failed: 'error', continuing: 'continuing', queued: 'info' }[view.kind];
  const open = () => {
    openJobTab(jobId).then(setOpened, (err: unknown) => setOpened(errorMessage(err)));
  };
  return html`<div class=${`banner ${style} run-result`} role=${view.kind === 'failed' ? 'alert' : 'status'} data-testid="run-result" data-kind=${view.kind}>
    <div>${compact ? null : html`<strong>${name}</strong>: `}${view.sentence}</div>
    ${view.detail ? html`<details class="small"><summary>Details</summary><div class="mono raw">${view.detail}</div></details>` : null}
    <div class="row small run-actions">
      ${view.kind !== 'failed' && view.kind !== 'queued' ? html`<button type="button" class="link small" onClick=${open}>Open the tab “${tab}”</button>` : null}
      ${onDismiss ? html`<button type="button" class="link small" onClick=${onDismiss} aria-label=${`Dismiss the run result of ${name}`}>Dismiss</button>` : null}
    </div>
    ${opened ? html`<div class="small">${opened}</div>` : null}
  </div>`;
}
