/**
 * Monitor tab: running jobs with progress, quota vs budget, success rate, recent failures.
 * The success rate and the failure list cover the same window (the last 24 h) and count runs as the
 * server's stats do: a partial run (some channels failed, the others synced) is not a success.
 */
import type { MonitorDto, RunDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { fmtDuration, fmtInt, fmtPercent, fmtRelative } from '../../lib/format';
import { Badge, Empty } from '../../lib/components';

const WINDOW_MS = 86_400_000;

function Progress({ value, max, label, warn }: { value: number; max: number | null; label: string; warn?: boolean }) {
  const pct = max && max > 0 ? Math.min(100, Math.round((value / max) * 100)) : null;
  return html`<div class=${warn ? 'progress warn' : 'progress'} role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax=${max ?? undefined} aria-valuenow=${value}>
    <span style=${{ width: `${pct ?? 100}%`, opacity: pct == null ? 0.35 : 1 }}></span>
  </div>`;
}

/** When a run counts in a window: the server's rule (finished, else started, else scheduled). */
const runInstant = (run: RunDto): number => Date.parse(run.finished_at ?? run.started_at ?? run.scheduled_for ?? '');

/** What the empty failure list means next to the rate (a rate below 100% with no failure: partial runs). */
function noFailureText(rate: number | null): string {
  if (rate === null) return 'No run ended in the last 24 h.';
  if (rate < 1) return 'No run failed in the last 24 h. The runs that were not successful were partial: some of their channels could not be synced (the job manager shows which).';
  return 'No run failed in the last 24 h.';
}

export function Monitor({ data }: { data: MonitorDto }) {
  const now = new Date(data.now).getTime();
  const quotaRatio = data.quota.daily_budget > 0 ? data.quota.used_today / data.quota.daily_budget : 0;
  const inWindow = data.recent_failures.filter((f) => runInstant(f) >= now - WINDOW_MS);
  const older = data.recent_failures.find((f) => runInstant(f) < now - WINDOW_MS);
  return html`<div>
    <h2>Running now</h2>
    ${data.running.length === 0
      ? html`<p class="muted">No job is running.</p>`
      : html`<ul class="list" aria-label="Running jobs">${data.running.map((r) => html`<li key=${r.run_id}>
          <div class="spread"><strong class="ellipsis">${r.job_name}</strong>
            <span class="small muted">${fmtDuration(now - new Date(r.started_at).getTime())}</span></div>
          <${Progress} value=${r.processed} max=${r.expected} label=${`${r.job_name} progress`} />
          <div class="small muted">${fmtInt(r.processed)}${r.expected != null ? ` of ${fmtInt(r.expected)}` : ''} videos · ${r.phase}</div>
        </li>`)}</ul>`}
    <h2>YouTube quota today</h2>
    <${Progress} value=${data.quota.used_today} max=${data.quota.daily_budget} label="Quota used today" warn=${quotaRatio > 0.8} />
    <div class="small muted">${fmtInt(data.quota.used_today)} of ${fmtInt(data.quota.daily_budget)} units</div>
    <h2>Success rate (24 h)</h2>
    <div class="stat"><div class="value">${fmtPercent(data.success_rate_24h)}</div>
      <div class="label">of the runs that ended in the last 24 h; a partial run is not a success</div></div>
    <h2>Recent failures (24 h)</h2>
    ${inWindow.length === 0
      ? html`<${Empty}>${noFailureText(data.success_rate_24h)}</${Empty}>`
      : html`<ul class="list" aria-label="Recent failures (24 h)">${inWindow.map((f) => html`<li key=${f.run_id}>
          <div class="spread"><strong class="ellipsis">${f.job_name}</strong><span class="small muted">${fmtRelative(f.finished_at ?? f.started_at, now)}</span></div>
          ${f.status !== 'failed' ? html`<${Badge} kind=${f.status} />` : null}
          <div class="small issue">${f.error ?? f.status}</div>
        </li>`)}</ul>`}
    ${inWindow.length === 0 && older ? html`<p class="small muted">Earlier failure: ${older.job_name}, ${fmtRelative(older.finished_at ?? older.started_at, now)}.</p>` : null}
  </div>`;
}
