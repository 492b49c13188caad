/**
 * The schedule controls checked in the browser, in the words of the controls (Times, Days, Every,
 * Cron expression, Date and time), never the API's grammar (HH:MM, DAYS@HH:MM). Each problem names
 * the control it belongs to, so the wizard can mark that control (aria-invalid, aria-describedby) and
 * move focus to it. The server still validates everything; its rare extra findings are reworded here.
 * The limits restate src-server/domain/schedule-grammar.ts (importing it would put croner in the page).
 */
import cronstrue from 'cronstrue';
import type { ScheduleType } from '../../src-server/domain/catalogue';

export type ScheduleControl = 'times' | 'weekdays' | 'month_days' | 'interval_n' | 'cron' | 'once_at';

export interface ScheduleInput {
  schedule_type: ScheduleType;
  times: string;
  weekdays: readonly string[];
  month_days: string;
  interval_n: string;
  interval_unit: 'm' | 'h' | 'd';
  cron: string;
  once_at: string;
}

export interface ScheduleProblem {
  control: ScheduleControl;
  message: string;
}

const MIN_INTERVAL_MINUTES = 5;
const MAX_INTERVAL_DAYS = 366;
const MAX_TIMES_PER_DAY = 48;

export const CONTROL_LABELS: Record<ScheduleControl, string> = {
  times: 'Times',
  weekdays: 'Days',
  month_days: 'Days of the month',
  interval_n: 'Every',
  cron: 'Cron expression',
  once_at: 'Date and time',
};

/** The id of the element that gets focus and the issue for each control (Steps.ts renders them). */
export const CONTROL_IDS: Record<ScheduleControl, string> = {
  times: 'f-times',
  weekdays: 'f-day-SUN',
  month_days: 'f-mdays',
  interval_n: 'f-every',
  cron: 'f-cron',
  once_at: 'f-once',
};

const say = (control: ScheduleControl, text: string): ScheduleProblem => ({ control, message: `${CONTROL_LABELS[control]}: ${text}` });

function timesProblem(text: string): string | null {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) return 'enter a time, like 09:00';
  for (const part of parts) {
    if (part === '') return 'there is an empty place between two commas';
    const m = /^(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) return `“${part}” is not a time: write hours and minutes on the 24-hour clock, like 09:00 or 17:30`;
    if (Number(m[1]) > 23 || Number(m[2]) > 59) return `“${part}” is not a time: hours go from 00 to 23 and minutes from 00 to 59`;
  }
  if (new Set(parts).size > MAX_TIMES_PER_DAY) return `at most ${MAX_TIMES_PER_DAY} times a day`;
  return null;
}

function monthDaysProblem(text: string): string | null {
  if (text.trim() === '') return 'enter at least one day, like 1 or 1,15 or last';
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') return 'there is an empty place between two commas';
    if (part.toLowerCase() === 'last') continue;
    if (!/^\d{1,2}$/.test(part) || Number(part) < 1 || Number(part) > 31)
      return `“${part}” is not a day of the month: use numbers from 1 to 31, or the word last`;
  }
  return null;
}

function intervalProblem(n: string, unit: 'm' | 'h' | 'd'): string | null {
  if (!/^\d{1,6}$/.test(n.trim())) return 'enter a whole number';
  const minutes = Number(n) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1);
  if (minutes < MIN_INTERVAL_MINUTES) return `the shortest interval is ${MIN_INTERVAL_MINUTES} minutes`;
  if (minutes > MAX_INTERVAL_DAYS * 1440) return `the longest interval is ${MAX_INTERVAL_DAYS} days`;
  return null;
}

