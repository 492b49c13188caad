/**
 * The calendar: month grid with a chip per job and day coloured by its most telling occurrence
 * (failed, missed … scheduled), days tinted by their worst outcome, month navigation, and a day panel
 * to manage jobs. Bounded at any job count (docs/operations.md "Payloads"): the month carries per-day
 * counts and at most three chips (calendarStart, or the page's boot JSON); the selected day comes in
 * full from calendarDay, a page at a time.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CalendarDay, CalendarDayPageDto, CalendarStartDto, JobDetailDto } from '../../../src-server/app/contract';
import type { CalendarBoot } from '../../../src-server/boot';
import { html } from '../../lib/html';
import { rpc, errorMessage } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { fmtInt, fmtTime, viewerZone, zoneAbbrev } from '../../lib/format';
import { bootData, usePageVisible, usePolling } from '../../lib/host';
import { RunFeedback, useRunNow } from '../../lib/run';
import { useZoneMode, ZoneSwitch } from '../../lib/zone-mode';
import { Wizard } from '../wizard/Wizard';

const LEGEND: [string, string][] = [
  ['succeeded', 'Succeeded'],
  ['partial', 'Partial'],
  ['missed', 'Missed'],
  ['failed', 'Failed'],
  ['scheduled', 'Scheduled'],
];
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

/** A day's worst outcome (from its counts by kind): the day's tint and what the legend names. */
const OUTCOME_ORDER = ['failed', 'missed', 'partial', 'succeeded'] as const;
function dayOutcome(d: CalendarDay | undefined): string {
  return OUTCOME_ORDER.find((k) => (d?.counts?.[k] ?? 0) > 0) ?? '';
}
const REFRESH_MS = 60_000;

/** The opener's month (calendarStart(null, null): the jobs' zone); an older boot without job_zone was made in its own zone. */
function bootStart(boot: Partial<CalendarBoot>): CalendarStartDto | null {
  const cal = boot.calendar;
  const now = cal?.now ?? boot.now;
  return cal && now ? { ...cal, now, job_zone: cal.job_zone ?? cal.time_zone } : null;
}

