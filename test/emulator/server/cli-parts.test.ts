import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, parseArgs } from '../../../emulator/server/args';
import { staleReason } from '../../../emulator/server/freshness';
import { registerApiKeys, maskKey, serveDocsAssetsLocally } from '../../../emulator/server/api-keys';
import { StubRuntime } from './stub-runtime';

describe('npm start flags', () => {
  it('has the documented defaults', () => {
    expect(parseArgs([], '/repo')).toEqual({
      port: 8787,
      host: '127.0.0.1',
      speed: 1,
      statePath: '/repo/.local/state.json',
      apiKeys: [],
      openApi: false,
      datasetPath: null,
      fresh: false,
      build: true,
      help: false,
      exactTriggers: false,
      triggerSeed: 1,
    });
  });

  it('triggers fire late and overlap unless --exact-triggers; the seed is a flag', () => {
    expect(parseArgs(['--exact-triggers', '--trigger-seed', '7'], '/repo')).toMatchObject({ exactTriggers: true, triggerSeed: 7 });
    expect(() => parseArgs(['--trigger-seed', '-1'], '/repo')).toThrow('--trigger-seed: expected a number from 0 to 4294967295, got -1');
  });

  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const o = parseArgs(
      [
        '--port',
        '0',
        '--host=0.0.0.0',
        '--speed',
        '60',
        '--state',
        's.json',
        '--api-key',
        'a',
        '--api-key=b',
        '--dataset',
        'd.json',
        '--fresh',
        '--no-build',
      ],
      '/repo',
    );
    expect(o).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      speed: 60,
      statePath: '/repo/s.json',
      apiKeys: ['a', 'b'],
      datasetPath: '/repo/d.json',
      fresh: true,
      build: false,
    });
  });

  it('names the flag and the problem', () => {
    expect(() => parseArgs(['--port', 'x'])).toThrow('--port: expected a number from 0 to 65535, got x');
    expect(() => parseArgs(['--speed', '-1'])).toThrow(CliError);
    expect(() => parseArgs(['--state'])).toThrow('--state: missing value');
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option --bogus/);
    expect(() => parseArgs(['--open-api'])).toThrow('--open-api: needs an --api-key to act with');
    expect(parseArgs(['--open-api', '--api-key', 'k1234567']).openApi).toBe(true);
  });
});

describe('build freshness', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'y2s-fresh-'));
    mkdirSync(join(root, 'src-server/domain'), { recursive: true });
    writeFileSync(join(root, 'src-server/domain/a.ts'), 'x');
    writeFileSync(join(root, 'appsscript.json'), '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const age = (path: string, secondsAgo: number) => {
    const t = Date.now() / 1000 - secondsAgo;
    utimesSync(path, t, t);
  };

  it('is stale when build/ is missing, fresh after a build, stale again when a source changes', () => {
    expect(staleReason(root)).toMatch(/Code\.js is missing/);
    for (const p of ['src-server/domain/a.ts', 'src-server/domain', 'src-server', 'appsscript.json']) age(join(root, p), 100);
    mkdirSync(join(root, 'build'));
    writeFileSync(join(root, 'build/Code.js'), '');
    writeFileSync(join(root, 'build/appsscript.json'), '{}');
    // Built 50 s ago: a source written now is newer even where mtimes are coarse.
    for (const p of ['build/Code.js', 'build/appsscript.json']) age(join(root, p), 50);
    expect(staleReason(root)).toBeNull();
    writeFileSync(join(root, 'src-server/domain/a.ts'), 'y');
    expect(staleReason(root)).toMatch(/src-server changed/);
  });
});

describe('--api-key registration', () => {
  it("stores each key through the bundle's importLocalApiKey_ and reports failures", () => {
    const runtime = new StubRuntime();
    const calls: unknown[][] = [];
    runtime.run = (fn: string, ...args: unknown[]) => {
      calls.push([fn, ...args]);
      const base = { killed: false, startedAt: new Date(0), finishedAt: new Date(0), calls: {}, logs: [] };
      return String(args[0]).startsWith('bad')
        ? { ...base, ok: false, error: { name: 'Error', message: 'store full' } }
        : { ...base, ok: true, value: 'k_1' };
    };
    expect(registerApiKeys(runtime, ['secret-key-1', 'bad-key'])).toEqual([
      { key: 'secret-key-1', status: 'registered', id: 'k_1' },
      { key: 'bad-key', status: 'failed', message: 'store full' },
    ]);
    expect(calls[0]).toEqual(['importLocalApiKey_', 'secret-key-1', { name: 'local (--api-key)', scope: 'write' }]);
    expect(maskKey('secret-key-1')).toBe('secr…-1');
  });

  it('points the /docs page at the locally served Swagger UI assets', () => {
    const runtime = new StubRuntime();
    serveDocsAssetsLocally(runtime);
    expect(runtime.props['api.docs_assets_url']).toBe('/__assets/swagger-ui');
  });
});
