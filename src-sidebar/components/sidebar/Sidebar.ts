/** The 300 px sidebar: status summary, compact job list with main actions, links to the dialogs, monitor tab. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { JobDto, MonitorDto, SchedulerOwnerDto, SidebarViewDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc, errorMessage } from '../../rpc';
import { fmtInt, fmtPercent, fmtRelative, fmtZonedDateTime, viewerZone } from '../../lib/format';
import { Badge, Empty, ErrorBanner, Loading, ZonedTime } from '../../lib/components';
import { MONITOR_POLL, nextMonitorDelay } from '../../lib/backoff';
import { bootData, useAdaptivePolling, usePageVisible, usePolling } from '../../lib/host';
import { Monitor, quotaExplained } from './Monitor';
import { useMoreJobs } from './MoreJobs';
import type { SidebarBoot } from '../../../src-server/boot';
import { RunFeedback, useRunNow, type RunView } from '../../lib/run';
import { displayZone, useZoneMode, ZoneSwitch } from '../../lib/zone-mode';

type Tab = 'overview' | 'monitor';

type JobAction = 'run' | 'pause' | 'resume' | 'enable' | 'edit';

function JobItem({
  job,
  run,
  now,
  onAction,
  onDismiss,
}: {
  job: JobDto;
  run: RunView | undefined;
  now: number;
  onAction: (a: JobAction, job: JobDto) => void;
  onDismiss: () => void;
}) {
  const name = job.config.name;
  const running = run?.kind === 'running';
  const disabled = job.status === 'disabled';
  const zone = displayZone(useZoneMode(), job.config.timezone);
  return html`<li>
    <div class="spread"><strong class="ellipsis" title=${name}>${name}</strong><${Badge} kind=${running ? 'running' : job.status} /></div>
    <div class="small muted ellipsis">${job.config.target_tab_name} · next ${
      job.next_run_at
        ? html`<time datetime=${job.next_run_at} title=${fmtZonedDateTime(job.next_run_at, zone)}>${fmtRelative(job.next_run_at, now)}</time>`
        : '—'
    }</div>
    ${run ? html`<${RunFeedback} view=${run} name=${name} jobId=${job.id} tab=${job.config.target_tab_name} compact=${true} onDismiss=${running ? undefined : onDismiss} />` : null}
    <div class="row" style="margin-top:6px">
      ${
        disabled
          ? html`<button class="small action" onClick=${() => onAction('enable', job)} aria-label=${`Enable ${name}`}>Enable</button>`
          : null
      }
      <button class="small" disabled=${running} onClick=${() => onAction('run', job)} aria-label=${running ? `Running: ${name}` : `Run now: ${name}`}>${running ? 'Running…' : 'Run now'}</button>
      ${
        disabled
          ? null
          : job.paused
            ? html`<button class="small" disabled=${running} onClick=${() => onAction('resume', job)} aria-label=${`Resume ${name}`}>Resume</button>`
            : html`<button class="small" disabled=${running} onClick=${() => onAction('pause', job)} aria-label=${`Pause ${name}`}>Pause</button>`
      }
      <button class="small" onClick=${() => onAction('edit', job)} aria-label=${`Edit ${name}`}>Edit</button>
    </div>
  </li>`;
}

/**
 * Who runs the schedule. The triggers belong to one user (a trigger runs as its creator); another
 * editor can take over — offered prominently when the owner's heartbeat is dead, otherwise behind a
 * confirmation, since scheduled runs then use the new owner's quotas and authorization.
 */
