/**
 * The calendar: month grid with each day's occurrences coloured by kind (scheduled, succeeded,
 * failed, missed …), month navigation, a heat tint by runs per day, and a day panel to manage jobs.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CalendarDay, CalendarDayPageDto, CalendarDto, JobDetailDto } from '../../../src-server/app/contract';
import type { CalendarBoot } from '../../../src-server/boot';
import { html } from '../../lib/html';
import { rpc, errorMessage } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { fmtInt, fmtTime, viewerZone } from '../../lib/format';
import { bootData } from '../../lib/host';
import { Wizard } from '../wizard/Wizard';

const KINDS = ['scheduled', 'succeeded', 'failed', 'missed', 'partial', 'skipped', 'deferred'] as const;
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

/** 0..4 heat level from a day's run count relative to the month's busiest day. */
const heat = (count: number, max: number): number => (count <= 0 || max <= 0 ? 0 : Math.min(4, Math.ceil((count / max) * 4)));

export function Calendar() {
  const tz = viewerZone();
  // The opener sends the server's clock and this month in the spreadsheet's zone (boot JSON): used
  // as is when the viewer is in that zone, so the page needs no second execution to show it.
  const [boot] = useState(() => bootData<CalendarBoot>());
  const bootNow = boot.now ? new Date(boot.now) : null;
  const [month, setMonth] = useState(() => monthOf(bootNow ?? new Date(), tz));
  const [data, setData] = useState<CalendarDto | null>(() => (boot.calendar && boot.calendar.time_zone === tz && bootNow && boot.calendar.month === monthOf(bootNow, tz) ? boot.calendar : null));
  const [error, setError] = useState<unknown>(null);
  const [day, setDay] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);

  const [serverNow, setServerNow] = useState<Date | null>(bootNow);
  const [ready, setReady] = useState(!!bootNow);
  // Start at the server's month ("today" follows the server clock, which is virtual locally).
  useEffect(() => {
    if (bootNow) return;
    rpc.monitorView()
      .then((m) => { const d = new Date(m.now); setServerNow(d); setMonth(monthOf(d, tz)); }, () => undefined)
      .finally(() => setReady(true));
  }, []);

  // The selected day in full, a page at a time (the month carries counts and the first few per day).
  const [dayPage, setDayPage] = useState<CalendarDayPageDto | null>(null);
  const [dayLoading, setDayLoading] = useState(false);
  const dayTicket = useRef(0);
  const loadDay = useCallback(async (date: string | null, page = 1, before: CalendarDayPageDto | null = null) => {
    const mine = ++dayTicket.current;
    if (!date) { setDayPage(null); return; }
    setDayLoading(true);
    try {
      const answer = await rpc.calendarDay(date, tz, page);
      if (mine !== dayTicket.current) return;
      setDayPage(before && before.date === date ? { ...answer, items: [...before.items, ...answer.items] } : answer);
    } catch (err) {
      if (mine === dayTicket.current) setError(err);
    } finally {
      if (mine === dayTicket.current) setDayLoading(false);
    }
  }, []);
  useEffect(() => { void loadDay(day); }, [day, loadDay]);

  const load = useCallback(async () => {
    try {
      setData(await rpc.calendarView(month, tz));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [month]);
  const [first, setFirst] = useState(true);
  useEffect(() => {
    if (!ready) return;
    // The boot month is shown as sent; any other month (or zone) is asked for.
    if (first && data && data.month === month) { setFirst(false); return; }
    setFirst(false);
    setData(null);
    void load();
  }, [load, ready]);

  /** Another month: the selected day belongs to the old one, so the day panel starts empty again. */
  const showMonth = (next: string) => { if (next !== month) setDay(null); setMonth(next); };

  if (editing) return html`<${Wizard} jobId=${editing} onDone=${(_j: JobDetailDto | null) => { setEditing(null); void load(); void loadDay(day); }} />`;

  const byDate = new Map<string, CalendarDay>((data?.days ?? []).map((d) => [d.date, d]));
  const [y, m] = month.split('-').map(Number) as [number, number];
  const firstWeekday = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const max = Math.max(0, ...(data?.days ?? []).map((d) => d.run_count));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(serverNow ?? new Date());
  const cells: (string | null)[] = [...Array(firstWeekday).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const selected = day && dayPage?.date === day ? dayPage : null;

  async function act(kind: 'run' | 'pause' | 'resume', jobId: string, name: string) {
    setNotice('');
    try {
      if (kind === 'run') { const r = await rpc.runJobNow(jobId); setNotice(`${name}: ${r.status}, ${r.videos_added} added.`); }
      else if (kind === 'pause') { await rpc.pauseJob(jobId); setNotice(`${name} paused.`); }
      else { await rpc.resumeJob(jobId); setNotice(`${name} resumed.`); }
      await Promise.all([load(), loadDay(day)]);
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
    <div class="legend row small" aria-label="Legend">
      ${KINDS.slice(0, 5).map((k) => html`<span key=${k} class="row"><span class=${`dot ${k}`} aria-hidden="true"></span>${k}</span>`)}
      <span class="row">Runs per day: ${[0, 1, 2, 3, 4].map((h) => html`<span key=${h} class=${`heat-swatch h${h}`} aria-hidden="true"></span>`)}</span>
      <span class="muted">Times in ${tz}</span>
    </div>
    <${ErrorBanner} error=${error && errorMessage(error)} onRetry=${load} />
    ${notice ? html`<div class="banner info" role="status">${notice}</div>` : null}
    <div class="cal-layout">
      <div>
        ${!data && !error ? html`<${Loading} />` : null}
        ${data ? html`<table class="month" role="grid" aria-label=${`${monthTitle(month)} calendar`} onKeyDown=${onGridKey}>
          <thead><tr>${WEEK.map((w) => html`<th scope="col" key=${w}>${w}</th>`)}</tr></thead>
          <tbody>${weeks.map((week, wi) => html`<tr key=${wi}>${week.map((date, di) => {
            if (!date) return html`<td key=${`e${di}`} class="blank"></td>`;
            const d = byDate.get(date);
            const entries = d?.entries ?? [];
            const count = d?.total ?? entries.length;
            const label = ` ${monthTitle(month).split(' ')[0]}: ${count} occurrence(s), ${d?.run_count ?? 0} run(s). `;
            return html`<td key=${date} class=${`h${heat(d?.run_count ?? 0, max)}${date === today ? ' today' : ''}${date === day ? ' sel' : ''}`}>
              <button id=${`d-${date}`} class="day" aria-pressed=${date === day} tabIndex=${date === (day ?? today) || (!day && di === 0 && wi === 0) ? 0 : -1} onClick=${() => setDay(date)}>
                <span class="num">${Number(date.slice(8))}</span><span class="sr-only">${label}</span>
                ${entries.slice(0, 3).map((e, i) => html`<span key=${i} class=${`chip ${e.kind}`}>${fmtTime(e.at, tz)} ${e.job_name}</span>`)}
                ${count > Math.min(3, entries.length) ? html`<span class="more">+${fmtInt(count - Math.min(3, entries.length))} more</span>` : null}
              </button></td>`;
          })}</tr>`)}</tbody></table>` : null}
      </div>
      <aside class="day-panel" aria-label="Selected day">
        ${!day ? html`<p class="muted">Select a day to see and manage its jobs.</p>` : html`<div>
          <h2>${new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`))}</h2>
          ${!selected ? html`<${Loading} label="Loading the day…" />` : selected.total === 0 ? html`<p class="muted">Nothing scheduled or run on this day.</p>` : html`<ul class="list">
            ${selected.items.map((e, i) => html`<li key=${i}>
              <div class="spread"><strong class="ellipsis">${e.job_name}</strong><span class=${`badge ${e.kind}`}>${e.kind}</span></div>
              <div class="small muted">${fmtTime(e.at, tz)}</div>
              <div class="row" style="margin-top:4px">
                <button class="small" onClick=${() => void act('run', e.job_id, e.job_name)} aria-label=${`Run now: ${e.job_name}`}>Run now</button>
                ${e.paused
                  ? html`<button class="small" onClick=${() => void act('resume', e.job_id, e.job_name)} aria-label=${`Resume ${e.job_name}`}>Resume</button>`
                  : html`<button class="small" onClick=${() => void act('pause', e.job_id, e.job_name)} aria-label=${`Pause ${e.job_name}`}>Pause</button>`}
                <button class="small" onClick=${() => setEditing(e.job_id)} aria-label=${`Edit ${e.job_name}`}>Edit</button>
              </div></li>`)}</ul>`}
          ${selected && selected.items.length < selected.total ? html`<div class="more-jobs"><span class="small muted" role="status">Showing ${fmtInt(selected.items.length)} of ${fmtInt(selected.total)}</span>
            <button class="small" disabled=${dayLoading} onClick=${() => void loadDay(day, selected.page + 1, selected)}>${dayLoading ? 'Loading…' : 'Show more'}</button></div>` : null}
          <p class="small muted">${selected?.run_count ?? 0} run(s) on this day.</p>
        </div>`}
      </aside>
    </div>
  </main>`;
}
