/**
 * The job schema's defaults (src-server/domain/job.ts), for forms that start a new job. Importing the
 * schema would put zod into every surface that shows a wizard, so the values are restated here,
 * type-checked against the schema's output type; a test (test/e2e/walkthrough.test.ts) compares
 * them with what the schema fills in.
 */
import type { JobConfig } from '../../src-server/domain/job';
import { DEFAULT_COLUMNS } from '../../src-server/domain/catalogue';

export const JOB_DEFAULTS = {
  description: '',
  start_at: null,
  end_at: null,
  target_sheet_id: '',
  output_mode: 'upsert',
  columns: [...DEFAULT_COLUMNS],
  header_row: 'keys',
  video_filter: 'all',
  stats_refresh: 'daily',
  max_videos: 500,
  priority: 5,
  max_retries: 3,
  retry_backoff_minutes: 5,
  misfire_grace_minutes: 60,
  catch_up: 'latest',
  notify_emails: [],
  notify_on: ['failure', 'recovery'],
  enabled: true,
  tags: [],
  depends_on: null,
} satisfies Partial<JobConfig>;
