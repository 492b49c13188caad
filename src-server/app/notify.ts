/**
 * Emails about job outcomes: failure (once no retry follows: at once after a permanent error, after the
 * last retry of a transient one), recovery (first success after such a failure), success (when asked,
 * every successful run). At most one failure mail per job per hour, and never beyond the remaining
 * MailApp recipients quota.
 */
import type { JobConfig } from '../domain/job';
import type { Logger, Mailer, MailMessage } from '../ports';
import type { RunDto } from './contract';

export const FAILURE_MAIL_INTERVAL_MS = 3_600_000;

export type MailEvent = 'failure' | 'recovery' | 'success';

export interface MailRequest {
  event: MailEvent;
  jobId: string;
  config: JobConfig;
  run: RunDto;
  nextAttempt: string | null;
  spreadsheetUrl: string;
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
        : `[YouTube2Sheets] "${name}" succeeded`;
  const lines = [
    `Job: ${name} (${req.jobId})`,
    `Run: ${req.run.run_id} (${req.run.trigger}), status ${req.run.status}`,
    req.run.scheduled_for ? `Scheduled for: ${req.run.scheduled_for}` : null,
    `Finished: ${req.run.finished_at ?? 'n/a'}`,
    req.event === 'failure' ? `Error: ${req.run.error ?? 'unknown error'}` : null,
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
 * the quota has room. `lastFailureMailAt` applies to failure mails only.
 */
export function sendJobMail(
  mailer: Mailer,
  logger: Logger,
  req: MailRequest,
  fallbackRecipient: string,
  lastFailureMailAt: string | null,
  nowMs: number,
): MailOutcome {
  if (!req.config.notify_on.includes(req.event)) return { sent: false, reason: 'not_requested' };
  const to = recipients(req.config, fallbackRecipient);
  if (to.length === 0) return { sent: false, reason: 'no_recipients' };
  if (req.event === 'failure' && lastFailureMailAt && nowMs - Date.parse(lastFailureMailAt) < FAILURE_MAIL_INTERVAL_MS) {
    return { sent: false, reason: 'throttled' };
  }
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
