/**
 * Monitor tab: running jobs with progress, quota vs budget, success rate, recent problem runs.
 * The server sends one 24 h window for both: the counts (a partial run, where some channels failed and
 * the others synced, is not a success) and that window's failed and partial runs, newest first.
 */
import type { MonitorDto } from '../../../src-server/app/contract';
import { YOUTUBE_DAILY_QUOTA } from '../../../src-server/domain/catalogue';
import { html } from '../../lib/html';
import { fmtDuration, fmtInt, fmtPercent, fmtRelative } from '../../lib/format';
import { Badge, Empty } from '../../lib/components';
import { Progress, readableError } from '../../lib/run';
import { fmtMinutes } from '../insights/Heatmap';
import { Limits } from './Limits';

/** "12 runs: 10 succeeded, 1 failed, 1 partial" — the figures behind the rate. */
function countsText(w: MonitorDto['last_24h']): string {
  if (w.runs === 0) return 'No run ended in the last 24 h.';
  const parts = [`${fmtInt(w.succeeded)} succeeded`, `${fmtInt(w.failed)} failed`, `${fmtInt(w.partial)} partial`];
  return `${fmtInt(w.runs)} ${w.runs === 1 ? 'run' : 'runs'}: ${parts.join(', ')}`;
}

/** Said once: with no run at all, the counts line above already says so and this section says nothing new. */
function noProblemText(w: MonitorDto['last_24h']): string {
  return w.runs === 0 ? 'Nothing to report.' : 'No run failed or was partial in the last 24 h.';
}

/** The budget is this spreadsheet's own ceiling; YouTube's limit is per Cloud project, shared with anything else using it. */
export function quotaExplained(budget: number): string {
  return `Your budget is ${fmtInt(budget)} units a day, set in Settings; YouTube allows the whole Cloud project ${fmtInt(YOUTUBE_DAILY_QUOTA)}, shared with anything else that uses it. Counts reset at midnight Pacific time.`;
}

export function Monitor({ data }: { data: MonitorDto }) {
  const now = new Date(data.now).getTime();
  const quotaRatio = data.quota.daily_budget > 0 ? data.quota.used_today / data.quota.daily_budget : 0;
  const w = data.last_24h;
  const problems = data.recent_problems;
  const problemCount = w.failed + w.partial;
  return html`<div>
    <h2>Running now</h2>
    ${
      data.running.length === 0
        ? html`<p class="muted">No job is running.</p>`
        : html`<ul class="list" aria-label="Running jobs">${data.running.map(
            (r) => html`<li key=${r.run_id}>
          <div class="spread"><strong class="ellipsis">${r.job_name}</strong>
            <span class="small muted">${fmtDuration(now - new Date(r.started_at).getTime())}</span></div>
          <${Progress} value=${r.processed} max=${r.expected} label=${`${r.job_name} progress`} />
          <div class="small muted">${fmtInt(r.processed)}${r.expected != null ? ` of ${fmtInt(r.expected)}` : ''} videos · ${r.phase}</div>
        </li>`,
          )}</ul>`
    }
    <h2>YouTube quota today</h2>
    <${Progress} value=${data.quota.used_today} max=${data.quota.daily_budget} label="Quota used today" warn=${quotaRatio > 0.8} />
    <div class="small muted">${fmtInt(data.quota.used_today)} of ${fmtInt(data.quota.daily_budget)} units</div>
    <p class="small muted">${quotaExplained(data.quota.daily_budget)}</p>
    ${data.limits ? html`<${Limits} limits=${data.limits} />` : null}
    <h2>Success rate (24 h)</h2>
    <div class="stat"><div class="value">${fmtPercent(w.success_rate)}</div>
      <div class="label">of the runs that ended in the last 24 h; a partial run is not a success</div></div>
    <p class="small muted" data-testid="monitor-counts">${countsText(w)}</p>
    <h2>Recent failures (24 h)</h2>
    ${
      problems.length === 0
        ? html`<${Empty}>${noProblemText(w)}</${Empty}>`
        : html`<ul class="list" aria-label="Recent failures (24 h)">${problems.map(
            (f) => html`<li key=${f.run_id}>
          <div class="spread"><strong class="ellipsis">${f.job_name}</strong><span class="small muted">${fmtRelative(f.at, now)}</span></div>
          <${Badge} kind=${f.status} />
          <div class="small issue">${f.status === 'partial' ? 'Some channels could not be synced.' : readableError(f.error ?? '')}</div>
          ${f.error ? html`<details class="small"><summary>Details</summary><div class="mono raw">${f.error}</div></details>` : null}
        </li>`,
          )}</ul>`
    }
    ${problemCount > problems.length ? html`<p class="small muted">The ${problems.length} newest of ${problemCount} failed or partial runs.</p>` : null}
    <h2>Freshness (30 days)</h2>
    ${
      !data.freshness?.length
        ? html`<${Empty}>No new video measured yet: freshness counts videos published after a job's previous run.</${Empty}>`
        : html`<ul class="list" aria-label="Freshness by job, least fresh first" data-testid="monitor-freshness">${data.freshness.map(
            (f) => html`<li key=${f.job_id}>
          <div class="spread"><strong class="ellipsis">${f.job_name}</strong><span class="small">p90 ${fmtMinutes(f.p90_minutes)}</span></div>
          <div class="small muted">median ${fmtMinutes(f.median_minutes)} from publish to sheet · ${fmtInt(f.samples)} video${f.samples === 1 ? '' : 's'}</div>
        </li>`,
          )}</ul>`
    }
    <h2>Anomalies</h2>
    ${
      !data.anomalies?.length
        ? html`<${Empty}>Nothing unusual: channels upload as they used to, runs cost and last what they used to.</${Empty}>`
        : html`<ul class="list" aria-label="Anomalies" data-testid="monitor-anomalies">${data.anomalies.map(
            (a) => html`<li key=${a.job_id + a.kind + a.at}>
          <div class="spread"><strong class="ellipsis">${a.job_name}</strong><span class="small muted">${fmtRelative(a.at, now)}</span></div>
          <div class="small issue">${a.message}</div>
        </li>`,
          )}</ul>`
    }
  </div>`;
}
