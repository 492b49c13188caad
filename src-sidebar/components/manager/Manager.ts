/**
 * The job manager: sortable, searchable, filterable table with inline edits, expandable rows,
 * selection and bulk actions, a context menu, export, and a 30 s auto-refresh that keeps selection,
 * expanded rows and unsaved inline edits. Jobs come a page at a time from the server (listJobs
 * page/page_size); the selection is limited to the page shown, so a bulk action never touches a job
 * the user cannot see.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { BulkAction, ExportFile, JobDetailDto, JobDto, JobStatus, ListJobsQuery, SortOrder } from '../../../src-server/app/contract';
import type { ExportFormat } from '../../../src-server/domain/catalogue';
import { html } from '../../lib/html';
import { rpc, errorMessage } from '../../rpc';
import { Badge, Empty, ErrorBanner, Loading, ZonedTime } from '../../lib/components';
import { bootData, usePageVisible, usePolling } from '../../lib/host';
import type { ManagerBoot } from '../../../src-server/boot';
import { saveFile, type SaveOutcome } from '../../lib/export';
import { ExportResult } from '../export/ExportResult';
import { verifyNewChannels } from '../../lib/channels';
import { humanError } from '../../lib/fields';
import { ContextMenu, type MenuItem } from './ContextMenu';
import { RowDetail } from './RowDetail';
import { Wizard } from '../wizard/Wizard';
import { ZoneSwitch } from '../../lib/zone-mode';

const STATUSES: JobStatus[] = ['active', 'paused', 'disabled', 'running', 'failing', 'completed'];
const COLUMNS: { key: string; label: string; sortable: boolean }[] = [
  { key: 'name', label: 'Name', sortable: true },
  { key: 'status', label: 'Status', sortable: true },
  { key: 'schedule_type', label: 'Schedule', sortable: true },
  { key: 'channels', label: 'Channels', sortable: false },
  { key: 'target_tab_name', label: 'Tab', sortable: true },
  { key: 'next_run_at', label: 'Next run', sortable: true },
  { key: 'last_run', label: 'Last run', sortable: true },
  { key: 'priority', label: 'Priority', sortable: true },
];

/** google.script.run pages hold at most 50 jobs (rpc.ts RPC_MAX_PAGE_SIZE): an answer stays small at any job count. */
const PAGE_SIZES = [25, 50] as const;
/** Numbers each export, so that a new one starts its result panel afresh. */
let exportCount = 0;

type Edit = { field: 'schedule_value' | 'channels'; value: string; error?: string; saving?: boolean };

const editButtonId = (jobId: string, field: Edit['field']) => `edit-${field}-${jobId}`;
const editInputId = (jobId: string) => `e-${jobId}`;
const actionsButtonId = (jobId: string) => `actions-${jobId}`;
/** The edit button's name: the raw value (what the editor holds), then the words shown, if they differ. */
function scheduleLabel(job: JobDto): string {
  const raw = `${job.config.schedule_type} ${job.config.schedule_value}`;
  const text = scheduleText(job);
  return text === raw ? raw : `${raw}, ${text}`;
}
/** The server's words for the schedule when the list carries them (JobDto.schedule_text), else the raw value. */
const scheduleText = (job: JobDto): string =>
  (job as JobDto & { schedule_text?: string }).schedule_text || `${job.config.schedule_type} ${job.config.schedule_value}`;
