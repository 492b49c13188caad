/**
 * The OpenAPI document at run time: its text is generated at build time (./openapi.ts, by
 * scripts/build.ts) into the project file openapi-document; each answer only adds the servers list,
 * which depends on the deployment.
 */

/** Project file holding the document's JSON text without servers. */
export const OPENAPI_DOCUMENT_FILE = 'openapi-document';

export interface ServerEntry {
  url: string;
  description: string;
}

/** The document with `servers` placed after `info`, where OpenAPI documents usually have it. */
export function withServers(templateText: string, servers: ServerEntry[]): Record<string, unknown> {
  const { openapi, info, ...rest } = JSON.parse(templateText) as Record<string, unknown>;
  return { openapi, info, servers, ...rest };
}