export function Calendar() {
  const mode = useZoneMode();
  // The opener sends this month in the jobs' zone with the server's clock (boot JSON): shown as is in
  // "job zone" mode (or when the viewer is in that zone), so the page needs no second execution.
  const [first] = useState(() => {
    const start = bootStart(bootData<CalendarBoot>());
    return start && (mode === 'job' || start.time_zone === viewerZone()) ? start : null;
  });
  const [month, setMonth] = useState<string | null>(first?.month ?? null);
  const [data, setData] = useState<CalendarStartDto | null>(first);
  const [error, setError] = useState<unknown>(null);
  const [day, setDay] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const visible = usePageVisible();
  const { runs, start, dismiss } = useRunNow();
  // "Job zone": the zone the jobs share (else the spreadsheet's default), as the server answers it.
  const tz = mode === 'mine' ? viewerZone() : (data?.job_zone ?? viewerZone());

  // One round trip per view: the month (null: the server's current one), its clock and the jobs' state.
  // The month and mode the shown data answers: the first answer names the month, which needs no second call.
  const loadedKey = useRef(first ? `${first.month}|${mode}` : '');
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
  useEffect(() => {
    if (loadedKey.current !== `${month}|${mode}`) void load();
  }, [load]);

  // The selected day in full, a page at a time (the month carries counts and the first chips per day).
  const [dayPage, setDayPage] = useState<CalendarDayPageDto | null>(null);
  const [dayLoading, setDayLoading] = useState(false);
  const dayTicket = useRef(0);
  const loadDay = useCallback(
    async (date: string | null, page = 1, before: CalendarDayPageDto | null = null) => {
      const mine = ++dayTicket.current;
      if (!date) {
        setDayPage(null);
        return;
      }
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
    },
    [tz],
  );
  useEffect(() => {
    void loadDay(day);
  }, [day, loadDay]);

  // While open and visible: refreshed every minute (runs land, the schedule moves on); the day panel
  // too while it shows its first page (a longer listing stays as the user paged it).
  const refresh = useCallback(async () => {
    await load();
    if (day && (!dayPage || dayPage.page === 1)) await loadDay(day);
  }, [load, loadDay, day, dayPage]);
  usePolling(refresh, REFRESH_MS, visible && !editing);
  const serverNow = data ? new Date(data.now) : null;
  /** Another month: the selected day belongs to the old one, so the day panel starts empty again. */
  const showMonth = (next: string) => {
    if (next !== month) setDay(null);
    setMonth(next);
  };
  const shown = data && data.month === month ? data : null;

  if (editing)
    return html`<${Wizard} jobId=${editing} onDone=${(_j: JobDetailDto | null) => {
      setEditing(null);
      void load();
      void loadDay(day);
    }} />`;

  if (!month)
    return html`<main class="page calendar"><${ErrorBanner} error=${error && errorMessage(error)} onRetry=${load} />${error ? null : html`<${Loading} />`}</main>`;
  const byDate = new Map<string, CalendarDay>((shown?.days ?? []).map((d) => [d.date, d]));
  const [y, m] = month.split('-').map(Number) as [number, number];
  const firstWeekday = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    serverNow ?? new Date(),
  );
  const cells: (string | null)[] = [
    ...Array(firstWeekday).fill(null),
    ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`),
  ];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const selected = day && dayPage?.date === day ? dayPage : null;

  async function act(kind: 'run' | 'pause' | 'resume', jobId: string, name: string) {
    setNotice('');
    setError(null);
    try {
      if (kind === 'run') {
        await start(jobId);
      } else if (kind === 'pause') {
        await rpc.pauseJob(jobId);
        setNotice(`${name} paused.`);
      } else {
        await rpc.resumeJob(jobId);
        setNotice(`${name} resumed.`);
      }
      await Promise.all([load(), loadDay(day)]);
    } catch (err) {
      setError(err);
    }
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
        ${
          shown
            ? html`<table class="month" role="grid" aria-label=${`${monthTitle(month)} calendar`} onKeyDown=${onGridKey}>
          <thead><tr>${WEEK.map((w) => html`<th scope="col" key=${w}>${w}</th>`)}</tr></thead>
          <tbody>${weeks.map(
            (week, wi) =>
              html`<tr key=${wi}>${week.map((date, di) => {
                if (!date) return html`<td key=${`e${di}`} class="blank"></td>`;
                const d = byDate.get(date);
                const outcome = dayOutcome(d);
                // One chip per job and day (its most telling outcome, how many times), as the server ranks
                // them (problems first): names stay readable; the day's other jobs are "+N more".
                const chips = d?.chips ?? [];
                const hidden = Math.max(0, (d?.jobs ?? chips.length) - chips.length);
                const label = ` ${monthTitle(month).split(' ')[0]}: ${d?.total ?? 0} occurrence(s) of ${d?.jobs ?? 0} job(s), ${d?.run_count ?? 0} run(s)${outcome ? `, worst outcome ${outcome}` : ''}. `;
                return html`<td key=${date} class=${`${outcome ? `o-${outcome}` : ''}${date === today ? ' today' : ''}${date === day ? ' sel' : ''}`}>
              <button id=${`d-${date}`} class="day" aria-pressed=${date === day} tabIndex=${date === (day ?? today) || (!day && di === 0 && wi === 0) ? 0 : -1} onClick=${() => setDay(date)}>
                <span class="num">${Number(date.slice(8))}</span><span class="sr-only">${label}</span>
                ${chips.map((c) => html`<span key=${c.job_id} class=${`chip ${c.kind}`} title=${c.count > 1 ? `${c.job_name} — ${c.kind}: ${c.count} times from ${fmtTime(c.at, tz)}` : `${c.job_name} — ${c.kind}: ${fmtTime(c.at, tz)}`}>${c.job_name}${c.count > 1 ? html`<span class="t"> ×${c.count}</span>` : null}</span>`)}
                ${hidden > 0 ? html`<span class="more">+${fmtInt(hidden)} more</span>` : null}
              </button></td>`;
              })}</tr>`,
          )}</tbody></table>`
            : null
        }
      </div>
      <aside class="day-panel" aria-label="Selected day">
        ${
          !day
            ? html`<p class="muted">Select a day to see and manage its jobs.</p>`
            : html`<div>
          <h2>${new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`))}</h2>
          ${
            !selected
              ? html`<${Loading} label="Loading the day…" />`
              : selected.total === 0
                ? html`<p class="muted">Nothing scheduled or run on this day.</p>`
                : html`<ul class="list">
            ${selected.items.map(
              (e, i) => html`<li key=${i}>
              <div class="spread"><strong class="ellipsis" title=${e.job_name}>${e.job_name}</strong><span class=${`badge ${e.kind}`}>${e.kind}</span></div>
              <div class="small muted">${fmtTime(e.at, tz)} (${zoneAbbrev(e.at, tz)})</div>
              ${runs[e.job_id] ? html`<${RunFeedback} view=${runs[e.job_id]} name=${e.job_name} jobId=${e.job_id} tab=${e.tab} compact=${true} onDismiss=${() => dismiss(e.job_id)} />` : null}
              <div class="row" style="margin-top:4px">
                <button class="small" disabled=${runs[e.job_id]?.kind === 'running'} onClick=${() => void act('run', e.job_id, e.job_name)} aria-label=${runs[e.job_id]?.kind === 'running' ? `Running: ${e.job_name}` : `Run now: ${e.job_name}`}>${runs[e.job_id]?.kind === 'running' ? 'Running…' : 'Run now'}</button>
                ${
                  e.paused
                    ? html`<button class="small" onClick=${() => void act('resume', e.job_id, e.job_name)} aria-label=${`Resume ${e.job_name}`}>Resume</button>`
                    : html`<button class="small" onClick=${() => void act('pause', e.job_id, e.job_name)} aria-label=${`Pause ${e.job_name}`}>Pause</button>`
                }
                <button class="small" onClick=${() => setEditing(e.job_id)} aria-label=${`Edit ${e.job_name}`}>Edit</button>
              </div></li>`,
            )}</ul>`
          }
          ${
            selected && selected.items.length < selected.total
              ? html`<div class="more-jobs"><span class="small muted" role="status">Showing ${fmtInt(selected.items.length)} of ${fmtInt(selected.total)}</span>
            <button class="small" disabled=${dayLoading} onClick=${() => void loadDay(day, selected.page + 1, selected)}>${dayLoading ? 'Loading…' : 'Show more'}</button></div>`
              : null
          }
          <p class="small muted">${selected?.run_count ?? 0} run(s) on this day.</p>
        </div>`
        }
      </aside>
    </div>
  </main>`;
}
