/**
 * Planning cost: plan() over 10,000 jobs of mixed schedule types and zones, in the steady state
 * (most jobs not due) and right after two days of downtime (every job has missed occurrences); the
 * first plan of a fresh process (what an Apps Script execution pays: no JIT warm-up, no memo) is
 * timed in a child process, median of 5.
 * Also the server-bundle cost of the job schema: zod/mini against full zod (esbuild, minified, as
 * scripts/build.ts bundles Code.js).
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchRow } from './run';
import { plan, type PlannerJob, type PlannerJobState } from '../src-server/domain/planner';
import { benchJobs } from './planner-jobs';
import { previousRun, resetScheduleMemos } from '../src-server/domain/schedule';

const ROOT = resolve(__dirname, '..');
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

/** Steady state: every job handled up to its latest occurrence 5 minutes ago (a few are due now). */
function steadyStates(jobs: PlannerJob[], now: Date): Record<string, PlannerJobState> {
  const steady: Record<string, PlannerJobState> = {};
  for (const job of jobs) {
    const last = previousRun(job.config, new Date(now.getTime() - 5 * 60_000), { anchor: new Date(job.created_at) });
    steady[job.id] = { last_scheduled_for: last ? last.toISOString() : null, last_success_for: last ? last.toISOString() : null };
  }
  return steady;
}

/** Median ms of the first plan() in `runs` fresh node processes (bench/planner-cold.ts, bundled). */
async function coldProcessMs(jobs: PlannerJob[], states: Record<string, PlannerJobState>, now: Date, runs = 5): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'y2s-plan-'));
  try {
    const script = join(dir, 'cold.js');
    await build({ entryPoints: [join(__dirname, 'planner-cold.ts')], bundle: true, platform: 'node', outfile: script, logLevel: 'silent' });
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ jobs, states, now: now.toISOString() }));
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(Number(execFileSync(process.execPath, [script, input], { encoding: 'utf8' }).trim()));
    return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 10,000 daily jobs with 10,000 different schedules (minute of the day x zone): nothing shared. */
function distinctJobs(template: PlannerJob[]): PlannerJob[] {
  const zones = [
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'Asia/Kolkata',
    'UTC',
    'America/Los_Angeles',
    'Europe/Berlin',
    'Asia/Tokyo',
  ];
  return template.map((job, i) => {
    const minute = Math.floor(i / zones.length) % 1440;
    const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    return {
      ...job,
      config: {
        ...job.config,
        schedule_type: 'daily',
        schedule_value: hhmm,
        timezone: zones[i % zones.length]!,
        start_at: null,
        end_at: null,
      },
    };
  });
}

export default async function bench(): Promise<BenchRow[]> {
  const now = new Date('2026-03-10T12:00:00Z');
  const jobs = benchJobs(10_000, '2026-01-01T00:00:00Z');

  const steady = steadyStates(jobs, now);
  const firstInProcess = await coldProcessMs(jobs, steady, now);
  const distinct = distinctJobs(jobs);
  const firstDistinct = await coldProcessMs(distinct, steadyStates(distinct, now), now);
  const steadyCold = timeMs(() => plan(jobs, steady, now, { maxRuns: 50 }), 5, true);
  const steadyWarm = timeMs(() => plan(jobs, steady, now, { maxRuns: 50 }), 5, false);

  // After two days of downtime: everything has stale and fresh occurrences to sort out.
  const down: Record<string, PlannerJobState> = {};
  for (const job of jobs) down[job.id] = { last_scheduled_for: new Date(now.getTime() - 2 * 86_400_000).toISOString() };
  const downMs = timeMs(() => plan(jobs, down, now, { maxRuns: 50 }), 3, true);

  const schemaImport =
    "import { parseJobConfig } from './src-server/domain/job';\nconsole.log(parseJobConfig({}, { defaultTimezone: 'UTC' }));\n";
  const mini = await bundleBytes(schemaImport);
  const full = await bundleBytes(schemaImport, true);
  const scheduling = await bundleBytes(
    "import { plan } from './src-server/domain/planner';\nimport { parseJobConfig } from './src-server/domain/job';\nconsole.log(plan, parseJobConfig);\n",
  );

  return [
    { name: 'plan() 10,000 jobs, first call in a fresh process (median of 5)', value: firstInProcess, unit: 'ms', goal: '<= 50' },
    { name: 'same, 10,000 distinct schedules (nothing shared)', value: firstDistinct, unit: 'ms', goal: 'for information' },
    { name: 'plan() 10,000 jobs, steady state, memos reset (JIT warm)', value: steadyCold, unit: 'ms' },
    { name: 'plan() 10,000 jobs, steady state, memos warm', value: steadyWarm, unit: 'ms' },
    { name: 'plan() 10,000 jobs, after 2 days down, cold', value: downMs, unit: 'ms' },
    { name: 'bundle: job schema (zod/mini) + croner, minified', value: +(mini / 1024).toFixed(1), unit: 'KB' },
    { name: 'bundle: same with full zod, minified', value: +(full / 1024).toFixed(1), unit: 'KB' },
    { name: 'bundle: schema + planner + croner (zod/mini)', value: +(scheduling / 1024).toFixed(1), unit: 'KB' },
  ];
}
