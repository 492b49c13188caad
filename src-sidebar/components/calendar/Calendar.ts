/**
 * The calendar: month grid with each day's occurrences coloured by kind (scheduled, succeeded,
 * failed, missed …), month navigation, a heat tint by runs per day, and a day panel to manage jobs.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CalendarDay, JobDetailDto } from '../../../src-server/app/contract';
import type { CalendarStartDto } from '../../../src-server/rpc';
import { html } from '../../lib/html';
import { rpc, errorMessage } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { fmtTime, viewerZone, zoneAbbrev } from '../../lib/format';
import { usePageVisible, usePolling } from '../../lib/host';
import { RunFeedback, useRunNow } from '../../lib/run';
import { useZoneMode, ZoneSwitch } from '../../lib/zone-mode';
import { Wizard } from '../wizard/Wizard';

const LEGEND: [string, string][] = [['succeeded', 'Succeeded'], ['partial', 'Partial'], ['missed', 'Missed'], ['failed', 'Failed'], ['scheduled', 'Scheduled']];
const WEEK = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const monthOf = (d: Date, tz: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

const monthTitle = (month: string): string =>
  new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));


/** A day's worst outcome: the day's tint and what the legend names. */
const OUTCOME_ORDER = ['failed', 'missed', 'partial', 'succeeded'] as const;
function dayOutcome(d: CalendarDay | undefined): string {
  const kinds = new Set((d?.entries ?? []).map((e) => e.kind));
  return OUTCOME_ORDER.find((k) => kinds.has(k)) ?? '';
}
/** Chips worth seeing first: problems, then runs that happened, then what is scheduled; by time within. */
const CHIP_RANK: Record<string, number> = { failed: 0, missed: 1, partial: 2, deferred: 3, succeeded: 4, skipped: 5, scheduled: 6 };
const CHIPS_PER_DAY = 3;
const REFRESH_MS = 60_000;