function SchedulerOwner({ owner, now, onTakenOver }: { owner: SchedulerOwnerDto; now: number; onTakenOver: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState('');
  const takeOver = async () => {
    setWorking(true);
    setFailure('');
    try {
      const done = await rpc.takeOverScheduling();
      setConfirming(false);
      onTakenOver(`Scheduling now runs as ${done.owner}.`);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setWorking(false);
    }
  };
  const who = owner.owner
    ? owner.you_are_owner
      ? html`<strong>you</strong> (${owner.owner})`
      : html`<strong>${owner.owner}</strong>`
    : html`<strong>nobody yet</strong>`;
  const beat = owner.last_heartbeat_at ? html` · heartbeat ${fmtRelative(owner.last_heartbeat_at, now)}` : null;
  return html`<div class="small" data-testid="scheduler-owner">
    <div class="muted">Scheduling runs as ${who}${beat}</div>
    ${
      owner.take_over_suggested
        ? html`<div class="banner warn" role="status">${
            owner.owner
              ? `The schedule of ${owner.owner} has stopped (no heartbeat since ${owner.last_heartbeat_at ?? owner.since ?? 'its install'}).`
              : 'Nobody runs the schedule yet.'
          } Scheduled runs will run as you if you take over.
          <div class="row" style="margin-top:6px"><button class="small action" disabled=${working} onClick=${takeOver}>${working ? 'Taking over…' : 'Take over scheduling'}</button></div></div>`
        : !owner.you_are_owner && owner.owner
          ? confirming
            ? html`<div class="banner info">Scheduled runs will then run as you (${owner.you}): your trigger runtime, mail and YouTube authorization. ${owner.owner}'s triggers remove themselves.
              <div class="row" style="margin-top:6px"><button class="small action" disabled=${working} onClick=${takeOver}>${working ? 'Taking over…' : 'Confirm take-over'}</button>
              <button class="small" disabled=${working} onClick=${() => setConfirming(false)}>Cancel</button></div></div>`
            : html`<button class="link small" onClick=${() => setConfirming(true)}>Take over…</button>`
          : null
    }
    ${failure ? html`<div class="banner error" role="alert">${failure}</div>` : null}
  </div>`;
}

/** A job's zone (its times are shown there); the viewer's when the job is not in the list. */
const zoneOf = (jobs: JobDto[], id: string): string => jobs.find((j) => j.id === id)?.config.timezone ?? viewerZone();

export function Sidebar() {
  // The first view comes with the page (boot JSON); later ones from sidebarView.
  const [view, setView] = useState<SidebarViewDto | null>(() => bootData<SidebarBoot>().sidebar ?? null);
  const [monitor, setMonitor] = useState<MonitorDto | null>(() => view?.monitor ?? null);
  const more = useMoreJobs(view);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string>('');
  const [tab, setTab] = useState<Tab>('overview');
  const visible = usePageVisible();

  const load = useCallback(async () => {
    try {
      const v = await rpc.sidebarView();
      setView(v);
      setMonitor(v.monitor);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    if (!view) void load();
  }, [load]);
  // The overview refreshes every 30 s while it is shown and the page visible (like the job manager).
  usePolling(load, 30_000, tab === 'overview' && visible);

  // The monitor refreshes while its tab is selected and the page visible: every 2 s while a run is in
  // progress, backing off to 30 s while nothing runs (lib/backoff.ts). A Run now starts over at 2 s.
  const [pollRestart, setPollRestart] = useState(0);
  useAdaptivePolling(
    async (previousMs) => {
      const next = await rpc.monitorView();
      setMonitor(next);
      return nextMonitorDelay(previousMs, next.running.length);
    },
    MONITOR_POLL.activeMs,
    tab === 'monitor' && visible,
    pollRestart,
  );

  const { runs, start, dismiss } = useRunNow(setMonitor);
  async function onAction(action: JobAction, job: JobDto) {
    if (action === 'edit') {
      void rpc.openWizard(job.id);
      return;
    }
    setNotice('');
    setError(null);
    try {
      if (action === 'run') {
        setPollRestart((n) => n + 1);
        await start(job.id);
      } else if (action === 'pause') await rpc.pauseJob(job.id);
      else if (action === 'enable') {
        await rpc.bulkJobs('enable', [job.id]);
        setNotice(`${job.config.name} is enabled again.`);
      } else await rpc.resumeJob(job.id);
      await load();
    } catch (err) {
      setError(err);
    }
  }

  const m = monitor ?? view?.monitor;
  // The server's clock (the local runtime's clock is virtual): relative times are measured from it.
  const now = m ? new Date(m.now).getTime() : Date.now();
  const selectTab = (t: Tab) => () => setTab(t);
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next: Tab = tab === 'overview' ? 'monitor' : 'overview';
      setTab(next);
      (document.getElementById(`tab-${next}`) as HTMLElement | null)?.focus();
    }
  };

  // Runs the monitor reports and runs started here that it has not reported yet.
  const runningIds = new Set([
    ...(m?.running ?? []).map((r) => r.job_id),
    ...Object.entries(runs)
      .filter(([, r]) => r.kind === 'running')
      .map(([id]) => id),
  ]);
  // The monitor lists at most 20 runs and counts them all (running_total): the larger figure is shown.
  const runningCount = Math.max(m?.running_total ?? 0, runningIds.size);
  const banner = error ? null : notice;
  return html`<main class="page">
    <h1 class="sr-only">YouTube2Sheets</h1>
    <div class="health">
      ${
        view
          ? html`<${Badge} kind=${view.health.status === 'ok' ? 'active' : view.health.status === 'warning' ? 'missed' : 'failed'}
        label=${view.health.status === 'ok' ? 'Healthy' : view.health.status === 'warning' ? 'Warning' : 'Error'} />`
          : null
      }</div>
    <div class="tabs" role="tablist" aria-label="Sidebar sections" onKeyDown=${onTabKey}>
      <button role="tab" id="tab-overview" aria-controls="panel-overview" aria-selected=${tab === 'overview'} tabIndex=${tab === 'overview' ? 0 : -1} onClick=${selectTab('overview')}>Overview</button>
      <button role="tab" id="tab-monitor" aria-controls="panel-monitor" aria-selected=${tab === 'monitor'} tabIndex=${tab === 'monitor' ? 0 : -1} onClick=${selectTab('monitor')}>Monitor</button>
    </div>
    <${ErrorBanner} error=${error && errorMessage(error)} onRetry=${load} />
    ${banner ? html`<div class="banner info" role="status">${banner}</div>` : null}
    ${!view && !error ? html`<${Loading} />` : null}
    ${
      view && tab === 'overview'
        ? html`<section id="panel-overview" role="tabpanel" aria-labelledby="tab-overview">
      <div class="stats">
        <div class="stat"><div class="value">${view.next_runs[0] ? fmtRelative(view.next_runs[0].at, now) : '—'}</div><div class="label">Next run${view.next_runs[0] ? ` · ${view.next_runs[0].job_name}` : ''}</div></div>
        <div class="stat"><div class="value" data-testid="running-count">${runningCount}</div><div class="label">Running</div></div>
        <div class="stat" title=${quotaExplained(m?.quota.daily_budget ?? 0)}><div class="value">${fmtInt(m?.quota.used_today)}</div><div class="label">YouTube units used of your ${fmtInt(m?.quota.daily_budget)} budget</div></div>
        <div class="stat"><div class="value">${fmtPercent(m?.last_24h.success_rate)}</div><div class="label">Success rate (24 h)</div></div>
      </div>
      ${
        view.scheduler
          ? html`<${SchedulerOwner} owner=${view.scheduler} now=${now} onTakenOver=${(message: string) => {
              setNotice(message);
              void load();
            }} />`
          : null
      }
      ${view.health.warnings.map((w) => html`<div class="banner warn">${w}</div>`)}
      <div class="row">
        <button class="action" onClick=${() => rpc.openWizard()}>New job</button>
        <button onClick=${() => rpc.openJobManager()}>Job manager</button>
      </div>
      <div class="row" style="margin-top:8px">
        <button class="link" onClick=${() => rpc.openCalendar()}>Calendar</button>
        <button class="link" onClick=${() => rpc.openSettings()}>Settings</button>
        <button class="link" onClick=${() => rpc.openApiKeys()}>API keys</button>
        <button class="link" onClick=${() => rpc.openAuditLog()}>Audit log</button>
      </div>
      <h2>Jobs (${more.total})</h2>
      ${
        view.jobs.length === 0
          ? html`<${Empty}>No jobs yet: create one to pull a channel's videos into a tab on a schedule.</${Empty}>`
          : html`<ul class="list" aria-label="Jobs">${more.jobs.map((j) => html`<${JobItem} key=${j.id} job=${j} run=${runs[j.id]} now=${now} onAction=${onAction} onDismiss=${() => dismiss(j.id)} />`)}</ul>`
      }
      ${more.controls}
      ${view.next_runs.length > 0 ? html`<h2>Next runs</h2><${ZoneSwitch} /><ul class="list small" aria-label="Next runs">${view.next_runs.slice(0, 5).map((r) => html`<li key=${r.job_id + r.at}><div class="spread"><span class="ellipsis">${r.job_name}</span><span class="muted nowrap"><${ZonedTime} iso=${r.at} timeZone=${r.timezone ?? zoneOf(view.jobs, r.job_id)} /></span></div></li>`)}</ul>` : null}
    </section>`
        : null
    }
    ${view && tab === 'monitor' && m ? html`<section id="panel-monitor" role="tabpanel" aria-labelledby="tab-monitor"><${Monitor} data=${m} /></section>` : null}
  </main>`;
}
