/**
 * Conflict report for a candidate job (wizard and API warnings): other enabled jobs writing the same
 * spreadsheet tab with an occurrence within an hour of one of the candidate's, over a horizon.
 * Such runs do not corrupt anything (the planner never runs two writers of a tab at once) but one of
 * them waits for the other.
 */
import type { JobConfig } from './job';
import type { PlannerJob } from './planner';
import { compileSchedule, type CompiledSchedule } from './schedule';
import { tabKey, tabLabel } from './tab-key';

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

function hhmmUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
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
    if (!theirSchedule) continue;
    const clash = firstClash(mine, occurrences(theirSchedule, fromMs, toMs));
    if (!clash) continue;
    const minutes = Math.round(Math.abs(clash.mine - clash.theirs) / 60_000);
    warnings.push({
      job_id: other.id,
      job_name: other.config.name,
      tab: tabLabel(other.config),
      at: new Date(clash.theirs).toISOString(),
      message:
        `Job "${other.config.name}" also writes tab ${tabLabel(other.config)} and runs at ${hhmmUtc(clash.theirs)} UTC, ` +
        `${minutes === 0 ? 'at the same time as' : `${minutes} min from`} this job (${hhmmUtc(clash.mine)} UTC): one of them will wait for the other.`,
    });
  }
  return warnings;
}
