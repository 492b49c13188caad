/** ScriptApp: time-driven triggers (with Apps Script's limits), project triggers, the web app URL, authorization info. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GasException, MESSAGES } from './errors';
import type { Scope } from './execution';
import { enumOf, registerType } from './registry';
import { formatDate } from './utilities';

/** Quotas page: "Triggers 20 / user / script". */
export const MAX_TRIGGERS_PER_USER = 20;
/**
 * Class ClockTriggerBuilder reference (https://developers.google.com/apps-script/reference/script/clock-trigger-builder),
 * everyMinutes(n): "n must be 1, 5, 10, 15 or 30". The reference does not print the error text; ours names the allowed values.
 */
export const EVERY_MINUTES_ALLOWED = [1, 5, 10, 15, 30] as const;
export const EVERY_HOURS_ALLOWED = [1, 2, 4, 6, 8, 12] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type TriggerSchedule = 'everyMinutes' | 'everyHours' | 'everyDays' | 'everyWeeks' | 'at';

export interface TriggerRecord {
  uid: string;
  handler: string;
  schedule: TriggerSchedule;
  /** The user who created it: it runs as this user and only this user's executions see it. */
  owner: string;
  /** Period of recurring triggers. */
  intervalMs: number | null;
  /** Next nominal occurrence (ms); null once a one-off trigger has fired (it stays listed until deleted, as in Apps Script). */
  nextAtMs: number | null;
  /** When that occurrence actually fires: the nominal instant plus the modelled lateness (see TriggerTiming). */
  fireAtMs: number | null;
  /** Daily and weekly triggers: the fixed offset within the hour Apps Script picked for this trigger. */
  offsetMs: number;
  createdAtMs: number;
  lastFiredAtMs: number | null;
}

/** JSON view of a trigger (tests and the dev server read these). */
export interface TriggerInfo {
  uid: string;
  handler: string;
  schedule: TriggerSchedule;
  owner: string;
  intervalMs: number | null;
  nextAt: string | null;
  fireAt: string | null;
  createdAt: string;
  lastFiredAt: string | null;
}

export function triggerInfo(t: TriggerRecord): TriggerInfo {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    uid: t.uid,
    handler: t.handler,
    schedule: t.schedule,
    owner: t.owner,
    intervalMs: t.intervalMs,
    nextAt: iso(t.nextAtMs),
    fireAt: iso(t.fireAtMs),
    createdAt: new Date(t.createdAtMs).toISOString(),
    lastFiredAt: iso(t.lastFiredAtMs),
  };
}

/** Restores a trigger; snapshots from before per-user triggers belong to `defaultOwner` and fire on time. */
export function triggerFromInfo(i: TriggerInfo, defaultOwner: string): TriggerRecord {
  const ms = (s: string | null | undefined) => (s === null || s === undefined ? null : Date.parse(s));
  const nextAtMs = ms(i.nextAt);
  return {
    uid: i.uid,
    handler: i.handler,
    schedule: i.schedule,
    owner: i.owner ?? defaultOwner,
    intervalMs: i.intervalMs,
    nextAtMs,
    fireAtMs: i.fireAt === undefined ? nextAtMs : ms(i.fireAt),
    offsetMs: 0,
    createdAtMs: Date.parse(i.createdAt),
    lastFiredAtMs: ms(i.lastFiredAt),
  };
}

/**
 * When triggers fire. 'exact' (the harness default): at their nominal instants. Otherwise late, by a
 * seeded random delay within these bounds, modelled on the Installable triggers guide ("The time may be
 * slightly randomized — for example, if you create a recurring 9 a.m. trigger, Apps Script chooses a
 * time between 9 a.m. and 10 a.m., then keeps that timing consistent from day to day") and on
 * ClockTriggerBuilder.after ("The actual duration might vary, but won't be less than your specified
 * minimum"): never early, one-off triggers up to `oneOffMaxLateMs` late, each occurrence of an
 * everyMinutes/everyHours trigger up to `periodicMaxLateMs` (at most a quarter of its period) late
 * around its fixed grid, daily/weekly ones at a fixed offset within `dailyWindowMs` after the hour.
 */
