/**
 * Simultaneous API requests through the built bundle, each on its own worker thread, interleaved by an
 * adversary that holds every request at its cache write until no request can move without it. The
 * request limit and the failure budget must hold exactly, however the requests interleave.
 */
import { createRuntime, type Runtime } from '../../../emulator';
import { DEFAULT_LIMITS } from '../../../src-server/api/types';
import { interleaveAt } from '../../support/interleave';

const KEY = 'y2s_k_0000aaa1_concurrencyKeySecret000000001';
const WRONG = 'y2s_k_0000aaa1_concurrencyKeySecretWRONG0001';
const OVERLAPPING = 16;

interface Envelope {
  ok: boolean;
  error?: { status: number; code: string };
}

function runtime(): Runtime {
  // No latency: the virtual clock stays inside one rate window however long the workers take.
  const rt = createRuntime({ start: '2026-01-05T12:00:05Z', latency: { '*': 0 } });
  const imported = rt.run('importLocalApiKey_', KEY, { name: 'concurrency', scope: 'read' });
  if (!imported.ok) throw new Error(imported.error?.message);
  const saved = rt.scriptRun<{ ok: boolean }>('saveSettings', { rate_limit_per_minute: 5 });
  if (!saved.value?.ok) throw new Error('saveSettings failed');
  return rt;
}

async function overlapping(rt: Runtime, key: string): Promise<Envelope[]> {
  const adversary = interleaveAt(rt, 'CacheService.Cache.put', OVERLAPPING);
  try {
    const requests = Array.from({ length: OVERLAPPING }, () =>
      adversary.track(
        rt.webRequestAsync({ method: 'GET', pathInfo: 'api/v1/jobs', query: { key } }, { beforeCall: (c) => adversary.beforeCall(c) }),
      ),
    );
    const answers = await Promise.all(requests);
    expect(adversary.opened).toBe(true);
    return answers.map(({ result, response }) => {
      if (!result.ok) throw new Error(`doGet failed: ${result.error?.message}`);
      return JSON.parse(response!.body) as Envelope;
    });
  } finally {
    adversary.stop();
  }
}

function tally(answers: Envelope[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const label = a.ok ? 'ok' : `${a.error!.status} ${a.error!.code}`;
    out[label] = (out[label] ?? 0) + 1;
  }
  return out;
}

describe('simultaneous requests (worker threads, adversarial interleaving)', () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = runtime();
  });
  afterEach(async () => {
    await rt.close();
  });

  test(`${OVERLAPPING} simultaneous requests of one key against a limit of 5: exactly 5 pass`, async () => {
    const counts = tally(await overlapping(rt, KEY));
    expect(counts).toEqual({ ok: 5, '429 rate_limited': OVERLAPPING - 5 });
  });

  test(`${OVERLAPPING} simultaneous wrong guesses: exactly the failure budget is checked, the rest is refused unchecked`, async () => {
    const budget = DEFAULT_LIMITS.authFailuresPerSlotPerMinute;
    const counts = tally(await overlapping(rt, WRONG));
    expect(counts).toEqual({ '401 unauthorized': budget, '429 auth_rate_limited': OVERLAPPING - budget });
    // The valid key of that slot waits for the next window like everyone else.
    expect(JSON.parse(rt.webRequest({ method: 'GET', pathInfo: 'api/v1/jobs', query: { key: KEY } }).response!.body)).toMatchObject({
      error: { status: 429 },
    });
    rt.advance(60_000);
    expect(JSON.parse(rt.webRequest({ method: 'GET', pathInfo: 'api/v1/jobs', query: { key: KEY } }).response!.body)).toMatchObject({
      ok: true,
    });
  });
});
