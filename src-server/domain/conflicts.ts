/**
 * Conflict report for a candidate job (wizard and API warnings): other enabled jobs writing the same
 * spreadsheet tab with an occurrence within an hour of one of the candidate's, over a horizon.
 * Such runs do not corrupt anything (the planner never runs two writers of a tab at once) but one of
 * them waits for the other.
 *
 * Tab names compare ignoring case (Sheets keeps them unique ignoring case). A job whose tab differs
 * from another job's only by case is accepted and mapped to the same tab — both write the tab that
 * exists, whatever its spelling — and always gets a warning that says so, clash or not.
 */
import type { JobConfig } from './job';
import type { PlannerJob } from './planner';
import { compileSchedule, type CompiledSchedule } from './schedule';
import { tabKey, tabLabel } from './tab-key';
import { zonedDateTime, zonedTime } from './zoned-text';

export interface ConflictWarning {
  job_id: string;
  job_name: string;
  tab: string;
  /** The other job's occurrence that comes within an hour of the candidate's (ISO). */
  at: string;
  message: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Occurrences compared per job: enough for a week of a 5-minute schedule. */
const MAX_OCCURRENCES = 2_100;

function occurrences(schedule: CompiledSchedule, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  let t = schedule.next(fromMs);
  while (t !== null && t <= toMs && out.length < MAX_OCCURRENCES) {
    out.push(t);
    t = schedule.next(t);
  }
  return out;
}

/** The first pair (a from `mine`, b from `theirs`) less than an hour apart; both lists ascending. */
function firstClash(mine: number[], theirs: number[]): { mine: number; theirs: number } | null {
  let i = 0;
  let j = 0;
  while (i < mine.length && j < theirs.length) {
    const a = mine[i]!;
    const b = theirs[j]!;
    if (Math.abs(a - b) < HOUR_MS) return { mine: a, theirs: b };
    if (a < b) i++;
    else j++;
  }
  return null;
}

/** The warning, with both times in the candidate job's zone (the one its author thinks in). */
function clashMessage(other: PlannerJob, clash: { mine: number; theirs: number }, timeZone: string): string {
  const minutes = Math.round(Math.abs(clash.mine - clash.theirs) / 60_000);
  const when = zonedDateTime(timeZone, clash.theirs);
  const relation = minutes === 0 ? 'as this job' : `${minutes} min from this job's ${zonedTime(timeZone, clash.mine)}`;
  const sheet = other.config.target_sheet_id ? ` in spreadsheet ${other.config.target_sheet_id}` : '';
  return `${other.config.name} also writes “${other.config.target_tab_name}”${sheet} within the same hour (${when}, ${relation}): one of them will wait for the other.`;
}

/** Two spellings of one tab: says which tab both jobs write. */
function caseMessage(other: PlannerJob, mine: JobConfig): string {
  const sheet = other.config.target_sheet_id ? ` in spreadsheet ${other.config.target_sheet_id}` : '';
  return `“${mine.target_tab_name.trim()}” and “${other.config.target_tab_name.trim()}”${sheet} are the same tab (Google Sheets ignores case in tab names): this job and ${other.config.name} both write it.`;
}

export function findConflicts(
  candidate: { id?: string; config: JobConfig },
  others: PlannerJob[],
  from: Date,
  horizonDays = 7,
  options: { activeSpreadsheetId?: string } = {},
): ConflictWarning[] {
  const activeId = options.activeSpreadsheetId ?? '';
  const key = tabKey(candidate.config, activeId);
  const fromMs = from.getTime();
  const toMs = fromMs + horizonDays * DAY_MS;
  let mine: number[] | null = null;
  const warnings: ConflictWarning[] = [];
  for (const other of others) {
    if (other.id === candidate.id || !other.config.enabled || other.paused) continue;
    if (tabKey(other.config, activeId) !== key) continue;
    if (mine === null) {
      const schedule = compileSchedule(candidate.config);
      mine = schedule ? occurrences(schedule, fromMs, toMs) : [];
    }
    const theirSchedule = compileSchedule(other.config, { anchor: new Date(Date.parse(other.created_at) || fromMs) });
    const theirs = theirSchedule ? occurrences(theirSchedule, fromMs, toMs) : [];
    const clash = firstClash(mine, theirs);
    const caseOnly = other.config.target_tab_name.trim() !== candidate.config.target_tab_name.trim();
    if (!clash && !caseOnly) continue;
    const messages = caseOnly ? [caseMessage(other, candidate.config)] : [];
    if (clash) messages.push(clashMessage(other, clash, candidate.config.timezone));
    warnings.push({
      job_id: other.id,
      job_name: other.config.name,
      tab: tabLabel(other.config),
      at: new Date(clash ? clash.theirs : (theirs[0] ?? fromMs)).toISOString(),
      message: messages.join(' '),
    });
  }
  return warnings;
}
