/**
 * Time zone choices: "UTC" first, then every IANA zone Intl knows, named the modern way. Intl (ICU)
 * still reports some legacy aliases (Asia/Calcutta); both spellings are valid IANA names that Intl
 * and so the server accept, and the modern one is what people look for, so it is shown and stored.
 */

/** Legacy alias -> modern name, for the aliases Intl commonly returns. */
const MODERN: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'Etc/UTC': 'UTC',
  'Etc/UCT': 'UTC',
  'Etc/Universal': 'UTC',
  'Etc/Zulu': 'UTC',
  UCT: 'UTC',
  Universal: 'UTC',
  Zulu: 'UTC',
};

/** The modern spelling of a zone (unknown or already modern names are returned as they are). */
export const modernZone = (zone: string): string => MODERN[zone] ?? zone;

const FALLBACK = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
];

let cached: string[] | null = null;

/** Every zone to offer: UTC first, then the IANA zones by name, modern spellings, no duplicates. */
export function allZones(): string[] {
  if (cached) return cached;
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const names = (supported ? supported('timeZone') : FALLBACK).map(modernZone).filter((z) => z !== 'UTC');
  cached = ['UTC', ...[...new Set(names)].sort()];
  return cached;
}

/** The options of a zone picker: every zone, plus `current` when it is not one of them (kept as stored). */
export function zoneOptions(current: string): string[] {
  const zones = allZones();
  return !current || zones.includes(current) ? zones : [current, ...zones];
}
