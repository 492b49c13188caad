/** MailApp: sends are recorded; the daily recipient quota rolls 24 h after the first send of a window. */
import { GasException, MESSAGES } from './errors';
import type { Scope } from './execution';
import { registerType } from './registry';

export const MAIL_DAILY_RECIPIENTS = { consumer: 100, workspace: 1500 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const SUBJECT_MAX = 250;

export interface SentMail {
  to: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  name?: string;
  subject: string;
  body: string;
  htmlBody?: string;
  sentAt: string;
}

/** A quota that resets 24 h after the first use of its window (how Apps Script's daily quotas roll). */
export class RollingQuota {
  windowStartMs: number | null = null;
  used = 0;
  constructor(public limit: number) {}

  #roll(nowMs: number): void {
    if (this.windowStartMs !== null && nowMs >= this.windowStartMs + DAY_MS) {
      this.windowStartMs = null;
      this.used = 0;
    }
  }
  remaining(nowMs: number): number {
    this.#roll(nowMs);
    return Math.max(0, this.limit - this.used);
  }
  /** Returns false (and charges nothing) when `n` more would exceed the limit. */
  take(nowMs: number, n: number): boolean {
    this.#roll(nowMs);
    if (this.used + n > this.limit) return false;
    this.windowStartMs ??= nowMs;
    this.used += n;
    return true;
  }
  /** Charges usage even past the limit (runtime already spent cannot be refused). */
  charge(nowMs: number, n: number): void {
    this.#roll(nowMs);
    this.windowStartMs ??= nowMs;
    this.used += n;
  }
  toJSON(): { limit: number; used: number; windowStart: string | null } {
    return {
      limit: this.limit,
      used: this.used,
      windowStart: this.windowStartMs === null ? null : new Date(this.windowStartMs).toISOString(),
    };
  }
  restore(j: { used: number; windowStart: string | null }): void {
    this.used = j.used;
    this.windowStartMs = j.windowStart === null ? null : Date.parse(j.windowStart);
  }
}

export class MailStore {
  readonly sent: SentMail[] = [];
  readonly quota: RollingQuota;
  constructor(limit: number) {
    this.quota = new RollingQuota(limit);
  }
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

function recipients(list: string | undefined): string[] {
  if (!list) return [];
  const all = String(list)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const r of all) if (!EMAIL.test(r)) throw new GasException(`Invalid email: ${r}`);
  return all;
}

export class MailAppFake implements Pick<GoogleAppsScript.Mail.MailApp, 'sendEmail' | 'getRemainingDailyQuota'> {
  constructor(private readonly scope: Scope) {}

  sendEmail(...args: unknown[]): void {
    let m: Partial<SentMail> & Record<string, unknown>;
    if (args.length === 1 && args[0] && typeof args[0] === 'object') m = { ...(args[0] as Record<string, unknown>) };
    else if (args.length === 4 && typeof args[3] === 'string')
      m = { to: String(args[0]), replyTo: String(args[1]), subject: String(args[2]), body: String(args[3]) };
    else if (args.length >= 3)
      m = {
        ...((args[3] as Record<string, unknown> | undefined) ?? {}),
        to: String(args[0]),
        subject: String(args[1]),
        body: String(args[2]),
      };
    else throw new GasException("The parameters don't match the method signature for MailApp.sendEmail.");
    const to = recipients(m.to as string | undefined);
    const all = [...to, ...recipients(m.cc as string | undefined), ...recipients(m.bcc as string | undefined)];
    if (all.length === 0) throw new GasException('Failed to send email: no recipient');
    const subject = String(m.subject ?? '');
    if (subject.length > SUBJECT_MAX) throw new GasException(MESSAGES.argumentTooLarge('subject'));
    const mail = this.scope.world.mail;
    if (!mail.quota.take(this.scope.world.clock.nowMs(), all.length)) throw new GasException(MESSAGES.emailQuota);
    const sent: SentMail = { to: to.join(','), subject, body: String(m.body ?? ''), sentAt: this.scope.world.clock.now().toISOString() };
    for (const k of ['cc', 'bcc', 'replyTo', 'name', 'htmlBody'] as const) if (m[k] !== undefined) sent[k] = String(m[k]);
    mail.sent.push(sent);
  }
  getRemainingDailyQuota(): number {
    return this.scope.world.mail.quota.remaining(this.scope.world.clock.nowMs());
  }
}
registerType(MailAppFake, 'MailApp');