const CRON_PARTS = [
  { name: 'minute', min: 0, max: 59, words: 'minutes go from 0 to 59' },
  { name: 'hour', min: 0, max: 23, words: 'hours go from 0 to 23' },
  { name: 'day-of-month', min: 1, max: 31, words: 'days go from 1 to 31' },
  {
    name: 'month',
    min: 1,
    max: 12,
    words: 'months go from 1 to 12, or JAN to DEC',
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  {
    name: 'day-of-week',
    min: 0,
    max: 7,
    words: 'days of the week go from 0 to 6 (Sunday is 0), or SUN to SAT',
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  },
] as const;

/** A cron expression's problem in our words, or null when its five parts read well. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return `${fields.length === 0 ? 'nothing is' : `${fields.length} part${fields.length === 1 ? ' is' : 's are'}`} given; a cron expression has 5, separated by spaces: minute, hour, day of month, month, day of week (e.g. 0 9 * * 1-5)`;
  }
  for (let i = 0; i < 5; i++) {
    const part = CRON_PARTS[i]!;
    const field = fields[i]!;
    const names: readonly string[] = 'names' in part ? part.names : [];
    const value = (token: string): number | null => {
      if (/^\d+$/.test(token)) return Number(token);
      const k = names.indexOf(token.toUpperCase());
      return k < 0 ? null : part.name === 'month' ? k + 1 : k;
    };
    for (const item of field.split(',')) {
      const [range = '', step, extra] = item.split('/');
      const bad = `the ${part.name} part “${field}” is not understood: ${part.words}`;
      if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return bad;
      if (step !== undefined && Number(step) === 0) return `the ${part.name} part “${field}” steps by 0`;
      // croner's extras (L, W, #, ?) are left to the server to judge.
      if (range === '*' || range === '?' || ((i === 2 || i === 4) && /^(L|LW|\d+W|\d+L|\d+#\d)$/i.test(range))) continue;
      const ends = range.split('-');
      if (ends.length > 2 || ends.some((e) => e === '')) return bad;
      for (const end of ends) {
        const v = value(end);
        if (v === null) return bad;
        if (v < part.min || v > part.max) return `the ${part.name} part “${field}” is out of range: ${part.words}`;
      }
    }
  }
  return null;
}

/** A cron expression in plain words ("At 09:00, Monday through Friday"), or null when it cannot be read. */
export function describeCron(expr: string): string | null {
  if (cronProblem(expr)) return null;
  try {
    return cronstrue.toString(expr.trim(), { use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
  } catch {
    return null;
  }
}

/** The first problem of the schedule controls shown for the form's type, or null. */
export function checkSchedule(f: ScheduleInput): ScheduleProblem | null {
  const t = f.schedule_type;
  if (t === 'weekly' && f.weekdays.length === 0) return say('weekdays', 'choose at least one day');
  if (t === 'monthly') {
    const p = monthDaysProblem(f.month_days);
    if (p) return say('month_days', p);
  }
  if (t === 'daily' || t === 'weekly' || t === 'monthly') {
    const p = timesProblem(f.times);
    if (p) return say('times', p);
  }
  if (t === 'interval') {
    const p = intervalProblem(f.interval_n, f.interval_unit);
    if (p) return say('interval_n', p);
  }
  if (t === 'cron') {
    const p = cronProblem(f.cron);
    if (p) return say('cron', p);
  }
  if (t === 'once' && !f.once_at.trim()) return say('once_at', 'choose a date and a time');
  return null;
}

/** The control a schedule issue of this type belongs to when the browser found nothing itself. */
export function controlOf(f: ScheduleInput): ScheduleControl {
  switch (f.schedule_type) {
    case 'interval':
      return 'interval_n';
    case 'cron':
      return 'cron';
    case 'once':
      return 'once_at';
    case 'weekly':
      return f.weekdays.length === 0 ? 'weekdays' : 'times';
    default:
      return 'times';
  }
}

/**
 * A server message about schedule_value ("schedule_value: cron expects …; runs more often than every
 * 5 minutes") in the control's words: the API's expectation is dropped, known details are reworded.
 */
export function rewordServerIssue(f: ScheduleInput, message: string): ScheduleProblem {
  const control = controlOf(f);
  const detail =
    message
      .replace(/^schedule_value:\s*/, '')
      .split('; ')
      .slice(1)
      .join('; ') || message.replace(/^schedule_value:\s*/, '');
  if (/more often than every (\d+) minutes/.test(detail)) {
    return say(
      control,
      `runs more often than every ${MIN_INTERVAL_MINUTES} minutes; a job runs at most every ${MIN_INTERVAL_MINUTES} minutes (e.g. */${MIN_INTERVAL_MINUTES} * * * *)`,
    );
  }
  if (/never matches/.test(detail)) return say(control, 'never runs: no date matches every part (e.g. 31 in February)');
  if (/expects|DAYS@|HH:MM/.test(detail)) return say(control, 'this schedule cannot be read; check the values above');
  return say(control, detail);
}
