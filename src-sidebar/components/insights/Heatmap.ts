/**
 * A day × hour upload heatmap as a real table: day rows and hour columns have headers, every cell
 * prints its count and names itself for screen readers; the shade repeats the count, it never carries
 * it alone.
 */
import { html } from '../../lib/html';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number): string => `${String(h % 24).padStart(2, '0')}:00`;

function level(count: number, max: number): number {
  if (count <= 0) return 0;
  return Math.max(1, Math.min(4, Math.ceil((count / max) * 4)));
}

export function Heatmap({ data, caption }: { data: number[][]; caption: string }) {
  const max = Math.max(1, ...data.flat());
  return html`<div class="heatmap-wrap"><table class="heatmap" data-testid="heatmap">
    <caption>${caption}</caption>
    <thead><tr><th scope="col"><span class="sr-only">Day</span></th>${HOURS.map((h) => html`<th scope="col" key=${h} abbr=${hh(h)} title=${hh(h)}>${h}</th>`)}</tr></thead>
    <tbody>${DAYS.map(
      (d, i) => html`<tr key=${d}><th scope="row" abbr=${DAY_NAMES[i]}>${d}</th>
      ${HOURS.map((h) => {
        const c = data[i]?.[h] ?? 0;
        return html`<td key=${h} class=${`heat-${level(c, max)}`} aria-label=${`${DAY_NAMES[i]} ${hh(h)}–${hh(h + 1)}: ${c} upload${c === 1 ? '' : 's'}`}>${c || ''}</td>`;
      })}</tr>`,
    )}</tbody>
  </table></div>`;
}

/** "45 min", "2 h", "1 d 6 h". */
export function fmtMinutes(minutes: number | null | undefined): string {
  if (minutes == null) return '—';
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 1440) {
    const h = Math.floor(minutes / 60);
    const m = Math.round(minutes % 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const hours = Math.round(minutes / 60);
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${hours / 24} d`;
}