export function Calendar() {
  const mode = useZoneMode();
  const [month, setMonth] = useState<string | null>(null);
  const [data, setData] = useState<CalendarStartDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [day, setDay] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const visible = usePageVisible();
  const { runs, start, dismiss } = useRunNow();
  // "Job zone": the zone the jobs share (else the spreadsheet's default), as the server answers it.
  const tz = mode === 'mine' ? viewerZone() : data?.job_zone ?? viewerZone();

  // One round trip per view: the month (null: the server's current one), its clock and the jobs' state.
  // The month and mode the shown data answers: the first answer names the month, which needs no second call.
  const loadedKey = useRef('');
  const load = useCallback(async () => {
    try {
      const next = await rpc.calendarStart(month, mode === 'mine' ? viewerZone() : null);
      loadedKey.current = `${next.month}|${mode}`;
      setData(next);
      if (month === null) setMonth(next.month);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [month, mode]);
  useEffect(() => { if (loadedKey.current !== `${month}|${mode}`) void load(); }, [load]);
  // While open and visible: refreshed every minute (runs land, the schedule moves on).
  usePolling(load, REFRESH_MS, visible && !editing);
  const serverNow = data ? new Date(data.now) : null;
  const paused = Object.fromEntries((data?.jobs ?? []).map((j) => [j.id, j.paused]));
  const tabOf = (id: string): string => data?.jobs.find((j) => j.id === id)?.tab ?? '';
  /** Another month: the selected day belongs to the old one, so the day panel starts empty again. */
  const showMonth = (next: string) => { if (next !== month) setDay(null); setMonth(next); };
  const shown = data && data.month === month ? data : null;

  if (editing) return html`<${Wizard} jobId=${editing} onDone=${(_j: JobDetailDto | null) => { setEditing(null); void load(); }} />`;

  if (!month) return html`<main class="page calendar"><${ErrorBanner} error=${error && errorMessage(error)} onRetry=${load} />${error ? null : html`<${Loading} />`}</main>`;
  const byDate = new Map<string, CalendarDay>((shown?.days ?? []).map((d) => [d.date, d]));
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(serverNow ?? new Date());
  const cells: (string | null)[] = [...Array(first).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const selected = day ? byDate.get(day) : undefined;

  async function act(kind: 'run' | 'pause' | 'resume', jobId: string, name: string) {
    setNotice('');
    setError(null);
    try {
      if (kind === 'run') { await start(jobId); }
      else if (kind === 'pause') { await rpc.pauseJob(jobId); setNotice(`${name} paused.`); }
      else { await rpc.resumeJob(jobId); setNotice(`${name} resumed.`); }
      await load();
    } catch (err) { setError(err); }
  }

  const onGridKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    const by = moves[e.key];
    if (by === undefined || !day) return;
    e.preventDefault();
    const n = Number(day.slice(8)) + by;
    if (n >= 1 && n <= days) {
      const next = `${month}-${String(n).padStart(2, '0')}`;
      setDay(next);
      (document.getElementById(`d-${next}`) as HTMLElement | null)?.focus();
    }
  };

  return html`<main class="page calendar">
    <div class="spread">
      <h1 aria-live="polite">${monthTitle(month)}</h1>
      <div class="row" role="group" aria-label="Month navigation">
        <button onClick=${() => showMonth(shiftMonth(month, -1))}>‹ Previous<span class="sr-only"> month</span></button>
        <button onClick=${() => showMonth(monthOf(serverNow ?? new Date(), tz))}>Today</button>
        <button onClick=${() => showMonth(shiftMonth(month, 1))}>Next<span class="sr-only"> month</span> ›</button>
      </div>
    </div>
    <div class="spread cal-bar">
      <ul class="legend small" aria-label="Legend: a day is tinted by its worst outcome">
        ${LEGEND.map(([k, label]) => html`<li key=${k}><span class=${`swatch o-${k}`} aria-hidden="true"></span>${label}</li>`)}
      </ul>
      <${ZoneSwitch} jobZoneLabel=${`Job zone (${data?.job_zone ?? '…'})`} />
    </div>
    ${error ? html`<${ErrorBanner} error=${errorMessage(error)} onRetry=${load} />` : notice ? html`<div class="banner info" role="status">${notice}</div>` : null}
    <div class="cal-layout">
      <div>
        ${!shown && !error ? html`<${Loading} />` : null}
        ${shown ? html`<table class="month" role="grid" aria-label=${`${monthTitle(month)} calendar`} onKeyDown=${onGridKey}>
          <thead><tr>${WEEK.map((w) => html`<th scope="col" key=${w}>${w}</th>`)}</tr></thead>
          <tbody>${weeks.map((week, wi) => html`<tr key=${wi}>${week.map((date, di) => {
            if (!date) return html`<td key=${`e${di}`} class="blank"></td>`;
            const d = byDate.get(date);
            const entries = [...(d?.entries ?? [])].sort((a, b) => (CHIP_RANK[a.kind] ?? 9) - (CHIP_RANK[b.kind] ?? 9) || a.at.localeCompare(b.at));
            const outcome = dayOutcome(d);
            // One chip per job and day (its most telling outcome, how many times): names stay readable.
            const groups: { job_id: string; job_name: string; kind: string; times: string[] }[] = [];
            for (const e of entries) {
              const g = groups.find((x) => x.job_id === e.job_id);
              if (g) g.times.push(fmtTime(e.at, tz));
              else groups.push({ job_id: e.job_id, job_name: e.job_name, kind: e.kind, times: [fmtTime(e.at, tz)] });
            }
            const label = ` ${monthTitle(month).split(' ')[0]}: ${entries.length} occurrence(s), ${d?.run_count ?? 0} run(s)${outcome ? `, worst outcome ${outcome}` : ''}. `;
            return html`<td key=${date} class=${`${outcome ? `o-${outcome}` : ''}${date === today ? ' today' : ''}${date === day ? ' sel' : ''}`}>
              <button id=${`d-${date}`} class="day" aria-pressed=${date === day} tabIndex=${date === (day ?? today) || (!day && di === 0 && wi === 0) ? 0 : -1} onClick=${() => setDay(date)}>
                <span class="num">${Number(date.slice(8))}</span><span class="sr-only">${label}</span>
                ${groups.slice(0, CHIPS_PER_DAY).map((g) => html`<span key=${g.job_id} class=${`chip ${g.kind}`} title=${`${g.job_name} — ${g.kind}: ${g.times.join(', ')}`}>${g.job_name}${g.times.length > 1 ? html`<span class="t"> ×${g.times.length}</span>` : null}</span>`)}
                ${groups.length > CHIPS_PER_DAY ? html`<span class="more">+${groups.length - CHIPS_PER_DAY} more</span>` : null}
              </button></td>`;
          })}</tr>`)}</tbody></table>` : null}
      </div>
      <aside class="day-panel" aria-label="Selected day">
        ${!day ? html`<p class="muted">Select a day to see and manage its jobs.</p>` : html`<div>
          <h2>${new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`))}</h2>
          ${!selected || selected.entries.length === 0 ? html`<p class="muted">Nothing scheduled or run on this day.</p>` : html`<ul class="list">
            ${selected.entries.map((e, i) => html`<li key=${i}>
              <div class="spread"><strong class="ellipsis" title=${e.job_name}>${e.job_name}</strong><span class=${`badge ${e.kind}`}>${e.kind}</span></div>
              <div class="small muted">${fmtTime(e.at, tz)} (${zoneAbbrev(e.at, tz)})</div>
              ${runs[e.job_id] ? html`<${RunFeedback} view=${runs[e.job_id]} name=${e.job_name} jobId=${e.job_id} tab=${tabOf(e.job_id)} compact=${true} onDismiss=${() => dismiss(e.job_id)} />` : null}
              <div class="row" style="margin-top:4px">
                <button class="small" disabled=${runs[e.job_id]?.kind === 'running'} onClick=${() => void act('run', e.job_id, e.job_name)} aria-label=${runs[e.job_id]?.kind === 'running' ? `Running: ${e.job_name}` : `Run now: ${e.job_name}`}>${runs[e.job_id]?.kind === 'running' ? 'Running…' : 'Run now'}</button>
                ${paused[e.job_id]
                  ? html`<button class="small" onClick=${() => void act('resume', e.job_id, e.job_name)} aria-label=${`Resume ${e.job_name}`}>Resume</button>`
                  : html`<button class="small" onClick=${() => void act('pause', e.job_id, e.job_name)} aria-label=${`Pause ${e.job_name}`}>Pause</button>`}
                <button class="small" onClick=${() => setEditing(e.job_id)} aria-label=${`Edit ${e.job_name}`}>Edit</button>
              </div></li>`)}</ul>`}
          <p class="small muted">${selected?.run_count ?? 0} run(s) on this day.</p>
        </div>`}
      </aside>
    </div>
  </main>`;
}
