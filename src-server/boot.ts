/**
 * Boot data of the surfaces: what a dialog or the sidebar shows first, computed by the execution
 * that opens it (main.ts appends it to the page as JSON, src-sidebar/lib/host.ts bootData reads it),
 * so the page needs no second execution to show something. Each is the answer of the RPC the page
 * would call (the same bounded DTOs); a failure leaves it out and the page asks as before.
 */
import type { CalendarStartDto, JobChoicesDto, JobDetailDto, JobDto, Page, Settings, SidebarViewDto } from './app/contract';
import { createGasApp } from './gas/context';

export interface SidebarBoot {
  sidebar: SidebarViewDto;
}

export interface CalendarBoot {
  /** The server's clock (virtual in the local runtime): "today". */
  now: string;
  /** The current month in the jobs' zone (calendarStart(null, null)): the page uses it in "job zone" mode, or when the viewer is in that zone. */
  calendar: CalendarStartDto;
}

export interface WizardBoot {
  jobId?: string;
  job?: JobDetailDto;
  settings?: Settings;
  /** The "Run after" picker's first choices (and the job's dependency, when it has one). */
  choices?: JobChoicesDto;
}

export interface ManagerBoot {
  /** The first page with the manager's default query (name ascending, 50 a page). */
  jobs: Page<JobDto>;
  query: { page: number; page_size: number; sort: string; order: 'asc' };
}

/** The manager's first query (Manager.ts starts with it). */
export const MANAGER_FIRST_QUERY = { page: 1, page_size: 50, sort: 'name', order: 'asc' as const };

function attempt<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (err) {
    console.warn(`Boot data skipped: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export function sidebarBoot(): SidebarBoot | undefined {
  return attempt(() => ({ sidebar: createGasApp().sidebarView() }));
}

export function calendarBoot(): CalendarBoot | undefined {
  return attempt(() => {
    const calendar = createGasApp().calendarStart(null, null);
    return { now: calendar.now, calendar };
  });
}

export function wizardBoot(jobId?: string): WizardBoot {
  const out: WizardBoot = jobId ? { jobId } : {};
  const gas = attempt(() => createGasApp());
  if (!gas) return out;
  const job = jobId ? attempt(() => gas.getJob(jobId)) : undefined;
  if (job) out.job = job;
  const settings = attempt(() => gas.getSettings());
  if (settings) out.settings = settings;
  const choices = attempt(() => gas.jobChoices({ ids: job?.config.depends_on ? [job.config.depends_on] : [] }));
  if (choices) out.choices = choices;
  return out;
}

export function managerBoot(): ManagerBoot | undefined {
  return attempt(() => ({ jobs: createGasApp().listJobs(MANAGER_FIRST_QUERY), query: MANAGER_FIRST_QUERY }));
}
