/**
 * Child process of planner.bench.ts: plans the jobs of the JSON file argv[2] ({ jobs, states, now })
 * once, in a fresh process, as the first plan of an Apps Script execution does (no JIT warm-up, no
 * memo), and prints the milliseconds on stdout.
 */
import { readFileSync } from 'node:fs';
import { plan, type PlannerJob, type PlannerJobState } from '../src-server/domain/planner';

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  jobs: PlannerJob[];
  states: Record<string, PlannerJobState>;
  now: string;
};
const now = new Date(input.now);
const start = performance.now();
plan(input.jobs, input.states, now, { maxRuns: 50 });
process.stdout.write(`${(performance.now() - start).toFixed(2)}\n`);
