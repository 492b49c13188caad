/** Monitor tab: running jobs with progress, quota vs budget, success rate, recent failures. */
import type { MonitorDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { fmtDuration, fmtInt, fmtPercent, fmtRelative } from '../../lib/format';
import { Empty } from '../../lib/components';

function Progress({ value, max, label, warn }: { value: number; max: number | null; label: string; warn?: boolean }) {
  const pct = max && max > 0 ? Math.min(100, Math.round((value / max) * 100)) : null;
  return html`<div class=${warn ? 'progress warn' : 'progress'} role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax=${max ?? undefined} aria-valuenow=${value}>
    <span style=${{ width: `${pct ?? 100}%`, opacity: pct == null ? 0.35 : 1 }}></span>
  </div>`;
}

export function Monitor({ data }: { data: MonitorDto }) {
  const now = new Date(data.now).getTime();
  const quotaRatio = data.quota.daily_budget > 0 ? data.quota.used_today / data.quota.daily_budget : 0;
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
    <div class="stat"><div class="value">${fmtPercent(data.success_rate_24h)}</div></div>
    <h2>Recent failures</h2>
    ${data.recent_failures.length === 0
      ? html`<${Empty}>No failures. </${Empty}>`
      : html`<ul class="list" aria-label="Recent failures">${data.recent_failures.map((f) => html`<li key=${f.run_id}>
          <div class="spread"><strong class="ellipsis">${f.job_name}</strong><span class="small muted">${fmtRelative(f.finished_at ?? f.started_at, now)}</span></div>
          <div class="small issue">${f.error ?? f.status}</div>
        </li>`)}</ul>`}
  </div>`;
}
