/**
 * Test-only entry: the product's Code.js (main.ts, with its `tick` trigger handler) plus a few
 * globals that call the use cases directly, as the sidebar and API doors do. Built into a temp dir.
 */
import '../../../src-server/main';
import type { Actor, SchedulerApp } from '../../../src-server/app/contract';
import { createGasApp } from '../../../src-server/gas/context';

declare const global: Record<string, unknown>;

const OWNER: Actor = { kind: 'user', email: 'owner@example.com' };

/** Calls one use case; AppErrors come back as { error } so tests can assert them. */
function testCall(method: string, args: unknown[]): unknown {
  const app = createGasApp() as unknown as Record<string, (...a: unknown[]) => unknown>;
  try {
    return { value: app[method]!(...args.map((a) => (a === '$owner' ? OWNER : a))) };
  } catch (err) {
    const e = err as { toDto?: () => unknown; message?: string };
    return { error: typeof e.toDto === 'function' ? e.toDto() : { status: 500, code: 'internal', message: String(e.message ?? err) } };
  }
}

/** Deletes every project trigger (simulates triggers disabled). */
function testDeleteTriggers(): number {
  const all = ScriptApp.getProjectTriggers();
  for (const t of all) ScriptApp.deleteTrigger(t);
  return all.length;
}

global.testCall = testCall;
global.testDeleteTriggers = testDeleteTriggers;
export type { SchedulerApp };
