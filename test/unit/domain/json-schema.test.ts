import { readFileSync } from 'node:fs';
import { JOB_CONFIG_SCHEMA_PATH, jobConfigJsonSchema, jobConfigJsonSchemaText } from '../../../scripts/gen-schemas';

describe('job_config_schema.json', () => {
  it('is current: regenerate with `npm run gen:schemas`', () => {
    expect(readFileSync(JOB_CONFIG_SCHEMA_PATH, 'utf8')).toBe(jobConfigJsonSchemaText());
  });

  it('describes the wire format: required fields, no unknown fields, the schedule grammar', () => {
    const schema = jobConfigJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string; default?: unknown }>;
    };
    expect(schema.required.sort()).toEqual(['channels', 'name', 'schedule_type', 'schedule_value', 'target_tab_name']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.schedule_value!.description).toContain('MON,WED@09:00');
    expect(schema.properties.priority!.default).toBe(5);
    expect(schema.properties.timezone!.default).toBeUndefined();
  });
});
