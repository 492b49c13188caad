/**
 * The web API's Apps Script side: its ports from the composition root, the ContentService /
 * HtmlService answer, and the key-store entry points main.ts exposes (rotateJwtSecret,
 * importLocalApiKey_).
 */
import { createGasApp, createGasDeps } from './context';
import type { ApiDeps, ApiResponse } from '../api/types';
import { createApiKeyService, type ApiKeyService, type ApiKeyServiceDeps, type KeyScope } from '../api/keys';
import { AppContext } from '../app/context';
import type { Actor, ApiKeyDto } from '../app/contract';
import { rotateJwtSecret } from '../api/jwt';
import { OPENAPI_DOCUMENT_FILE } from '../api/openapi-serve';
import { runGasDiagnostics } from './probe';

function serviceUrl(): string | null {
  try {
    return ScriptApp.getService().getUrl() || null;
  } catch {
    return null;
  }
}

/** The spreadsheet owner, who alone manages API keys (null on shared drives: no owner to compare). */
export function spreadsheetOwnerEmail(): string | null {
  try {
    return SpreadsheetApp.getActiveSpreadsheet()?.getOwner()?.getEmail() || null;
  } catch {
    return null;
  }
}

export function gasApiDeps(): ApiDeps {
  const gas = createGasApp();
  const { properties, lock, cache, crypto, clock, logger } = gas.deps;
  return {
    app: () => gas.app,
    properties,
    lock,
    cache,
    crypto,
    clock,
    logger,
    serviceUrl,
    openApiDocument,
    diagnostics: runGasDiagnostics,
  };
}

/** The document generated at build time, read from its project file (never parsed by other executions). */
function openApiDocument(): string {
  return HtmlService.createHtmlOutputFromFile(OPENAPI_DOCUMENT_FILE).getContent();
}

/** The key service with the owner check, without audit rows (callers that mutate use gasApiKeyManager). */
export function gasApiKeyServiceDeps(): ApiKeyServiceDeps {
  const { properties, crypto, clock } = createGasApp().deps;
  return { properties, crypto, clock, ownerEmail: spreadsheetOwnerEmail };
}

export interface ApiKeyManager {
  list(): ApiKeyDto[];
  create(name: string, scope: KeyScope): { key: ApiKeyDto; secret: string };
  revoke(id: string): ApiKeyDto;
}

/** The key store with its changes audited through an AppContext, whose mutate() the caller wraps them in. */
function auditedKeyService(ownerEmail?: () => string | null): { ctx: AppContext; service: ApiKeyService } {
  const deps = createGasDeps();
  const { properties, crypto, clock } = deps;
  const ctx = new AppContext(deps);
  const service = createApiKeyService({
    properties,
    crypto,
    clock,
    ...(ownerEmail ? { ownerEmail } : {}),
    audit: (action, who, keyId, changes) => ctx.audit(who, action, null, { key_id: keyId, ...changes }),
  });
  return { ctx, service };
}

/**
 * Key management for the spreadsheet owner (sidebar RPC, menu). Each create/revoke runs the way the
 * app's own mutations do (AppContext.mutate: script lock, work, audit rows appended with the retention
 * of the settings), so the `_y2s_audit` tab gets a key.create / key.revoke row naming the actor and
 * the key id, and a change that fails writes no row.
 */
export function gasApiKeyManager(actor: Actor): ApiKeyManager {
  const { ctx, service } = auditedKeyService(spreadsheetOwnerEmail);
  return {
    list: () => service.list(),
    create: (name, scope) => ctx.mutate(() => service.create(name, scope, actor)),
    revoke: (id) => ctx.mutate(() => service.revoke(id, actor)),
  };
}

function mimeTypeOf(type: string): GoogleAppsScript.Content.MimeType {
  // Looked up per answer, not at load time: evaluating the bundle touches no service.
  if (type === 'application/json') return ContentService.MimeType.JSON;
  if (type === 'text/csv') return ContentService.MimeType.CSV;
  return ContentService.MimeType.TEXT;
}

/** Apps Script sends no status code: the status travels in the JSON envelope. */
export function toWebOutput(response: ApiResponse): GoogleAppsScript.Content.TextOutput | GoogleAppsScript.HTML.HtmlOutput {
  const type = response.contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html') return HtmlService.createHtmlOutput(response.body).setTitle('YouTube2Sheets Scheduler API');
  // ContentService knows no YAML type: YAML exports arrive as text/plain on the deployed web app.
  return ContentService.createTextOutput(response.body).setMimeType(mimeTypeOf(type));
}

/** Replaces the token signing secret: every access token issued so far stops working. */
export function rotateJwtSecretNow(): void {
  rotateJwtSecret(createGasApp().deps);
}

/**
 * Local server only (`npm start -- --api-key KEY`): stores KEY in the key store. Private (trailing
 * underscore in main.ts), so google.script.run and the web app cannot call it. Idempotent.
 */
export function importLocalApiKey(key: string, options?: { name?: string; scope?: KeyScope }): string {
  const { ctx, service } = auditedKeyService();
  return ctx.mutate(() =>
    service.importKey(key, {
      name: options?.name ?? 'local (--api-key)',
      scope: options?.scope === 'read' ? 'read' : 'write',
      createdBy: 'npm start --api-key',
    }),
  );
}
