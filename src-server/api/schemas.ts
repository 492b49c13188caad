/**
 * The API's own request shapes (query strings and bodies other than a job config), in zod/mini. The
 * router validates with them and the OpenAPI document is generated from them, so both agree.
 * Query values arrive as strings: numbers and booleans are coerced here.
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

const pageNumber = z.optional(z.coerce.number().check(z.int(), z.minimum(1)));
const pageSize = z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)));

export const listFilterFields = {
  status: z.optional(z.enum(JOB_STATUSES)),
  enabled: z.optional(z.enum(['true', 'false'])),
  tag: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  q: z.optional(z.string().check(z.maxLength(200))),
  sort: z.optional(z.enum(SORT_FIELDS)),
  order: z.optional(z.enum(['asc', 'desc'])),
};

export const ListJobsQuerySchema = z.object({ page: pageNumber, page_size: pageSize, ...listFilterFields });
export const ExportQuerySchema = z.object({ format: z.optional(z.enum(EXPORT_FORMATS)), ...listFilterFields });
export const RunsQuerySchema = z.object({ page: pageNumber, page_size: pageSize });
export const AuditQuerySchema = z.object({
  page: pageNumber,
  page_size: pageSize,
  job_id: z.optional(z.string().check(z.minLength(1))),
  action: z.optional(z.string().check(z.minLength(1))),
  since: z.optional(z.iso.datetime({ offset: true })),
});
export const VersionQuerySchema = z.object({
  expected_version: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
});
export const ImportQuerySchema = z.object({ format: z.optional(z.enum(['json', 'yaml'])) });

export const BulkBodySchema = z.strictObject({
  action: z.enum(BULK_ACTIONS),
  ids: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(200)),
});

export const TokenBodySchema = z.strictObject({
  expires_in: z.optional(z.number().check(z.int(), z.minimum(60), z.maximum(3600))),
  scope: z.optional(z.enum(['read', 'write'])),
});

export const ImportBodySchema = z.strictObject({
  format: z.optional(z.enum(['json', 'yaml'])),
  content: z.string().check(z.minLength(1)),
});

export const SuggestQuerySchema = z.object({
  channels: z.string().check(z.minLength(1), z.maxLength(10_000)),
  timezone: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  target_delay_minutes: z.coerce.number().check(z.int(), z.minimum(15), z.maximum(10080)),
});
