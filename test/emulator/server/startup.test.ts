/**
 * `npm start` as a user meets it: a bad flag value stops it with a clear message and a non-zero exit
 * (issue 12); a signal always saves the state before the process ends (issue 16, point 7).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../../../emulator/server/args';
import { main, StartupError } from '../../../emulator/server/cli';

const ROOT = resolve(__dirname, '../../..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'y2s-startup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (extra: string[]) => parseArgs(['--port', '0', '--speed', '0', '--no-build', '--state', join(dir, 'state.json'), ...extra]);

function busyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => done({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('a bad flag value stops npm start (in-process)', () => {
  it('a refused --api-key', async () => {
    const lines: string[] = [];
    await expect(main(options(['--api-key', 'short']), (l) => lines.push(l))).rejects.toThrow(StartupError);
    await expect(main(options(['--api-key', 'short']), () => undefined)).rejects.toThrow(/--api-key \*\*\*\*: refused — .*8/);
    expect(lines.join('\n')).not.toContain('Web app');
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
  });

  it('a port in use', async () => {
    const { server, port } = await busyPort();
    try {
      await expect(
        main(parseArgs(['--port', String(port), '--speed', '0', '--no-build', '--state', join(dir, 'state.json')]), () => undefined),
      ).rejects.toThrow(new RegExp(`--port ${port}: 127\\.0\\.0\\.1:${port} is already in use`));
      expect(existsSync(join(dir, 'state.json'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('an unreadable or invalid dataset', async () => {
    await expect(main(options(['--dataset', join(dir, 'missing.json')]), () => undefined)).rejects.toThrow(
      /--dataset .*missing\.json: cannot use it — no such file/,
    );
    writeFileSync(join(dir, 'bad.json'), '{"version":1,"channels":[{"id":"x"}]}');
    await expect(main(options(['--dataset', join(dir, 'bad.json')]), () => undefined)).rejects.toThrow(
      /--dataset .*bad\.json: cannot use it — .*channels\[0\]/,
    );
  });
});

/** `npm start -- args` in its own process group, as a user runs it. */
function npmStart(args: string[], cwd = ROOT): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn('npm', ['start', '--', ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
}

describe('npm start as a process', () => {
  it('exits non-zero with a clear message when the port is in use', async () => {
    const { server, port } = await busyPort();
    const run = npmStart(['--port', String(port), '--no-build', '--state', join(dir, 'state.json')]);
    try {
      expect(await run.exited).not.toBe(0);
      expect(run.output()).toContain(`npm start: --port ${port}: 127.0.0.1:${port} is already in use`);
    } finally {
      killGroup(run.child);
      server.close();
    }
  }, 60_000);

  it('SIGTERM to npm saves every acknowledged change and ends the server process', async () => {
    const key = 'sigterm-key-0001';
    const state = join(dir, 'state.json');
    const run = npmStart(['--port', '0', '--speed', '0', '--no-build', '--fresh', '--state', state, '--api-key', key]);
    try {
      const url = await waitFor('the banner', () => /Web app\s+(http:\/\/\S+)\/exec/.exec(run.output())?.[1]);
      const created = await fetch(`${url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({
          name: 'Saved on SIGTERM',
          channels: ['@tinycooking'],
          schedule_type: 'daily',
          schedule_value: '09:00',
          target_tab_name: 'T',
        }),
      });
      expect(created.status).toBe(200);
      // Acknowledged; the debounced save (0.5 s) has not run yet.
      process.kill(run.child.pid!, 'SIGTERM');
      await waitFor('every process of npm start to end', () => (groupAlive(run.child.pid!) ? null : true), 15_000);
      expect(readFileSync(state, 'utf8')).toContain('Saved on SIGTERM');
    } finally {
      killGroup(run.child);
    }
  }, 90_000);

  it('SIGTERM to the server while executions run saves after them, before exiting', async () => {
    const key = 'sigterm-key-0002';
    const state = join(dir, 'state.json');
    const run = npmStart(['--port', '0', '--speed', '0', '--no-build', '--fresh', '--state', state, '--api-key', key]);
    try {
      const url = await waitFor('the banner', () => /Web app\s+(http:\/\/\S+)\/exec/.exec(run.output())?.[1]);
      const headers = { 'content-type': 'application/json', 'x-api-key': key };
      const pid = ((await (await fetch(`${url}/__emulator/state?values=0`)).json()) as { server: { pid: number } }).server.pid;
      const created = await fetch(`${url}/api/v1/jobs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'Busy',
          channels: ['@tinycooking'],
          schedule_type: 'daily',
          schedule_value: '09:00',
          target_tab_name: 'Busy',
        }),
      });
      expect(created.status).toBe(200);
      // Two days of virtual time in one control: ~580 trigger executions, seconds of real time during
      // which the event loop is busy, and the job runs twice.
      const { port } = new URL(url);
      let sentAt = 0;
      const executing = new Promise<number>((done) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: Number(port),
            method: 'POST',
            path: '/__emulator/advance',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('error', () => done(0));
        req.on('finish', () => (sentAt = Date.now()));
        req.end(JSON.stringify({ ms: 2 * 86_400_000 }));
      });
      await waitFor('the request to be sent', () => (sentAt ? true : null));
      await new Promise((r) => setTimeout(r, 50));
      process.kill(pid, 'SIGTERM');
      // The executions finish and are answered; then the handler saves and the process ends.
      expect(await executing).toBe(200);
      await waitFor('every process of npm start to end', () => (groupAlive(run.child.pid!) ? null : true), 15_000);
      const saved = readFileSync(state, 'utf8');
      expect(saved).toContain('Busy');
      expect(saved).toContain('succeeded');
      expect(run.output()).toContain('SIGTERM: state saved');
    } finally {
      killGroup(run.child);
    }
  }, 90_000);
});

describe('npm start on a fresh clone (no build/ yet)', () => {
  it('builds the bundle first, then serves', async () => {
    // A checkout of the tracked files without build/ (node_modules linked): what `git clone && npm install` leaves.
    const clone = join(dir, 'clone');
    execFileSync('bash', [
      '-c',
      `mkdir -p "${clone}" && git -C "${ROOT}" ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "${clone}" && ln -s "${join(ROOT, 'node_modules')}" "${join(clone, 'node_modules')}"`,
    ]);
    expect(existsSync(join(clone, 'build'))).toBe(false);
    const run = npmStart(['--port', '0', '--speed', '0', '--fresh', '--state', join(dir, 'state.json')], clone);
    try {
      await waitFor('the banner', () => (run.output().includes('Web app') ? true : run.output().includes('Error') ? false : null), 120_000);
      expect(run.output()).toContain('Building (');
      expect(run.output()).not.toMatch(/ERR_MODULE_NOT_FOUND|Error/);
      expect(existsSync(join(clone, 'build', 'Code.js'))).toBe(true);
    } finally {
      killGroup(run.child);
    }
  }, 150_000);
});
