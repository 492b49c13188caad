import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevSession } from '../../../emulator/server/session';
import { autoSave, readStateFile, writeStateFile } from '../../../emulator/server/state-file';
import { startServer } from '../../../emulator/server/http';
import { StubRuntime, stubFactory, type StubState } from './stub-runtime';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'y2s-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state file', () => {
  it('round-trips a snapshot, so a restart loses nothing', async () => {
    const path = join(dir, 'nested', 'state.json');
    const runtime = new StubRuntime();
    const server = await startServer({ runtime, createRuntime: stubFactory, port: 0 });
    const saver = autoSave(server.session, path, { debounceMs: 60_000 });
    try {
      await fetch(`${server.url}/__emulator/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fn: 'setProp', args: ['k', 'v'] }),
      });
      await fetch(`${server.url}/__emulator/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms: 120_000 }),
      });
      await fetch(`${server.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'backendError', times: 2 }),
      });
      expect(() => runtime.youtube.service({ now: () => runtime.clock.now() }).Channels.list('id', { forHandle: '@stub' })).toThrow();
      expect(existsSync(path)).toBe(false); // debounced: nothing written yet
    } finally {
      saver.stop(); // shutdown flushes
      await server.close();
    }
    const saved = readStateFile(path)!;
    const restored = stubFactory({ state: saved.snapshot }) as StubRuntime;
    expect(restored.props).toEqual({ k: 'v' });
    expect(restored.clock.now().toISOString()).toBe('2026-01-05T12:02:00.000Z');
    expect(restored.youtube.listFaults()).toEqual([{ kind: 'backendError', times: 1 }]);
    expect(restored.snapshot()).toEqual(runtime.snapshot());
  });

  it('saves after changes (debounced) and only when something changed', async () => {
    const path = join(dir, 'state.json');
    const session = new DevSession(new StubRuntime());
    const saver = autoSave(session, path, { debounceMs: 5 });
    session.changed();
    session.changed();
    await new Promise((r) => setTimeout(r, 50));
    expect(saver.saves).toBe(1);
    saver.flush();
    expect(saver.saves).toBe(1);
    expect((readStateFile(path)!.snapshot as StubState).now).toBe(Date.parse('2026-01-05T12:00:00Z'));
    // Shutdown always saves: the virtual clock may have moved without an execution.
    (session.runtime as StubRuntime).nowMs += 5000;
    saver.stop();
    expect(saver.saves).toBe(2);
    expect((readStateFile(path)!.snapshot as StubState).now).toBe(Date.parse('2026-01-05T12:00:05Z'));
  });

  it('writes atomically and refuses a file that is not a state file', () => {
    const path = join(dir, 'state.json');
    writeStateFile(path, { a: 1 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, snapshot: { a: 1 } });
    expect(readStateFile(join(dir, 'missing.json'))).toBeNull();
    writeFileSync(path, '{"something":"else"}');
    expect(() => readStateFile(path)).toThrow(/not a state file/);
  });
});
