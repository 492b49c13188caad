/**
 * Writes the JSON Schema files derived from the zod schemas (one source of truth):
 *   src-server/api/schemas/job_config_schema.json   the job config wire format (input side:
 *                                                    fields with defaults are optional)
 * `npm run gen:schemas`; test/unit/domain/json-schema.test.ts fails when a committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { jobConfigSchema } from '../src-server/domain/job';

const ROOT = resolve(__dirname, '..');
export const JOB_CONFIG_SCHEMA_PATH = join(ROOT, 'src-server/api/schemas/job_config_schema.json');

export function jobConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(jobConfigSchema(), { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  // timezone's real default is the script's zone, known only at run time ('UTC' is the schema's
  // fallback when parsed without a context): the file documents it in words, not as a default.
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  if (properties.timezone) delete properties.timezone.default;
  return {
    $schema: schema.$schema,
    title: 'JobConfig',
    description:
      'A YouTube2Sheets scheduler job, as sent to POST /jobs and stored. Fields with a default may be omitted. ' +
      'Rules that span fields (schedule_value against schedule_type, upsert needs video_id, end_at after start_at, ' +
      'the 8 KB stored size) are checked by the server and reported per field.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** The file's exact text: stable key order from the schema, two-space indent, final newline. */
export function jobConfigJsonSchemaText(): string {
  return `${JSON.stringify(jobConfigJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(JOB_CONFIG_SCHEMA_PATH, jobConfigJsonSchemaText());
  console.log(`wrote ${JOB_CONFIG_SCHEMA_PATH}`);
}
