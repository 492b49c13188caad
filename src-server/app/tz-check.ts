/**
 * Time-zone self-check: Intl's offset (which croner and the scheduler use) against the platform's own
 * date formatter (the TimeZoneOracle port), for every zone in use. A difference means occurrences would be computed in
 * the wrong local time, so health warns.
 */
import type { TimeZoneOracle } from '../ports';
import { offsetMinutesAt } from '../domain/timezone';

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

export interface ZoneCheck {
  zone: string;
  ok: boolean;
  intl_offset: string;
  apps_script_offset: string;
}

export function checkZones(oracle: TimeZoneOracle, zones: Iterable<string>, now: Date): ZoneCheck[] {
  const out: ZoneCheck[] = [];
  for (const zone of [...new Set(zones)].sort()) {
    let intl = 'unknown';
    let gas = 'unknown';
    try {
      intl = formatOffset(offsetMinutesAt(zone, now.getTime()));
    } catch {
      intl = 'unsupported';
    }
    try {
      gas = oracle.formatDate(now, zone, 'Z');
    } catch {
      gas = 'unsupported';
    }
    out.push({ zone, ok: intl === gas, intl_offset: intl, apps_script_offset: gas });
  }
  return out;
}
