/** The expanded part of a job row: next runs, recent runs and their errors. */
import { useEffect, useState } from 'preact/hooks';
import type { JobDetailDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { Badge, ErrorBanner, Loading, ZonedTime } from '../../lib/components';
import { fmtDuration, fmtInt } from '../../lib/format';
import { JobInsightsPanel } from '../insights/JobInsights';
import type { AuditLogPage } from '../../../src-server/rpc';
import { auditText } from '../audit/audit-text';

/** `refresh` changes when the job list reloads (run now, bulk action, auto-refresh): reload too. */
export function RowDetail({ id, version, refresh = 0 }: { id: string; version: number; refresh?: number }) {
  const [job, setJob] = useState<JobDetailDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [history, setHistory] = useState<AuditLogPage | null>(null);
  const [historySize, setHistorySize] = useState(5);
  useEffect(() => {
    let current = true;
    rpc.auditLog({ job_id: id, page: 1, page_size: historySize }).then(
      (h) => {
        if (current) setHistory(h);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [id, version, refresh, historySize]);
  useEffect(() => {
    let current = true;
    rpc.getJob(id).then(
      (j) => {
        if (current) {
          setJob(j);
          setError(null);
        }
      },
      (err) => {
        if (current) setError(err);
      },
    );
    return () => {
      current = false;
    };
  }, [id, version, refresh]);
  if (error) return html`<${ErrorBanner} error=${error} />`;
  if (!job) return html`<${Loading} />`;
  const tz = job.config.timezone;
  return html`<div class="detail-grid">
    <div>
      <h3>Schedule</h3><p>${job.schedule_text}</p>
      <h3>Next runs</h3>
      <ul class="plain">
        ${job.pending_retry_at ? html`<li key="retry"><${ZonedTime} iso=${job.pending_retry_at} timeZone=${tz} /> <span class="badge partial">retry</span></li>` : null}
        ${job.next_runs.length ? job.next_runs.map((r) => html`<li key=${r}><${ZonedTime} iso=${r} timeZone=${tz} /></li>`) : job.pending_retry_at ? null : html`<li class="muted">None</li>`}</ul>
      ${job.conflicts.map((c) => html`<div class="banner warn" key=${c.job_id + c.at}>${c.message}</div>`)}
      <${JobInsightsPanel} job=${job} />
    </div>
    <div>
      <h3>Recent runs</h3>
      ${
        job.recent_runs.length === 0
          ? html`<p class="muted">This job has not run yet.</p>`
          : html`<table class="small" aria-label=${`Recent runs of ${job.config.name}`}>
        <thead><tr><th scope="col">Started</th><th scope="col">Status</th><th scope="col">Trigger</th><th scope="col">Added</th><th scope="col">Updated</th><th scope="col">Units</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
        <tbody>${job.recent_runs.map(
          (r) => html`<tr key=${r.run_id}>
          <td><${ZonedTime} iso=${r.started_at ?? r.scheduled_for} timeZone=${tz} /></td><td><${Badge} kind=${r.status} /></td><td>${r.trigger}</td>
          <td>${fmtInt(r.videos_added)}</td><td>${fmtInt(r.videos_updated)}</td><td>${fmtInt(r.quota_units)}</td><td>${fmtDuration(r.duration_ms)}</td>
          <td class="issue">${r.error ?? ''}</td></tr>`,
        )}</tbody></table>`
      }
      <h3>History</h3>
      ${
        !history
          ? html`<${Loading} label="Loading the history…" />`
          : history.items.length === 0
            ? html`<p class="muted">No change recorded.</p>`
            : html`<ul class="plain small history" aria-label=${`History of ${job.config.name}`}>
        ${history.items.map((a, i) => html`<li key=${a.id ?? i}><${ZonedTime} iso=${a.at} timeZone=${tz} /> · ${auditText(a)}</li>`)}</ul>`
      }
      ${history && history.total > history.items.length ? html`<button class="link small" onClick=${() => setHistorySize((n) => n + 20)}>Show more (${history.total - history.items.length} older)</button>` : null}
    </div>
  </div>`;
}
