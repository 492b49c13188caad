/**
 * The audit log viewer (menu "Audit log…", the sidebar's link): who changed what and when, newest
 * first, filtered by job, actor and action, a page at a time. Opened for one job (boot data) it starts
 * filtered to that job.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AuditLogPage } from '../../../src-server/rpc';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { Empty, ErrorBanner, Loading, ZonedTime } from '../../lib/components';
import { bootData, closeDialog } from '../../lib/host';
import { humanError } from '../../lib/fields';
import { viewerZone } from '../../lib/format';
import { actionText, actorText, changesText, namesFromRows } from './audit-text';

const PAGE_SIZE = 50;

export function AuditLog() {
  const [jobId, setJobId] = useState(() => bootData<{ jobId: string }>().jobId ?? '');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<AuditLogPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let current = true;
    setLoading(true);
    const query = {
      page,
      page_size: PAGE_SIZE,
      ...(jobId ? { job_id: jobId } : {}),
      ...(actor ? { actor } : {}),
      ...(action ? { action } : {}),
    };
    rpc
      .auditLog(query)
      .then(
        (d) => {
          if (current) {
            setData(d);
            setError(null);
          }
        },
        (err) => {
          if (current) setError(err);
        },
      )
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [jobId, actor, action, page]);

  const filter = (set: (v: string) => void) => (e: Event) => {
    set((e.currentTarget as HTMLSelectElement).value);
    setPage(1);
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const gone = namesFromRows(data?.items ?? []);
  const jobName = (id: string | null) => {
    if (!id) return '—';
    const live = data?.jobs.find((j) => j.id === id)?.name;
    if (live) return live;
    const name = gone.get(id);
    return name ? `${name} (deleted)` : `${id} (deleted)`;
  };
  const zone = viewerZone();

  return html`<main class="page audit">
    <h1 class="sr-only">Audit log</h1>
    <p class="muted small">Every change to jobs, settings and API keys, newest first. Times in your zone (${zone}).</p>
    <div class="row toolbar" role="search" aria-label="Filter the audit log">
      <div class="field"><label for="a-job">Job</label><select id="a-job" value=${jobId} onChange=${filter(setJobId)}>
        <option value="">All jobs</option>
        ${(data?.jobs ?? []).map((j) => html`<option key=${j.id} value=${j.id}>${j.name}</option>`)}
        ${jobId && data && !data.jobs.some((j) => j.id === jobId) ? html`<option value=${jobId}>${jobId} (deleted)</option>` : null}
      </select></div>
      <div class="field"><label for="a-actor">Who</label><select id="a-actor" value=${actor} onChange=${filter(setActor)}>
        <option value="">Anyone</option>${(data?.actors ?? []).map((a) => html`<option key=${a} value=${a}>${actorText(a)}</option>`)}
      </select></div>
      <div class="field"><label for="a-action">What</label><select id="a-action" value=${action} onChange=${filter(setAction)}>
        <option value="">Any action</option>${(data?.actions ?? []).map((a) => html`<option key=${a} value=${a}>${actionText(a)}</option>`)}
      </select></div>
    </div>
    <${ErrorBanner} error=${error && humanError(error)} />
    ${loading && !data ? html`<${Loading} />` : null}
    ${data && data.items.length === 0 ? html`<${Empty}>${jobId || actor || action ? 'No change matches these filters.' : 'No change recorded yet.'}</${Empty}>` : null}
    ${
      data && data.items.length > 0
        ? html`<div class="table-wrap audit-wrap"><table class="small" aria-label="Audit log" aria-busy=${loading ? 'true' : 'false'}>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Job</th><th scope="col">Changes</th></tr></thead>
      <tbody>${data.items.map(
        (a, i) => html`<tr key=${a.id ?? i}>
        <td class="nowrap"><${ZonedTime} iso=${a.at} timeZone=${zone} /></td>
        <td class="nowrap" title=${a.actor}>${actorText(a.actor)}</td>
        <td class="nowrap" title=${a.action}>${actionText(a.action)}</td>
        <td>${jobName(a.job_id)}</td>
        <td class="changes">${changesText(a)}</td></tr>`,
      )}</tbody></table></div>`
        : null
    }
    ${
      data && data.total > PAGE_SIZE
        ? html`<nav class="row pager" aria-label="Pages of the audit log">
      <button class="small" disabled=${page <= 1} onClick=${() => setPage(page - 1)}>Newer</button>
      <span class="small" aria-live="polite">Page ${page} of ${pages} · ${data.total} changes</span>
      <button class="small" disabled=${page >= pages} onClick=${() => setPage(page + 1)}>Older</button></nav>`
        : null
    }
    <div class="footer"><button onClick=${closeDialog}>Close</button></div>
  </main>`;
}
