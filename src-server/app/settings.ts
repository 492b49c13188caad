/** The scheduler's settings: defaults, validation with field-named errors, storage under `settings`. */
import { HEARTBEAT_MINUTES, YOUTUBE_DAILY_QUOTA, type HeartbeatMinutes } from '../domain/catalogue';
import { isValidTimeZone } from '../domain/timezone';
import { AppError, type Settings } from './contract';
import { KEYS, type PropertySnapshot } from './store';

export const SETTINGS_LIMITS = {
  run_history_rows: { min: 100, max: 50_000 },
  audit_rows: { min: 100, max: 50_000 },
  rate_limit_per_minute: { min: 1, max: 1_000 },
} as const;

export function defaultSettings(scriptTimeZone: string): Settings {
  return {
    default_timezone: scriptTimeZone || 'UTC',
    heartbeat_minutes: 5,
    daily_quota_budget: 9_000,
    run_history_rows: 5_000,
    audit_rows: 5_000,
    notification_email: '',
    rate_limit_per_minute: 60,
  };
}

/** The stored settings over the defaults; `defaultZone` is asked only when no zone is stored (a service call). */
export function readSettings(snapshot: PropertySnapshot, defaultZone: string | (() => string)): Settings {
  const stored = snapshot.json<Partial<Settings>>(KEYS.settings) ?? {};
  const zone = stored.default_timezone ?? (typeof defaultZone === 'function' ? defaultZone() : defaultZone);
  return { ...defaultSettings(zone), ...stored };
}

const EMAIL_RE = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export function isEmail(text: string): boolean {
  return EMAIL_RE.test(text);
}

function intIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Applies a patch to the current settings; every problem is reported with its field. */
export function applySettingsPatch(current: Settings, patch: unknown): Settings {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new AppError(422, 'validation_failed', 'Settings must be an object', [{ path: '', message: 'expected an object' }]);
  }
  const issues: { path: string; message: string }[] = [];
  const next: Settings = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    switch (key) {
      case 'default_timezone':
        if (typeof value !== 'string' || !isValidTimeZone(value))
          issues.push({ path: key, message: 'expected an IANA time zone, e.g. America/New_York' });
        else next.default_timezone = value;
        break;
      case 'heartbeat_minutes':
        if (!(HEARTBEAT_MINUTES as readonly unknown[]).includes(value))
          issues.push({ path: key, message: `expected one of ${HEARTBEAT_MINUTES.join(', ')}` });
        else next.heartbeat_minutes = value as HeartbeatMinutes;
        break;
      case 'daily_quota_budget':
        if (!intIn(value, 1, YOUTUBE_DAILY_QUOTA))
          issues.push({ path: key, message: `expected a whole number of units from 1 to ${YOUTUBE_DAILY_QUOTA}` });
        else next.daily_quota_budget = value as number;
        break;
      case 'run_history_rows':
      case 'audit_rows':
      case 'rate_limit_per_minute': {
        const { min, max } = SETTINGS_LIMITS[key];
        if (!intIn(value, min, max)) issues.push({ path: key, message: `expected a whole number from ${min} to ${max}` });
        else next[key] = value as number;
        break;
      }
      case 'notification_email':
        if (typeof value !== 'string' || (value !== '' && !isEmail(value.trim())))
          issues.push({ path: key, message: "expected an email address or '' for none" });
        else next.notification_email = value.trim();
        break;
      default:
        issues.push({ path: key, message: 'unknown setting' });
    }
  }
  if (issues.length > 0) {
    throw new AppError(422, 'validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return next;
}
