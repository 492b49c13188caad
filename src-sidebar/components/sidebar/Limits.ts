/**
 * The platform's daily limits in the monitor (docs/operations.md "Past one project's quotas"): YouTube
 * units used and projected for the Pacific day, the jobs the scheduler defers to stay within the
 * budget, trigger runtime against both account kinds, and triggers of the 20 per user.
 */
import type { LimitsDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { fmtInt, fmtZonedDateTime, viewerZone } from '../../lib/format';

const minutes = (ms: number): string => `${fmtInt(Math.round(ms / 60_000))} min`;

export function Limits({ limits }: { limits: LimitsDto }) {
  const yt = limits.youtube_units;
  const rt = limits.trigger_runtime;
  const over = yt.projected_today > yt.daily_budget;
  return html`<section aria-labelledby="limits-title" data-testid="limits">
    <h2 id="limits-title">Daily limits</h2>
    <ul class="list small">
      <li><div class="spread"><span>YouTube units, projected today</span><strong class=${over ? 'warn-text' : ''}>${fmtInt(yt.projected_today)} of ${fmtInt(yt.daily_budget)}</strong></div>
        <div class="muted">${fmtInt(yt.used_today)} used; resets ${fmtZonedDateTime(yt.resets_at, viewerZone())} (midnight Pacific); the Cloud project allows ${fmtInt(yt.project_limit)}.</div>
        ${yt.deferred_total > 0 ? html`<div class="banner warn" role="status">${deferredText(yt)}</div>` : null}</li>
      <li><div class="spread"><span>Trigger runtime, next 24 h</span><strong class=${rt.projected_ms_24h > rt.consumer_limit_ms ? 'warn-text' : ''}>${minutes(rt.projected_ms_24h)}</strong></div>
        <div class="muted">${minutes(rt.used_ms_24h)} in the last 24 h; the limit is ${minutes(rt.consumer_limit_ms)} a day for a consumer account, ${fmtInt(rt.workspace_limit_ms / 3_600_000)} h for Workspace.</div></li>
      <li><div class="spread"><span>Triggers</span><strong>${fmtInt(limits.triggers.used)} of ${fmtInt(limits.triggers.limit)}</strong></div>
        <div class="muted">The limit is per user, across all their scripts.</div></li>
    </ul>
  </section>`;
}

function deferredText(yt: LimitsDto['youtube_units']): string {
  const named = yt.deferred_jobs
    .slice(0, 5)
    .map((d) => `${d.job_name} (priority ${d.priority})`)
    .join(', ');
  const rest = yt.deferred_total > 5 ? ` and ${fmtInt(yt.deferred_total - 5)} more` : '';
  return `${fmtInt(yt.deferred_total)} lowest-priority job(s) wait for the reset so the budget holds: ${named}${rest}.`;
}