const isConflict = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'version_conflict';
const splitChannels = (text: string): string[] =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function Manager() {
  // The first page comes with the page (boot JSON) when the dialog opened it with the default query.
  const [boot] = useState(() => bootData<ManagerBoot>());
  const [jobs, setJobs] = useState<JobDto[] | null>(boot.jobs?.items ?? null);
  const [total, setTotal] = useState(boot.jobs?.total ?? 0);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [exported, setExported] = useState<{ file: ExportFile; outcome: SaveOutcome; filters: ListJobsQuery; n: number } | null>(null);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [tag, setTag] = useState('');
  const [sort, setSort] = useState<{ key: string; order: SortOrder }>({ key: 'name', order: 'asc' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [menu, setMenu] = useState<{ x: number; y: number; job: JobDto } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string[] | null>(null);
  // Jobs deleted in this session, kept to restore them (Undo): their configs as they were.
  const [undo, setUndo] = useState<{ configs: JobDto['config'][]; names: string[] } | null>(null);
  const [wizard, setWizard] = useState<{ jobId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [pageSize, setPageSize] = useState<number>(50);
  // The page belongs to the filters it was chosen with: another filter, sort or size shows page 1.
  const filterKey = JSON.stringify([q, status, tag, sort.key, sort.order, pageSize]);
  const [paging, setPaging] = useState({ key: filterKey, page: 1 });
  const page = paging.key === filterKey ? paging.page : 1;
  const setPage = (n: number) => setPaging({ key: filterKey, page: n });
  const latest = useRef(0);
  // Counts the list's loads: expanded rows reload their details (recent runs) with each.
  const [loads, setLoads] = useState(0);
  // The element (by id) to focus once it is rendered: the edit box when an inline edit opens, the
  // edit button when it closes (autoFocus is not reliable in Preact, and a closed editor loses focus).
  // A layout effect: focus moves with the render, before the next key press can arrive.
  const focusNext = useRef<string | null>(null);
  useLayoutEffect(() => {
    const id = focusNext.current;
    const target = id ? document.getElementById(id) : null;
    if (target) {
      focusNext.current = null;
      target.focus();
    }
  });
  const visible = usePageVisible();
  const pages = Math.max(1, Math.ceil(total / pageSize));

  /** The filters and sort (export takes every matching job, not one page). */
  const query = (): ListJobsQuery => {
    const out: ListJobsQuery = { sort: sort.key, order: sort.order };
    if (q.trim()) out.q = q.trim();
    if (status) out.status = status;
    if (tag.trim()) out.tag = tag.trim();
    return out;
  };

  const load = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const answer = await rpc.listJobs({ ...query(), page, page_size: pageSize });
      if (ticket !== latest.current) return; // a newer request (other page or filter) answers instead
      const last = Math.max(1, Math.ceil(answer.total / pageSize));
      // Past the last page (jobs were deleted): show the last one instead.
      if (answer.items.length === 0 && page > last) {
        setPage(last);
        return;
      }
      setJobs(answer.items);
      setTotal(answer.total);
      setLoads((n) => n + 1);
      // Keep the selection, minus jobs that are gone or not on this page.
      setSelected((sel) => new Set([...sel].filter((id) => answer.items.some((j) => j.id === id))));
      setError(null);
    } catch (err) {
      if (ticket === latest.current) setError(err);
    }
  }, [filterKey, page]);

  const bootShown = useRef(!!boot.jobs);
  useEffect(() => {
    // The boot page answers the first query (name ascending, page 1 of 50): no second execution for it.
    if (bootShown.current) {
      bootShown.current = false;
      if (!q && !status && !tag && sort.key === 'name' && sort.order === 'asc' && page === 1 && pageSize === boot.query?.page_size) return;
    }
    const t = setTimeout(() => void load(), q ? 250 : 0);
    return () => clearTimeout(t);
  }, [load]);
  usePolling(load, 30_000, visible && !wizard);

  const toggleSort = (key: string) => setSort((s) => ({ key, order: s.key === key && s.order === 'asc' ? 'desc' : 'asc' }));
  const toggle = (set: Set<string>, id: string) => {
    const n = new Set(set);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  };

  async function bulk(action: BulkAction, ids: string[]) {
    if (ids.length === 0) return;
    setBusy(true);
    setNotice('');
    try {
      if (action === 'run_now') {
        // One execution per job, now (the bulk use case only queues runs for the next tick).
        const lines: string[] = [];
        for (const id of ids) {
          const name = jobs?.find((j) => j.id === id)?.config.name ?? id;
          try {
            const run = await rpc.runJobNow(id);
            lines.push(
              `${name}: ${run.status}, ${run.videos_added} added, ${run.videos_updated} updated${run.error ? ` (${run.error})` : ''}`,
            );
          } catch (err) {
            lines.push(`${name}: ${errorMessage(err)}`);
          }
        }
        setNotice(`Ran ${ids.length} job(s). ${lines.join('; ')}`);
        await load();
        return;
      }
      const before = action === 'delete' ? (jobs ?? []).filter((j) => ids.includes(j.id)) : [];
      const res = await rpc.bulkJobs(action, ids);
      const failed = res.results.filter((r) => !r.ok);
      if (action === 'delete') {
        const gone = before.filter((j) => res.results.some((r) => r.ok && r.id === j.id));
        setUndo(gone.length ? { configs: gone.map((j) => j.config), names: gone.map((j) => j.config.name) } : null);
      } else setUndo(null);
      const verb = { pause: 'Paused', resume: 'Resumed', enable: 'Enabled', disable: 'Disabled', delete: 'Deleted', run_now: 'Ran' }[
        action
      ];
      const nameOf = (id: string) => jobs?.find((j) => j.id === id)?.config.name ?? id;
      setNotice(
        `${verb} ${res.results.length - failed.length} of ${res.results.length} job(s)${
          action === 'delete' && failed.length < res.results.length
            ? `: ${res.results
                .filter((r) => r.ok)
                .map((r) => `“${nameOf(r.id)}”`)
                .join(', ')}`
            : ''
        }.${failed.length ? ` Failed: ${failed.map((f) => `${nameOf(f.id)} (${f.error?.message ?? 'error'})`).join(', ')}` : ''}`,
      );
      if (action === 'delete') setSelected(new Set());
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  /** Undo of a delete: each job is created again from its config (a new id; its run history stays with the old one). */
  async function restore() {
    if (!undo) return;
    setBusy(true);
    const restored: string[] = [];
    const failed: string[] = [];
    for (const config of undo.configs) {
      try {
        await rpc.createJob({ ...config, depends_on: config.depends_on ?? null });
        restored.push(`“${config.name}”`);
      } catch (err) {
        failed.push(`“${config.name}” (${humanError(err)})`);
      }
    }
    setUndo(null);
    setError(null);
    setNotice(
      `Restored ${restored.join(', ') || 'nothing'}${failed.length ? `; could not restore ${failed.join(', ')}` : ''}. Their run history is not restored.`,
    );
    setBusy(false);
    await load();
  }

  async function saveEdit(job: JobDto) {
    const edit = edits[job.id];
    if (!edit) return;
    if (edit.saving) return;
    setEdits((e) => ({ ...e, [job.id]: { ...edit, saving: true, error: '' } }));
    const refuse = (error: string) => {
      focusNext.current = editInputId(job.id);
      setEdits((e) => ({ ...e, [job.id]: { ...edit, saving: false, error } }));
    };
    let patch: { channels: string[] } | { schedule_value: string };
    let caveat = '';
    if (edit.field === 'channels') {
      const channels = splitChannels(edit.value);
      // Like the wizard: channels YouTube does not know are refused before anything is saved.
      const verdict = await verifyNewChannels(job.config.channels, channels);
      if (verdict.refused.length) {
        refuse(verdict.refused.join('; '));
        return;
      }
      if (verdict.unchecked.length)
        caveat = ` The new channels could not be checked (${verdict.unchecked.join('; ')}); the next run reports any that does not exist.`;
      patch = { channels };
    } else {
      patch = { schedule_value: edit.value.trim() };
    }
    try {
      await rpc.patchJob(job.id, patch, job.version);
      focusNext.current = editButtonId(job.id, edit.field);
      setEdits((e) => {
        const n = { ...e };
        delete n[job.id];
        return n;
      });
      setNotice(`Saved “${job.config.name}”.${caveat}`);
      await load();
    } catch (err) {
      if (isConflict(err)) {
        setEdits((e) => ({ ...e, [job.id]: { ...edit, saving: false } }));
        setNotice('');
        setError(err);
        return;
      }
      refuse(humanError(err));
    }
  }

  // The download may be refused by the dialog's sandbox: ExportResult says what happened and offers
  // the file with Copy, or the same export written to a new tab (same filters as the file).
  function exportAs(format: ExportFormat) {
    const filters = query();
    rpc.exportJobs(format, filters).then((file) => setExported({ file, outcome: saveFile(file), filters, n: ++exportCount }), setError);
  }

  const menuItems = (job: JobDto): MenuItem[] => [
    { label: 'Run now', onSelect: () => void bulk('run_now', [job.id]) }, // runs at once, see bulk()
    { label: 'Edit…', onSelect: () => setWizard({ jobId: job.id }) },
    job.paused
      ? { label: 'Resume', onSelect: () => void bulk('resume', [job.id]) }
      : { label: 'Pause', onSelect: () => void bulk('pause', [job.id]) },
    job.status === 'disabled'
      ? { label: 'Enable', onSelect: () => void bulk('enable', [job.id]) }
      : { label: 'Disable', onSelect: () => void bulk('disable', [job.id]) },
    { label: expanded.has(job.id) ? 'Collapse' : 'Show runs', onSelect: () => setExpanded((s) => toggle(s, job.id)) },
    { label: 'Delete…', danger: true, onSelect: () => setConfirmDelete([job.id]) },
  ];

  const onRowKey = (job: JobDto) => (e: KeyboardEvent) => {
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault();
      const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
      setMenu({ x: r.left + 40, y: r.bottom, job });
    }
  };

  if (wizard) {
    return html`<${Wizard} jobId=${wizard.jobId} onDone=${(j: JobDetailDto | null) => {
      setWizard(null);
      if (j) setNotice(`Saved “${j.config.name}”.`);
      void load();
    }} />`;
  }

  const ids = jobs?.map((j) => j.id) ?? [];
  const namesOf = (list: string[]): string => {
    const names = list.map((id) => `“${jobs?.find((j) => j.id === id)?.config.name ?? id}”`);
    return names.length <= 3
      ? names.join(names.length === 2 ? ' and ' : ', ')
      : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  };
  const allSelected = ids.length > 0 && ids.every((id) => selected.has(id));
  const sel = [...selected];

  return html`<main class="page manager">
    <h1 class="sr-only">Job manager</h1><div class="spread"><div class="row"><span class="muted">Every job of this spreadsheet</span><${ZoneSwitch} /></div>
      <div class="row">
        <button class="action" onClick=${() => setWizard({ jobId: null })}>New job</button>
        <button onClick=${() => void load()} aria-label="Refresh">Refresh</button>
      </div></div>
    <div class="row toolbar" role="search">
      <div class="grow"><label class="sr-only" for="m-q">Search jobs</label>
        <input id="m-q" type="search" placeholder="Search name, channel, tab…" value=${q} onInput=${(e: Event) => setQ((e.currentTarget as HTMLInputElement).value)} /></div>
      <div><label class="sr-only" for="m-status">Status filter</label>
        <select id="m-status" value=${status} onChange=${(e: Event) => setStatus((e.currentTarget as HTMLSelectElement).value as JobStatus | '')}>
          <option value="">All statuses</option>${STATUSES.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}</select></div>
      <div><label class="sr-only" for="m-tag">Tag filter</label>
        <input id="m-tag" type="text" placeholder="Tag" value=${tag} onInput=${(e: Event) => setTag((e.currentTarget as HTMLInputElement).value)} style="width:110px" /></div>
      <div class="row" role="group" aria-label="Export">
        <span class="muted small">Export</span>
        <button class="small" onClick=${() => exportAs('json')}>JSON</button>
        <button class="small" onClick=${() => exportAs('csv')}>CSV</button>
        <button class="small" onClick=${() => exportAs('yaml')}>YAML</button>
      </div>
    </div>
    <div class="bulkbar row" role="toolbar" aria-label="Bulk actions">
      <span class="small">${sel.length ? `${sel.length} selected${pages > 1 ? ' on this page' : ''}` : pages > 1 ? 'Select jobs on this page for bulk actions' : 'Select jobs for bulk actions'}</span>
      ${(['pause', 'resume', 'enable', 'disable', 'run_now'] as BulkAction[]).map(
        (a) => html`<button key=${a} class="small" disabled=${!sel.length || busy}
        onClick=${() => void bulk(a, sel)}>${{ pause: 'Pause', resume: 'Resume', enable: 'Enable', disable: 'Disable', run_now: 'Run now', delete: 'Delete' }[a]}</button>`,
      )}
      <button class="small danger" disabled=${!sel.length || busy} onClick=${() => setConfirmDelete(sel)}>Delete</button>
      ${busy ? html`<span class="spinner" aria-label="Working"></span>` : null}
    </div>
    ${
      exported
        ? html`<${ExportResult} key=${exported.n} file=${exported.file} outcome=${exported.outcome}
      writeTab=${() => rpc.exportJobsToTab(exported.file.format, exported.filters)} onClose=${() => setExported(null)} />`
        : null
    }
    ${
      confirmDelete
        ? html`<div class="banner error" role="alertdialog" aria-labelledby="confirm-del" aria-describedby="confirm-del-text">
      <strong id="confirm-del">Delete ${namesOf(confirmDelete)}?</strong> <span id="confirm-del-text">Their tabs and rows are kept. You can undo this until you close the job manager.</span>
      <div class="row" style="margin-top:8px"><button class="danger action small" onClick=${() => {
        const d = confirmDelete;
        setConfirmDelete(null);
        void bulk('delete', d);
      }}>Delete</button>
      <button class="small" onClick=${() => setConfirmDelete(null)}>Cancel</button></div></div>`
        : error
          ? isConflict(error)
            ? html`<div class="banner error" role="alert">Someone changed this job after the list was loaded, so this change was not saved. Reload to see the current version, then try again.
          <button class="link" onClick=${() => {
            setEdits({});
            void load();
          }}>Reload</button></div>`
            : html`<${ErrorBanner} error=${humanError(error)} onRetry=${load} />`
          : notice
            ? html`<div class="banner info" role="status">${notice}${undo ? html` <button class="link" disabled=${busy} onClick=${() => void restore()}>Undo</button>` : null}</div>`
            : null
    }
    ${jobs === null && !error ? html`<${Loading} />` : null}
    ${jobs && jobs.length === 0 ? html`<${Empty}>${q || status || tag ? 'No job matches these filters.' : 'No jobs yet. Create one with “New job”.'}</${Empty}>` : null}
    ${
      jobs && jobs.length > 0
        ? html`<div class="table-wrap"><table aria-label="Jobs" aria-rowcount=${total}>
      <thead><tr>
        <th scope="col" style="width:32px"><input type="checkbox" aria-label=${pages > 1 ? 'Select all jobs on this page' : 'Select all jobs'} checked=${allSelected}
          onChange=${() => setSelected(allSelected ? new Set() : new Set(ids))} /></th>
        <th scope="col" style="width:32px"><span class="sr-only">Details</span></th>
        ${COLUMNS.map(
          (
            c,
          ) => html`<th scope="col" key=${c.key} aria-sort=${sort.key === c.key ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}>
          ${c.sortable ? html`<button class="sort" onClick=${() => toggleSort(c.key)}>${c.label} <span aria-hidden="true" class="sort-ind">${sort.key === c.key ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}</span></button>` : c.label}</th>`,
        )}
        <th scope="col" class="actions-col"><span class="sr-only">Actions</span></th>
      </tr></thead>
      <tbody>${jobs.map((job) => {
        const edit = edits[job.id];
        const isOpen = expanded.has(job.id);
        const name = job.config.name;
        const startEdit = (field: Edit['field']) => {
          focusNext.current = editInputId(job.id);
          setEdits((e) => ({
            ...e,
            [job.id]: { field, value: field === 'channels' ? job.config.channels.join(', ') : job.config.schedule_value },
          }));
        };
        const cancel = () => {
          if (edit) focusNext.current = editButtonId(job.id, edit.field);
          setEdits((e) => {
            const n = { ...e };
            delete n[job.id];
            return n;
          });
        };
        const inputId = editInputId(job.id);
        const editor = (field: Edit['field'], label: string) =>
          edit && edit.field === field
            ? html`<div class="inline-edit">
          <label class="sr-only" for=${inputId}>${label}</label>
          <input id=${inputId} type="text" value=${edit.value} aria-invalid=${edit.error ? 'true' : undefined}
            aria-describedby=${[field === 'schedule_value' ? `${inputId}-hint` : '', edit.error ? `${inputId}-issue` : ''].filter(Boolean).join(' ') || undefined}
            onInput=${(e: Event) => setEdits((s) => ({ ...s, [job.id]: { ...edit, value: (e.currentTarget as HTMLInputElement).value, error: '' } }))}
            onKeyDown=${(e: KeyboardEvent) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void saveEdit(job);
              }
              // Handled here: Escape cancels the edit and goes no further (the dialog stays open).
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                cancel();
              }
            }} />
          ${field === 'schedule_value' ? html`<div class="hint small muted" id=${`${inputId}-hint`}>${job.config.schedule_type} · times in ${job.config.timezone}</div>` : null}
          <div class="row"><button class="small action" disabled=${edit.saving} onClick=${() => void saveEdit(job)}>${edit.saving ? 'Saving…' : 'Save'}</button><button class="small" onClick=${cancel}>Cancel</button></div>
          ${edit.error ? html`<div class="issue" id=${`${inputId}-issue`} role="alert">${edit.error}</div>` : null}</div>`
            : null;
        return html`
        <tr key=${job.id} class=${selected.has(job.id) ? 'selected' : ''} onContextMenu=${(e: MouseEvent) => {
          e.preventDefault();
          setMenu({ x: e.clientX, y: e.clientY, job });
        }} onKeyDown=${onRowKey(job)}>
          <td><input type="checkbox" aria-label=${`Select ${name}`} checked=${selected.has(job.id)} onChange=${() => setSelected((s) => toggle(s, job.id))} /></td>
          <td><button class="icon small expander" aria-expanded=${isOpen} aria-label=${`${isOpen ? 'Hide' : 'Show'} runs of ${name}`} onClick=${() => setExpanded((s) => toggle(s, job.id))}>${isOpen ? '▾' : '▸'}</button></td>
          <td class="name-col"><div class="one-line" title=${job.config.tags.length ? `${name} · tags: ${job.config.tags.join(', ')}` : name}><strong>${name}</strong>${job.config.tags.length ? html` <span class="small muted">${job.config.tags.join(', ')}</span>` : null}</div></td>
          <td class="nowrap"><${Badge} kind=${job.status} />${job.consecutive_failures > 0 ? html` <span class="small issue">${job.consecutive_failures} failure(s)</span>` : null}</td>
          <td>${
            editor('schedule_value', `Schedule of ${name}`) ??
            html`<button class="link cell-edit" id=${editButtonId(job.id, 'schedule_value')} title=${`${job.config.schedule_type} ${job.config.schedule_value}`}
            aria-label=${`Edit schedule of ${name}: ${scheduleLabel(job)}`} onClick=${() => startEdit('schedule_value')}><span class="cell-text">${scheduleText(job)}</span><span class="pencil" aria-hidden="true">✎</span></button>`
          }</td>
          <td>${editor('channels', `Channels of ${name}`) ?? html`<button class="link cell-edit" id=${editButtonId(job.id, 'channels')} aria-label=${`Edit channels of ${name}: ${job.config.channels.map((c: string) => job.channel_titles[c] ?? c).join(', ')}`} onClick=${() => startEdit('channels')} title=${job.config.channels.map((c: string) => job.channel_titles[c] ?? c).join(', ')}><span class="cell-text">${job.config.channels.map((c) => job.channel_titles[c] ?? c).join(', ')}</span><span class="pencil" aria-hidden="true">✎</span></button>`}</td>
          <td class="tab-col"><div class="one-line" title=${job.config.target_tab_name}>${job.config.target_tab_name}</div></td>
          <td><${ZonedTime} iso=${job.next_run_at} timeZone=${job.config.timezone} /></td>
          <td class="nowrap">${job.last_run ? html`<${Badge} kind=${job.last_run.status} /> <span class="small muted"><${ZonedTime} iso=${job.last_run.finished_at ?? job.last_run.started_at} timeZone=${job.config.timezone} /></span>` : html`<span class="muted">never</span>`}</td>
          <td class="num">${job.config.priority}</td>
          <td class="actions-col"><button class="icon small" id=${actionsButtonId(job.id)} aria-haspopup="menu" aria-label=${`Actions for ${name}`} onClick=${(
            e: MouseEvent,
          ) => {
            const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
            setMenu({ x: r.left - 120, y: r.bottom, job });
          }}>⋮</button></td>
        </tr>
        ${isOpen ? html`<tr class="detail" key=${`${job.id}-detail`}><td colspan=${COLUMNS.length + 3}><${RowDetail} id=${job.id} version=${job.version} refresh=${loads} /></td></tr>` : null}`;
      })}</tbody></table></div>`
        : null
    }
    ${
      jobs && total > 0
        ? html`<${Pager} page=${page} pages=${pages} total=${total} shown=${jobs.length} pageSize=${pageSize}
      onPage=${(n: number) => setPage(Math.min(pages, Math.max(1, n)))} onPageSize=${setPageSize} />`
        : null
    }
    <p class="small muted">${jobs ? `${total} job(s). Refreshes every 30 s. Right-click a row (or Shift+F10) for more actions.${pages > 1 ? ' Selection applies to the page shown; changing page clears it.' : ''}` : ''}</p>
    ${
      menu
        ? html`<${ContextMenu} x=${menu.x} y=${menu.y} label=${`Actions for ${menu.job.config.name}`} items=${menuItems(menu.job)} onClose=${() => setMenu(null)}
      fallbackFocus=${() => document.getElementById(actionsButtonId(menu.job.id))} />`
        : null
    }
  </main>`;
}

/** Page controls: first/previous/next/last buttons, the page and range shown, and the page size. */
function Pager({
  page,
  pages,
  total,
  shown,
  pageSize,
  onPage,
  onPageSize,
}: {
  page: number;
  pages: number;
  total: number;
  shown: number;
  pageSize: number;
  onPage: (n: number) => void;
  onPageSize: (n: number) => void;
}) {
  const first = (page - 1) * pageSize + 1;
  return html`<nav class="row pager" aria-label="Pages of jobs">
    <button class="small" onClick=${() => onPage(1)} disabled=${page <= 1} aria-label="First page">«</button>
    <button class="small" onClick=${() => onPage(page - 1)} disabled=${page <= 1}>Previous page</button>
    <span class="small" aria-live="polite">Page ${page} of ${pages} · jobs ${first}–${first + shown - 1} of ${total}</span>
    <button class="small" onClick=${() => onPage(page + 1)} disabled=${page >= pages}>Next page</button>
    <button class="small" onClick=${() => onPage(pages)} disabled=${page >= pages} aria-label="Last page">»</button>
    <label class="small muted" for="m-page-size">Jobs per page</label>
    <select id="m-page-size" class="small" value=${String(pageSize)} onChange=${(e: Event) => onPageSize(Number((e.currentTarget as HTMLSelectElement).value))}>
      ${PAGE_SIZES.map((n) => html`<option key=${n} value=${String(n)}>${n}</option>`)}
    </select>
  </nav>`;
}
