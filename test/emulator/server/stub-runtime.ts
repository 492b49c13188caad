/** A small stand-in for the core's Runtime: enough for the dev server's own tests. */
import { YouTubeFake } from '../../../emulator/youtube/fake';
import { makeDataset } from '../../../emulator/youtube/demo-dataset';
import type { DevRuntime, ExecutionResultLike, RuntimeFactory, WebRequestLike, WebResponseLike } from '../../../emulator/server/types';

export interface StubState {
  now: number;
  counter: number;
  props: Record<string, string>;
  youtube: ReturnType<YouTubeFake['toJSON']>;
}

export class StubRuntime implements DevRuntime {
  nowMs: number;
  counter = 0;
  props: Record<string, string> = {};
  youtube: YouTubeFake;
  readonly requests: WebRequestLike[] = [];
  readonly fired: string[] = [];
  readonly clock = { now: () => new Date(this.nowMs) };
  /** Each execution advances the clock by this much (modelled latency). */
  latencyMs = 0;
  /** A trigger due every `triggerEveryMs` of virtual time. */
  triggerEveryMs = 60_000;

  constructor(state?: StubState) {
    this.nowMs = state?.now ?? Date.parse('2026-01-05T12:00:00Z');
    this.counter = state?.counter ?? 0;
    this.props = { ...(state?.props ?? {}) };
    this.youtube = state ? YouTubeFake.fromJSON(state.youtube) : new YouTubeFake({ dataset: makeDataset({ handle: '@stub', videos: 3 }) });
  }

  private exec(value: unknown, ok = true): ExecutionResultLike {
    const startedAt = new Date(this.nowMs);
    this.nowMs += this.latencyMs;
    this.counter += 1;
    return ok
      ? { ok, value, killed: false, startedAt, finishedAt: new Date(this.nowMs), calls: { 'Stub.call': 1 }, logs: [] }
      : {
          ok,
          error: { name: 'TypeError', message: `boom <${String(value)}>` },
          killed: false,
          startedAt,
          finishedAt: new Date(this.nowMs),
          calls: {},
          logs: ['oops'],
        };
  }

  run(fn: string, ...args: unknown[]): ExecutionResultLike {
    if (fn === 'fail') return this.exec('fail', false);
    if (fn === 'setProp') this.props[String(args[0])] = String(args[1]);
    return this.exec({ fn, args, at: new Date(this.nowMs) });
  }

  scriptRun(fn: string, ...args: unknown[]): ExecutionResultLike {
    if (fn.endsWith('_')) return { ...this.exec(fn, false), error: { name: 'Error', message: `Script function not found: ${fn}` } };
    return this.run(fn, ...args);
  }

  advanceTo(when: Date): ExecutionResultLike[] {
    const results: ExecutionResultLike[] = [];
    let next = (Math.floor(this.nowMs / this.triggerEveryMs) + 1) * this.triggerEveryMs;
    while (next <= when.getTime()) {
      this.nowMs = Math.max(this.nowMs, next);
      this.fired.push(new Date(next).toISOString());
      results.push(this.exec('tick'));
      next += this.triggerEveryMs;
    }
    this.nowMs = Math.max(this.nowMs, when.getTime());
    return results;
  }

  advance(ms: number): ExecutionResultLike[] {
    return this.advanceTo(new Date(this.nowMs + ms));
  }

  webRequest(req: WebRequestLike): { result: ExecutionResultLike; response: WebResponseLike | null } {
    this.requests.push(req);
    const path = req.pathInfo ?? '';
    if (path === 'throw') return { result: this.exec('thrown', false), response: null };
    if (path === 'none') return { result: this.exec(null), response: null };
    if (path === 'csv') return { result: this.exec('csv'), response: { mimeType: 'CSV', body: 'a,b\n1,2\n' } };
    if (path === 'html') return { result: this.exec('html'), response: { mimeType: 'text/html', body: '<p>hi</p>', html: true } };
    const status = /^status\/(\d+)$/.exec(path);
    const envelope = status ? { ok: false, error: { status: Number(status[1]), code: 'x', message: 'nope' } } : { ok: true, data: { req } };
    const body = JSON.stringify(envelope);
    return { result: this.exec('web'), response: { mimeType: 'application/json', body, json: envelope } };
  }

  snapshot(): StubState {
    return { now: this.nowMs, counter: this.counter, props: { ...this.props }, youtube: this.youtube.toJSON() };
  }

  readonly spreadsheets = {
    list: () => [
      {
        id: 'ss1',
        name: 'Book',
        sheets: [
          { name: 'Videos', hidden: false },
          { name: '_state', hidden: true },
        ],
      },
    ],
    values: (id: string, tab: string) => (tab === 'Videos' ? [['title'], ['=IMPORTXML("http://x","//a")']] : [[id]]),
    formulas: () => [[''], ['']],
  };

  get properties() {
    return { script: this.props, user: {}, document: {} };
  }
  readonly triggers = [{ handler: 'tick', kind: 'clock-every-minutes', everyMinutes: 1 }];
  readonly mail = [];
  readonly calls = { toJSON: () => ({ 'Stub.call': this.counter }) };
}

export const stubFactory: RuntimeFactory = ({ state, dataset }) => {
  const runtime = new StubRuntime(state as StubState | undefined);
  if (dataset) runtime.youtube.setDataset(dataset);
  return runtime;
};

/** The parts of GET /__emulator/state that tests read. */
export interface StateJson {
  now: string;
  sheets: { id: string; name: string; tabs: { name: string; hidden: boolean; values?: unknown[][] }[] }[];
  properties: { script: Record<string, string> };
  triggers: unknown[];
  mail: unknown[];
  quota: { usedToday: number; limit: number; remaining: number; resetAt: string };
  youtube: { channels: { handle: string | null }[]; faults: unknown[] };
  calls: Record<string, number>;
  recent: unknown[];
}
