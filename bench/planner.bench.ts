/**
 * Planning cost: plan() over 10,000 jobs of mixed schedule types and zones, in the steady state
 * (most jobs not due) and right after two days of downtime (every job has missed occurrences).
 * Also the server-bundle cost of the job schema: zod/mini against full zod (esbuild, minified, as
 * scripts/build.ts bundles Code.js).
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import type { BenchRow } from './run';
import { parseJobConfig, type JobConfig } from '../src-server/domain/job';
import { plan, type PlannerJob, type PlannerJobState } from '../src-server/domain/planner';
import { previousRun, resetScheduleMemos } from '../src-server/domain/schedule';

const ROOT = resolve(__dirname, '..');
const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Tokyo'];
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

/** Mean of `repeat` runs after a warm-up; `cold` forgets the schedule memos before each run. */
function timeMs(fn: () => void, repeat: number, cold: boolean): number {
  fn(); // JIT warm-up
  let total = 0;
  for (let i = 0; i < repeat; i++) {
    if (cold) resetScheduleMemos();
    const start = performance.now();
    fn();
    total += performance.now() - start;
  }
  return total / repeat;
}

/** Minified bytes of a bundle of `source`, optionally with 'zod/mini' resolved to full 'zod'. */
export async function bundleBytes(source: string, fullZod = false): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    alias: fullZod ? { 'zod/mini': 'zod' } : {},
    logLevel: 'silent',
  });
  return (result.outputFiles ?? []).reduce((n, f) => n + f.contents.length, 0);
}

export default async function bench(): Promise<BenchRow[]> {
  const now = new Date('2026-03-10T12:00:00Z');
  const jobs = benchJobs(10_000, '2026-01-01T00:00:00Z');

  // Steady state: every job handled up to its latest occurrence 5 minutes ago (a few are due now).
  const steady: Record<string, PlannerJobState> = {};
  for (const job of jobs) {
    const last = previousRun(job.config, new Date(now.getTime() - 5 * 60_000), { anchor: new Date(job.created_at) });
    steady[job.id] = { last_scheduled_for: last ? last.toISOString() : null, last_success_for: last ? last.toISOString() : null };
  }
  const steadyCold = timeMs(() => plan(jobs, steady, now, { maxRuns: 50 }), 5, true);
  const steadyWarm = timeMs(() => plan(jobs, steady, now, { maxRuns: 50 }), 5, false);

  // After two days of downtime: everything has stale and fresh occurrences to sort out.
  const down: Record<string, PlannerJobState> = {};
  for (const job of jobs) down[job.id] = { last_scheduled_for: new Date(now.getTime() - 2 * 86_400_000).toISOString() };
  const downMs = timeMs(() => plan(jobs, down, now, { maxRuns: 50 }), 3, true);

  const schemaImport = "import { parseJobConfig } from './src-server/domain/job';\nconsole.log(parseJobConfig({}, { defaultTimezone: 'UTC' }));\n";
  const mini = await bundleBytes(schemaImport);
  const full = await bundleBytes(schemaImport, true);
  const scheduling = await bundleBytes(
    "import { plan } from './src-server/domain/planner';\nimport { parseJobConfig } from './src-server/domain/job';\nconsole.log(plan, parseJobConfig);\n",
  );

  return [
    { name: 'plan() 10,000 jobs, steady state, cold execution', value: steadyCold, unit: 'ms', goal: '< 100' },
    { name: 'plan() 10,000 jobs, steady state, memos warm', value: steadyWarm, unit: 'ms' },
    { name: 'plan() 10,000 jobs, after 2 days down, cold', value: downMs, unit: 'ms' },
    { name: 'bundle: job schema (zod/mini) + croner, minified', value: +(mini / 1024).toFixed(1), unit: 'KB' },
    { name: 'bundle: same with full zod, minified', value: +(full / 1024).toFixed(1), unit: 'KB' },
    { name: 'bundle: schema + planner + croner (zod/mini)', value: +(scheduling / 1024).toFixed(1), unit: 'KB' },
  ];
}
