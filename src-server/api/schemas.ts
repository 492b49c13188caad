/**
 * The API's own request shapes (query strings and bodies other than a job config), in zod/mini. The
 * router validates with them and the OpenAPI document is generated from them, so both agree.
 * Query values arrive as strings: numbers and booleans are coerced here. Built on first use (as the job
 * schema): evaluating the bundle, which every execution does, builds no schema.
 */
import * as z from 'zod/mini';
import { EXPORT_FORMATS } from '../domain/catalogue';

export const JOB_STATUSES = ['active', 'paused', 'disabled', 'running', 'failing', 'completed'] as const;
export const BULK_ACTIONS = ['pause', 'resume', 'enable', 'disable', 'delete', 'run_now'] as const;
export const SORT_FIELDS = [
  'name',
  'priority',
  'status',
  'next_run_at',
  'updated_at',
  'created_at',
  'schedule_type',
  'target_tab_name',
  'last_run',
] as const;

function buildApiSchemas() {
  const pageNumber = z.optional(z.coerce.number().check(z.int(), z.minimum(1)));
  const pageSize = z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)));

  const listFilterFields = {
    status: z.optional(z.enum(JOB_STATUSES)),
    enabled: z.optional(z.enum(['true', 'false'])),
    tag: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    q: z.optional(z.string().check(z.maxLength(200))),
    sort: z.optional(z.enum(SORT_FIELDS)),
    order: z.optional(z.enum(['asc', 'desc'])),
  };

  const listJobsQuery = z.object({ page: pageNumber, page_size: pageSize, ...listFilterFields });
  const exportQuery = z.object({ format: z.optional(z.enum(EXPORT_FORMATS)), ...listFilterFields });
  const runsQuery = z.object({ page: pageNumber, page_size: pageSize });
  const auditQuery = z.object({
    page: pageNumber,
    page_size: pageSize,
    job_id: z.optional(z.string().check(z.minLength(1))),
    action: z.optional(z.string().check(z.minLength(1))),
    since: z.optional(z.iso.datetime({ offset: true })),
  });
  const versionQuery = z.object({
    expected_version: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  });
  const importQuery = z.object({ format: z.optional(z.enum(['json', 'yaml'])) });

  const bulkBody = z.strictObject({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(200)),
  });

  const tokenBody = z.strictObject({
    expires_in: z.optional(z.number().check(z.int(), z.minimum(60), z.maximum(3600))),
    scope: z.optional(z.enum(['read', 'write'])),
  });

  const importBody = z.strictObject({
    format: z.optional(z.enum(['json', 'yaml'])),
    content: z.string().check(z.minLength(1)),
  });
  const suggestQuery = z.object({
    channels: z.string().check(z.minLength(1), z.maxLength(10_000)),
    timezone: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    target_delay_minutes: z.coerce.number().check(z.int(), z.minimum(15), z.maximum(10080)),
  });
  return { listJobsQuery, exportQuery, runsQuery, auditQuery, versionQuery, importQuery, bulkBody, tokenBody, importBody, suggestQuery };
}

export type ApiSchemas = ReturnType<typeof buildApiSchemas>;
let apiSchemasMemo: ApiSchemas | null = null;

/** The request schemas, built once per execution on first use. */
export function apiSchemas(): ApiSchemas {
  return (apiSchemasMemo ??= buildApiSchemas());
}
