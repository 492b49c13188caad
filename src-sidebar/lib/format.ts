/** Formatting for people: dates in a given IANA zone, counts, percentages, durations. */

import { modernZone } from './zones';

/** The viewer's zone, named the modern way (Asia/Kolkata, not Intl's Asia/Calcutta). */
export const viewerZone = (): string => modernZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');

export function fmtDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone || viewerZone(),
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

export function fmtTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-US', { timeZone: timeZone || viewerZone(), hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(iso),
  );
}

/** "in 3 h", "5 min ago". */
export function fmtRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const unit = abs < 3600_000 ? ([60_000, 'min'] as const) : abs < 86_400_000 ? ([3600_000, 'h'] as const) : ([86_400_000, 'd'] as const);
  const n = Math.max(1, Math.round(abs / unit[0]));
  return diff >= 0 ? `in ${n} ${unit[1]}` : `${n} ${unit[1]} ago`;
}

export const fmtInt = (n: number | null | undefined): string => (n == null ? '—' : n.toLocaleString('en-US'));

export const fmtPercent = (r: number | null | undefined): string => (r == null ? '—' : `${Math.round(r * 100)}%`);

export function fmtDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** YYYY-MM-DD of an instant in a zone. */
export function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** The zone's short name at that instant ("EST", "CEST", or "GMT+1" where the zone has none). */
export function zoneAbbrev(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return (
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ??
    timeZone
  );
}

/** "Wed, Jan 14, 13:00 EST": an instant in a job's zone, labelled with the zone. */
export function fmtZonedDateTime(iso: string | null | undefined, timeZone: string): string {
  const text = fmtDateTime(iso, timeZone);
  return text === '—' || !iso ? text : `${text} ${zoneAbbrev(iso, timeZone)}`;
}