export interface TriggerTimingOptions {
  seed?: number;
  oneOffMaxLateMs?: number;
  periodicMaxLateMs?: number;
  dailyWindowMs?: number;
}
export type TriggerTiming = 'exact' | TriggerTimingOptions;

export const LATE_TIMING_DEFAULTS: Required<TriggerTimingOptions> = {
  seed: 1,
  oneOffMaxLateMs: 5 * MINUTE,
  periodicMaxLateMs: 2 * MINUTE,
  dailyWindowMs: HOUR,
};

/** mulberry32: a small seeded generator, so a late-firing run can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class TriggerStore {
  readonly list: TriggerRecord[] = [];
  nextUid = 1;
  #late: Required<TriggerTimingOptions> | null = null;
  #random: () => number = () => 0;

  setTiming(timing: TriggerTiming | undefined): void {
    if (!timing || timing === 'exact') {
      this.#late = null;
      return;
    }
    this.#late = { ...LATE_TIMING_DEFAULTS, ...timing };
    this.#random = seededRandom(this.#late.seed);
  }

  get timing(): TriggerTiming {
    return this.#late ? { ...this.#late } : 'exact';
  }

  /** The triggers `user` sees (getProjectTriggers: "the current project and current user"). */
  of(user: string): TriggerRecord[] {
    return this.list.filter((t) => t.owner === user);
  }

  /** The earliest trigger firing at or before `nowMs` (ties: creation order). */
  nextDue(nowMs: number): TriggerRecord | undefined {
    let best: TriggerRecord | undefined;
    for (const t of this.list)
      if (t.fireAtMs !== null && t.fireAtMs <= nowMs && (!best || t.fireAtMs < (best.fireAtMs as number))) best = t;
    return best;
  }

  /** A new trigger's fixed offset (daily/weekly triggers; 0 when exact). */
  offsetFor(schedule: TriggerSchedule): number {
    if (!this.#late || (schedule !== 'everyDays' && schedule !== 'everyWeeks')) return 0;
    return Math.floor(this.#random() * this.#late.dailyWindowMs);
  }

  /** Sets the next nominal occurrence and when it will actually fire. */
  schedule(t: TriggerRecord, nominalMs: number | null): void {
    t.nextAtMs = nominalMs;
    if (nominalMs === null) {
      t.fireAtMs = null;
      return;
    }
    let late = t.offsetMs;
    if (this.#late && t.schedule === 'at') late = Math.floor(this.#random() * this.#late.oneOffMaxLateMs);
    else if (this.#late && t.intervalMs !== null && (t.schedule === 'everyMinutes' || t.schedule === 'everyHours')) {
      late = Math.floor(this.#random() * Math.min(this.#late.periodicMaxLateMs, t.intervalMs / 4));
    }
    t.fireAtMs = nominalMs + late;
  }

  /** At a fire at `nowMs`: recurring triggers move to their next nominal period after `nowMs`; one-offs are spent. */
  reschedule(t: TriggerRecord, nowMs: number): void {
    t.lastFiredAtMs = nowMs;
    if (t.intervalMs === null || t.nextAtMs === null) {
      this.schedule(t, null);
      return;
    }
    this.schedule(t, this.#nextPeriod(t.nextAtMs, t.intervalMs, nowMs));
  }

  /** An execution that ran past its trigger's next occurrence: the periods it overlapped are skipped (sequential firing). */
  skipOverrun(t: TriggerRecord, nowMs: number): void {
    if (t.intervalMs === null || t.nextAtMs === null || t.nextAtMs > nowMs) return;
    this.schedule(t, this.#nextPeriod(t.nextAtMs - t.intervalMs, t.intervalMs, nowMs));
  }

  #nextPeriod(fromMs: number, intervalMs: number, nowMs: number): number {
    let next = fromMs + intervalMs;
    if (next <= nowMs) next += Math.ceil((nowMs - next + 1) / intervalMs) * intervalMs;
    return next;
  }
}

class TriggerFake implements Pick<
  GoogleAppsScript.Script.Trigger,
  'getUniqueId' | 'getHandlerFunction' | 'getEventType' | 'getTriggerSource' | 'getTriggerSourceId'
> {
  constructor(readonly _record: TriggerRecord) {}
  getUniqueId(): string {
    return this._record.uid;
  }
  getHandlerFunction(): string {
    return this._record.handler;
  }
  getEventType(): GoogleAppsScript.Script.EventType {
    return 'CLOCK' as unknown as GoogleAppsScript.Script.EventType;
  }
  getTriggerSource(): GoogleAppsScript.Script.TriggerSource {
    return 'CLOCK' as unknown as GoogleAppsScript.Script.TriggerSource;
  }
  getTriggerSourceId(): string {
    return null as unknown as string;
  }
}
registerType(TriggerFake, 'ScriptApp.Trigger');

type GasClockBuilder = GoogleAppsScript.Script.ClockTriggerBuilder;
const builder = (v: object): GasClockBuilder => v as unknown as GasClockBuilder;

class ClockTriggerBuilderFake implements Pick<
  GasClockBuilder,
  | 'after'
  | 'at'
  | 'everyMinutes'
  | 'everyHours'
  | 'everyDays'
  | 'everyWeeks'
  | 'atHour'
  | 'nearMinute'
  | 'inTimezone'
  | 'onWeekDay'
  | 'create'
> {
  #schedule: TriggerSchedule | null = null;
  #intervalMs: number | null = null;
  #atMs: number | null = null;
  #hour: number | null = null;
  #minute = 0;
  #weekDay: number | null = null;
  #timeZone: string;

  constructor(
    private readonly handler: string,
    private readonly scope: Scope,
  ) {
    this.#timeZone = scope.world.config.scriptTimeZone;
  }

  #set(schedule: TriggerSchedule, intervalMs: number | null, atMs: number | null): GasClockBuilder {
    this.#schedule = schedule;
    this.#intervalMs = intervalMs;
    this.#atMs = atMs;
    return builder(this);
  }

  after(durationMilliseconds: number): GasClockBuilder {
    const ms = Number(durationMilliseconds);
    if (!Number.isFinite(ms) || ms < 0) throw new GasException('Invalid argument: durationMilliseconds');
    return this.#set('at', null, this.scope.world.clock.nowMs() + ms);
  }
  at(date: GoogleAppsScript.Base.Date): GasClockBuilder {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new GasException('Invalid argument: date');
    return this.#set('at', null, date.getTime());
  }
  everyMinutes(n: number): GasClockBuilder {
    if (!(EVERY_MINUTES_ALLOWED as readonly number[]).includes(Number(n))) {
      throw new GasException(`Invalid argument: minutes. The value passed to everyMinutes() must be 1, 5, 10, 15 or 30, not ${String(n)}.`);
    }
    return this.#set('everyMinutes', Number(n) * MINUTE, null);
  }
  everyHours(n: number): GasClockBuilder {
    if (!(EVERY_HOURS_ALLOWED as readonly number[]).includes(Number(n))) {
      throw new GasException(`Invalid argument: hours. The value passed to everyHours() must be 1, 2, 4, 6, 8 or 12, not ${String(n)}.`);
    }
    return this.#set('everyHours', Number(n) * HOUR, null);
  }
  everyDays(n: number): GasClockBuilder {
    if (!Number.isInteger(Number(n)) || Number(n) < 1) throw new GasException('Invalid argument: days');
    return this.#set('everyDays', Number(n) * DAY, null);
  }
  everyWeeks(n: number): GasClockBuilder {
    if (!Number.isInteger(Number(n)) || Number(n) < 1) throw new GasException('Invalid argument: weeks');
    return this.#set('everyWeeks', Number(n) * 7 * DAY, null);
  }
  atHour(hour: number): GasClockBuilder {
    const h = Number(hour);
    if (!Number.isInteger(h) || h < 0 || h > 23) throw new GasException('Invalid argument: hour');
    this.#hour = h;
    return builder(this);
  }
  nearMinute(minute: number): GasClockBuilder {
    const m = Number(minute);
    if (!Number.isInteger(m) || m < 0 || m > 59) throw new GasException('Invalid argument: minute');
    this.#minute = m;
    return builder(this);
  }
  inTimezone(timezone: string): GasClockBuilder {
    this.#timeZone = String(timezone);
    return builder(this);
  }
  onWeekDay(day: GoogleAppsScript.Base.Weekday): GasClockBuilder {
    const i = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'].indexOf(String(day));
    if (i < 0) throw new GasException('Invalid argument: day');
    this.#weekDay = i;
    return builder(this);
  }

  /** First instant after now at the chosen hour/minute (and weekday) in the trigger's zone. */
  #firstAligned(nowMs: number): number {
    const start = Math.floor(nowMs / MINUTE) * MINUTE + MINUTE;
    const hour = this.#hour ?? 0;
    for (let t = start; t < start + 8 * DAY + 2 * HOUR; t += 15 * MINUTE) {
      const d = new Date(t);
      if (Number(formatDate(d, this.#timeZone, 'H')) !== hour) continue;
      if (
        this.#weekDay !== null &&
        formatDate(d, this.#timeZone, 'EEEE').toUpperCase() !==
          ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'][this.#weekDay]
      )
        continue;
      const hourStart = t - Number(formatDate(d, this.#timeZone, 'm')) * MINUTE;
      const at = hourStart + this.#minute * MINUTE;
      if (at > nowMs) return at;
    }
    return nowMs + (this.#intervalMs ?? DAY);
  }

  create(): GoogleAppsScript.Script.Trigger {
    const { world } = this.scope;
    if (this.#schedule === null)
      throw new GasException(
        'Invalid argument: the trigger has no schedule (call everyMinutes, everyHours, everyDays, everyWeeks, at or after first).',
      );
    // Quotas page: "Triggers 20 / user / script": only this user's triggers count.
    if (world.triggers.of(this.scope.exec.user).length >= MAX_TRIGGERS_PER_USER) throw new GasException(MESSAGES.tooManyTriggers);
    const now = world.clock.nowMs();
    let nextAtMs: number;
    if (this.#schedule === 'at') nextAtMs = this.#atMs as number;
    else if (this.#schedule === 'everyDays' || this.#schedule === 'everyWeeks') nextAtMs = this.#firstAligned(now);
    else nextAtMs = now + (this.#intervalMs as number);
    const record: TriggerRecord = {
      uid: String(world.triggers.nextUid++ + 8_000_000_000),
      handler: this.handler,
      schedule: this.#schedule,
      owner: this.scope.exec.user,
      intervalMs: this.#intervalMs,
      nextAtMs,
      fireAtMs: nextAtMs,
      offsetMs: world.triggers.offsetFor(this.#schedule),
      createdAtMs: now,
      lastFiredAtMs: null,
    };
    world.triggers.schedule(record, nextAtMs);
    world.triggers.list.push(record);
    return new TriggerFake(record) as unknown as GoogleAppsScript.Script.Trigger;
  }
}
registerType(ClockTriggerBuilderFake, 'ScriptApp.ClockTriggerBuilder');

class TriggerBuilderFake implements Pick<GoogleAppsScript.Script.TriggerBuilder, 'timeBased'> {
  constructor(
    private readonly handler: string,
    private readonly scope: Scope,
  ) {}
  timeBased(): GasClockBuilder {
    return builder(new ClockTriggerBuilderFake(this.handler, this.scope));
  }
}
registerType(TriggerBuilderFake, 'ScriptApp.TriggerBuilder');

class ServiceFake implements Pick<GoogleAppsScript.Script.Service, 'getUrl' | 'isEnabled'> {
  constructor(private readonly url: string) {}
  getUrl(): string {
    return this.url;
  }
  isEnabled(): boolean {
    return true;
  }
}
registerType(ServiceFake, 'ScriptApp.Service');

/**
 * Class AuthorizationInfo (https://developers.google.com/apps-script/reference/script/authorization-info):
 * the emulated user has granted every scope of the manifest (appsscript.json oauthScopes), so the status
 * is NOT_REQUIRED and getAuthorizationUrl() is null; getAuthorizedScopes() lists the granted scopes, only
 * those among the requested ones when a list was passed, as the reference describes.
 */
class AuthorizationInfoFake {
  constructor(private readonly granted: string[]) {}
  getAuthorizationStatus(): string {
    return 'NOT_REQUIRED';
  }
  getAuthorizationUrl(): string | null {
    return null;
  }
  getAuthorizedScopes(): string[] {
    return [...this.granted];
  }
}
registerType(AuthorizationInfoFake, 'ScriptApp.AuthorizationInfo');

/** The manifest's oauthScopes (build/appsscript.json); none when the runtime runs inline code without one. */
function manifestScopes(buildDir: string | null): string[] {
  if (!buildDir) return [];
  const path = join(buildDir, 'appsscript.json');
  if (!existsSync(path)) return [];
  try {
    const scopes = (JSON.parse(readFileSync(path, 'utf8')) as { oauthScopes?: unknown }).oauthScopes;
    return Array.isArray(scopes) ? scopes.map(String) : [];
  } catch {
    return [];
  }
}

export class ScriptAppFake implements Pick<
  GoogleAppsScript.Script.ScriptApp,
  'newTrigger' | 'getProjectTriggers' | 'deleteTrigger' | 'getService' | 'getScriptId' | 'getOAuthToken'
> {
  constructor(private readonly scope: Scope) {}

  newTrigger(functionName: string): GoogleAppsScript.Script.TriggerBuilder {
    if (typeof functionName !== 'string' || functionName === '') throw new GasException('Invalid argument: functionName');
    return new TriggerBuilderFake(functionName, this.scope) as unknown as GoogleAppsScript.Script.TriggerBuilder;
  }
  /**
   * Reference: "Gets all installable triggers associated with the current project and current user";
   * the Installable triggers guide: "A given account cannot see triggers installed from a second
   * account, even though the first account can still activate those triggers."
   */
  getProjectTriggers(): GoogleAppsScript.Script.Trigger[] {
    return this.scope.world.triggers.of(this.scope.exec.user).map((t) => new TriggerFake(t) as unknown as GoogleAppsScript.Script.Trigger);
  }
  /**
   * A user only ever holds Trigger objects of their own (another user's are invisible to them); a
   * Trigger of another user is refused rather than deleted (the reference is silent: stricter reading).
   */
  deleteTrigger(trigger: GoogleAppsScript.Script.Trigger): void {
    if (!(trigger instanceof TriggerFake)) throw new GasException('Invalid argument: trigger');
    if (trigger._record.owner !== this.scope.exec.user) throw new GasException('Invalid argument: trigger (it belongs to another user)');
    const list = this.scope.world.triggers.list;
    const i = list.findIndex((t) => t.uid === trigger._record.uid);
    if (i >= 0) list.splice(i, 1);
  }
  getService(): GoogleAppsScript.Script.Service {
    return new ServiceFake(this.scope.world.config.webAppUrl) as unknown as GoogleAppsScript.Script.Service;
  }
  getScriptId(): string {
    return this.scope.world.config.scriptId;
  }
  getOAuthToken(): string {
    return 'emulator-oauth-token';
  }
  getAuthorizationInfo(authMode: unknown, oAuthScopes?: string[]): AuthorizationInfoFake {
    if (authMode === undefined || authMode === null) throw new GasException('Invalid argument: authMode');
    const granted = manifestScopes(this.scope.world.config.buildDir);
    const requested = Array.isArray(oAuthScopes) ? oAuthScopes.map(String) : null;
    return new AuthorizationInfoFake(requested ? granted.filter((s) => requested.includes(s)) : granted);
  }
}
registerType(ScriptAppFake, 'ScriptApp', {
  EventType: enumOf('CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE', 'ON_EVENT_UPDATED'),
  TriggerSource: enumOf('SPREADSHEETS', 'CLOCK', 'FORMS', 'DOCUMENTS', 'CALENDAR'),
  AuthMode: enumOf('NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL'),
  AuthorizationStatus: enumOf('REQUIRED', 'NOT_REQUIRED'),
  WeekDay: enumOf('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'),
});
