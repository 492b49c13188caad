/** Builds the sync test entry once per test file and runs it in the local runtime. */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServerBundle, ROOT } from '../../../scripts/build';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../../emulator';
import { emptySyncState, type SyncOutcome, type SyncState } from '../../../src-server/sync';
import { jobConfig } from '../../unit/sync/fakes';
import type { JobConfig } from '../../../src-server/domain/job';

export async function buildSyncBundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'y2s-sync-'));
  // Minified like build/Code.js: the product's code exactly as shipped, plus the test entry's globals.
  await buildServerBundle(join(__dirname, 'entry.ts'), join(dir, 'Code.js'), true);
  const build = join(ROOT, 'build');
  if (existsSync(build)) for (const f of readdirSync(build)) if (f.endsWith('.html')) copyFileSync(join(build, f), join(dir, f));
  copyFileSync(join(ROOT, 'appsscript.json'), join(dir, 'appsscript.json'));
  return dir;
}

export function removeBundle(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export class SyncDriver {
  state: SyncState = emptySyncState();
  config: JobConfig;
  runs = 0;
  readonly rt: Runtime;

  constructor(buildDir: string, config: Partial<JobConfig>, options: RuntimeOptions = {}) {
    this.rt = createRuntime({ buildDir, ...options });
    this.config = jobConfig(config);
  }

  /** One execution; saves the state as the app would (unless killed). */
  execute(
    runId: string,
    budgetMs = 270_000,
    budgetUnits = 1e9,
  ): { outcome: SyncOutcome | null; killed: boolean; calls: Record<string, number> } {
    const r = this.rt.run<string>('testSync', JSON.stringify(this.config), JSON.stringify(this.state), runId, budgetMs, budgetUnits);
    if (!r.ok) {
      if (r.killed) return { outcome: null, killed: true, calls: r.calls };
      throw new Error(`testSync failed: ${r.error?.name}: ${r.error?.message}`);
    }
    const outcome = JSON.parse(r.value!) as SyncOutcome;
    this.state = outcome.state;
    return { outcome, killed: false, calls: r.calls };
  }

  /** Executions of one run until it completes, fails or defers. */
  run(budgetMs?: number): { outcomes: SyncOutcome[]; sheetCalls: number[] } {
    const runId = `run${this.runs++}`;
    const outcomes: SyncOutcome[] = [];
    const sheetCalls: number[] = [];
    for (let i = 0; i < 100; i++) {
      const { outcome, calls } = this.execute(runId, budgetMs);
      sheetCalls.push(
        Object.entries(calls)
          .filter(([k]) => k.startsWith('SpreadsheetApp'))
          .reduce((n, [, v]) => n + v, 0),
      );
      if (!outcome) continue;
      outcomes.push(outcome);
      if (outcome.complete || outcome.status !== 'succeeded') break;
    }
    return { outcomes, sheetCalls };
  }

  units(): number {
    return this.rt.youtube.quota.usedToday(this.rt.clock.now());
  }

  rows(tab = this.config.target_tab_name): unknown[][] {
    return this.rt.spreadsheets
      .values(this.rt.spreadsheetId, tab)
      .slice(1)
      .filter((r) => r.some((v) => v !== ''));
  }
}

export { jobConfig };
