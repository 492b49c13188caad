/** The 10,000 bench jobs: mixed schedule types and zones (planner.bench.ts and its cold child). */
import { parseJobConfig, type JobConfig } from '../src-server/domain/job';
import type { PlannerJob } from '../src-server/domain/planner';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata',
  'UTC',
  'America/Los_Angeles',
  'Europe/Berlin',
  'Asia/Tokyo',
];
const SCHEDULES: [JobConfig['schedule_type'], string][] = [
  ['daily', '09:00'],
  ['daily', '06:30,18:30'],
  ['weekly', 'MON,WED,FRI@08:00'],
  ['monthly', '1,15@07:00'],
  ['monthly', 'last@22:00'],
  ['interval', '6h'],
  ['interval', '30m'],
  ['cron', '0 9 * * 1-5'],
  ['cron', '15 */2 * * *'],
  ['once', '2027-01-01T00:00'],
];

export function benchJobs(count: number, createdAt: string): PlannerJob[] {
  const jobs: PlannerJob[] = [];
  for (let i = 0; i < count; i++) {
    const [type, value] = SCHEDULES[i % SCHEDULES.length]!;
    const parsed = parseJobConfig(
      {
        name: `Job ${i}`,
        channels: ['@mkbhd'],
        schedule_type: type,
        schedule_value: value,
        timezone: ZONES[i % ZONES.length],
        target_tab_name: `Tab ${i % 2500}`,
        priority: 1 + (i % 10),
        depends_on: i % 50 === 0 && i > 0 ? `job-${i - 1}` : null,
      },
      { defaultTimezone: 'UTC' },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    jobs.push({ id: `job-${i}`, config: parsed.value, paused: false, created_at: createdAt });
  }
  return jobs;
}
