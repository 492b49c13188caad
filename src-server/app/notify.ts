/**
 * Emails about job outcomes: failure (once no retry follows: at once after a permanent error, after the
 * last retry of a transient one), recovery (first success after such a failure), success (when asked,
 * every successful run, at most one an hour). At most one failure mail and one success mail per job per
 * hour (a 5-minute job would otherwise spend the 100 daily recipients by itself), and never beyond the
 * remaining mail recipients quota (the Mailer port). Recovery mails are not throttled: they follow a failure.
 * Anomaly mails (when asked) list what is new since the last one, at most one an hour per job.
 */
import type { Anomaly } from '../domain/anomalies';
import type { JobConfig } from '../domain/job';
import type { Logger, Mailer, MailMessage } from '../ports';
import type { RunDto } from './contract';

export const FAILURE_MAIL_INTERVAL_MS = 3_600_000;
export const SUCCESS_MAIL_INTERVAL_MS = 3_600_000;
export const ANOMALY_MAIL_INTERVAL_MS = 3_600_000;

/** The least time between two mails of an event for one job (0: not throttled). */
const MAIL_INTERVAL_MS: Record<MailEvent, number> = {
  failure: FAILURE_MAIL_INTERVAL_MS,
  success: SUCCESS_MAIL_INTERVAL_MS,
  recovery: 0,
  anomaly: ANOMALY_MAIL_INTERVAL_MS,
};

/** The job-state field that remembers the last mail of each throttled event. */
export const LAST_MAIL_FIELD = {
  failure: 'last_failure_mail_at',
  success: 'last_success_mail_at',
  anomaly: 'last_anomaly_mail_at',
} as const;

export type MailEvent = 'failure' | 'recovery' | 'success' | 'anomaly';

export interface MailRequest {
  event: MailEvent;
  jobId: string;
  config: JobConfig;
  run: RunDto;
  nextAttempt: string | null;
  spreadsheetUrl: string;
  /** For 'anomaly': what was found. */
  anomalies?: readonly Anomaly[];
}

export function recipients(config: JobConfig, fallback: string): string[] {
  if (config.notify_emails.length > 0) return [...config.notify_emails];
  return fallback ? [fallback] : [];
}

export function composeMail(req: MailRequest, to: string[]): MailMessage {
  const name = req.config.name;
  const subject =
    req.event === 'failure'
      ? `[YouTube2Sheets] "${name}" failed`
      : req.event === 'recovery'
        ? `[YouTube2Sheets] "${name}" recovered`
        : req.event === 'anomaly'
          ? `[YouTube2Sheets] "${name}": ${req.anomalies?.length === 1 ? 'an anomaly' : `${req.anomalies?.length ?? 0} anomalies`}`
          : `[YouTube2Sheets] "${name}" succeeded`;
  const lines = [
    `Job: ${name} (${req.jobId})`,
    `Run: ${req.run.run_id} (${req.run.trigger}), status ${req.run.status}`,
    req.run.scheduled_for ? `Scheduled for: ${req.run.scheduled_for}` : null,
    `Finished: ${req.run.finished_at ?? 'n/a'}`,
    req.event === 'failure' ? `Error: ${req.run.error ?? 'unknown error'}` : null,
    ...(req.event === 'anomaly' ? (req.anomalies ?? []).map((a) => `Anomaly: ${a.message}`) : []),
    req.event !== 'failure' ? `Videos added: ${req.run.videos_added}, updated: ${req.run.videos_updated}` : null,
    `Next attempt: ${req.nextAttempt ?? 'none scheduled'}`,
    `Spreadsheet: ${req.spreadsheetUrl}`,
  ].filter((l): l is string => l !== null);
  return { to, subject, body: lines.join('\n') };
}

export interface MailOutcome {
  sent: boolean;
  reason?: 'not_requested' | 'no_recipients' | 'throttled' | 'quota';
}

/**
 * Sends the mail when the job asks for the event, someone can receive it, the throttle allows it and
 * the quota has room. `lastMailAt` is the last mail of the same event for this job (failure and
 * success are throttled).
 */
export function sendJobMail(
  mailer: Mailer,
  logger: Logger,
  req: MailRequest,
  fallbackRecipient: string,
  lastMailAt: string | null,
  nowMs: number,
): MailOutcome {
  if (!req.config.notify_on.includes(req.event)) return { sent: false, reason: 'not_requested' };
  const to = recipients(req.config, fallbackRecipient);
  if (to.length === 0) return { sent: false, reason: 'no_recipients' };
  const interval = MAIL_INTERVAL_MS[req.event];
  if (interval > 0 && lastMailAt && nowMs - Date.parse(lastMailAt) < interval) return { sent: false, reason: 'throttled' };
  if (mailer.remainingDailyQuota() < to.length) {
    logger.warn(`Mail quota exhausted: ${req.event} mail for job ${req.jobId} not sent`);
    return { sent: false, reason: 'quota' };
  }
  try {
    mailer.send(composeMail(req, to));
    return { sent: true };
  } catch (err) {
    logger.error(`Sending the ${req.event} mail for job ${req.jobId} failed: ${err instanceof Error ? err.message : String(err)}`);
    return { sent: false, reason: 'quota' };
  }
}
