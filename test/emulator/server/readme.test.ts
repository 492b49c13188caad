/**
 * The README's promises, checked against the real `npm start` (in-process, the built bundle): every
 * command it shows names something that exists or starts the server, every local URL answers, and
 * every curl example runs as written (through a small curl-alike over fetch, so no curl binary is
 * needed), in order, with JOB_ID taken from the job the examples create.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../../../emulator/server/args';
import { main, type RunningDevServer } from '../../../emulator/server/cli';

const ROOT = resolve(__dirname, '../../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const README_ORIGIN = 'http://127.0.0.1:8787';

/** Lines of the ```bash blocks, with backslash continuations joined. */
function bashLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```bash\n([\s\S]*?)```/g)) {
    lines.push(
      ...block[1]!
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  }
  return lines;
}

/** Commands written inline: `npm …` and `npx …` in backticks. */
function inlineCommands(markdown: string): string[] {
  return [...markdown.matchAll(/`((?:npm|npx) [^`]+)`/g)].map((m) => m[1]!);
}

function localUrls(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(/http:\/\/127\.0\.0\.1:8787[^\s`)|"'<>]*/g)].map((m) => m[0].replace(/[.,;:]+$/, '')))];
}

/** Splits a command line as sh does for the quoting the README uses ('…', "…", \x). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (line[j] !== '"') {
        text += line[j] === '\\' ? line[++j] : line[j];
        j++;
      }
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\') word = (word ?? '') + line[++i];
    else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

interface CurlAnswer {
  status: number;
  type: string;
  body: string;
}

/** The curl options the README uses: -X, -H, -d/--data, -L, -s, -S, -i; data without -X means POST. */
async function curlAlike(words: string[], origin: string): Promise<CurlAnswer> {
  expect(words[0]).toBe('curl');
  let method: string | null = null;
  let body: string | null = null;
  let url: string | null = null;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-X' || w === '--request') method = words[++i]!;
    else if (w === '-H' || w === '--header') {
      const h = words[++i]!;
      headers[h.slice(0, h.indexOf(':')).trim().toLowerCase()] = h.slice(h.indexOf(':') + 1).trim();
    } else if (w === '-d' || w === '--data') body = (body === null ? '' : `${body}&`) + words[++i]!;
    else if (/^-[LsSi]+$/.test(w)) continue;
    else if (w.startsWith('-')) throw new Error(`curl option ${w} is not understood by this test; extend curlAlike`);
    else url = w;
  }
  if (!url) throw new Error(`no URL in ${words.join(' ')}`);
  if (body !== null) headers['content-type'] ??= 'application/x-www-form-urlencoded'; // curl's default for -d
  const res = await fetch(url.replace(README_ORIGIN, origin), {
    method: method ?? (body !== null ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'follow',
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'y2s-readme-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `npm start -- <flags from the README>`, on a free port and a temporary state file. */
async function startAsReadme(flags: string[], lines: string[] = []): Promise<RunningDevServer> {
  return main(parseArgs([...flags, '--port', '0', '--no-build', '--state', join(dir, 'state.json')]), (l) => lines.push(l));
}

const startFlags = (command: string): string[] | null => {
  const words = shellWords(command);
  if (words[0] !== 'npm' || words[1] !== 'start') return null;
  return words[2] === '--' ? words.slice(3) : [];
};

describe('README commands', () => {
  const commands = [...bashLines(README), ...inlineCommands(README)].filter((c) => /^(npm|npx) /.test(c));

  it('finds the commands it checks', () => {
    expect(commands).toEqual(expect.arrayContaining(['npm install && npm start', 'npm test', 'npm start -- --fresh', 'npm run build']));
  });

  it('names only npm scripts and tools that exist', () => {
    for (const command of commands.flatMap((c) => c.split('&&').map((p) => p.trim()))) {
      const words = shellWords(command);
      if (words[0] === 'npx')
        expect({
          command,
          installed: Object.keys(PACKAGE.devDependencies).some((d) => d.endsWith(`/${words[1]}`) || d === words[1]),
        }).toEqual({ command, installed: true });
      else if (words[1] === 'run') expect({ command, script: words[2]! in PACKAGE.scripts }).toEqual({ command, script: true });
      else if (words[1] === 'start' || words[1] === 'test')
        expect({ command, script: words[1] in PACKAGE.scripts }).toEqual({ command, script: true });
      else expect({ command, builtin: ['install', 'ci'].includes(words[1]!) }).toEqual({ command, builtin: true });
    }
  });

  it('starts the server with every `npm start -- …` flag set it shows', async () => {
    const variants = [
      ...new Set(
        commands
          .map((c) => startFlags(c.split('&&').pop()!.trim()))
          .filter((f): f is string[] => f !== null)
          .map((f) => JSON.stringify(f)),
      ),
    ];
    expect(variants.length).toBeGreaterThanOrEqual(4);
    for (const variant of variants) {
      const lines: string[] = [];
      const running = await startAsReadme(JSON.parse(variant) as string[], lines);
      try {
        expect(lines.join('\n')).toContain(`${running.server.url}/exec`);
        expect((await fetch(`${running.server.url}/exec/api/v1/jobs/health`)).status).toBe(200);
      } finally {
        await running.stop();
      }
    }
  });
});

describe('README URLs and curl examples against npm start', () => {
  it('every local URL answers, the docs page works, and the curl examples run in order', async () => {
    const lines: string[] = [];
    const running = await startAsReadme(['--api-key', 'local-dev-key-123', '--speed', '0'], lines);
    const origin = running.server.url;
    try {
      // URLs of the prose and tables (those of the curl lines run below, with their headers).
      const urls = localUrls(README.replace(/```bash\n[\s\S]*?```/g, ''));
      expect(urls).toEqual(expect.arrayContaining([`${README_ORIGIN}/docs`, `${README_ORIGIN}/openapi.json`]));
      for (const url of urls.filter((u) => !u.includes('JOB_ID'))) {
        const res = await fetch(url.replace(README_ORIGIN, origin));
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
      }

      // The documentation, at the root paths and under the API, without a key.
      const doc = (await (await fetch(`${origin}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/jobs');
      for (const path of ['/docs', '/exec/api/v1/docs', '/api/v1/docs']) {
        const page = await fetch(`${origin}${path}`);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await page.text();
        expect(html).toContain('Authorize');
        for (const asset of html.matchAll(/(?:src|href)="(\/__assets\/[^"]+)"/g))
          expect((await fetch(`${origin}${asset[1]}`)).status).toBe(200);
      }
      for (const path of ['/exec/api/v1/openapi.json', '/api/v1/openapi.json']) expect((await fetch(`${origin}${path}`)).status).toBe(200);

      // The start-up banner's "API docs" link opens the page.
      const docsLink = /API docs\s+(\S+)/.exec(lines.join('\n'))?.[1];
      expect(docsLink).toBe(`${origin}/docs`);
      expect(await (await fetch(docsLink!)).text()).toContain('swagger-ui-bundle.js');

      // The curl examples, in order.
      let jobId: string | null = null;
      const curls = bashLines(README).filter((l) => l.startsWith('curl '));
      expect(curls.length).toBeGreaterThanOrEqual(5);
      for (const line of curls) {
        if (line.includes('JOB_ID') && !jobId) throw new Error(`"${line}" needs a job created by an earlier example`);
        const answer = await curlAlike(shellWords(line.replace(/JOB_ID/g, jobId ?? 'JOB_ID')), origin);
        expect({ line, status: answer.status, type: answer.type }).toEqual({
          line,
          status: 200,
          type: expect.stringMatching(/^application\/json/),
        });
        const envelope = JSON.parse(answer.body) as { ok: boolean; data: { id?: string; status?: string } };
        expect({ line, ok: envelope.ok }).toEqual({ line, ok: true });
        if (/-X POST\b.*\/jobs\s/.test(`${line} `) || (envelope.data?.id ?? '').startsWith('j_')) jobId = envelope.data.id ?? jobId;
        if (line.includes('/execute')) expect(envelope.data.status).toBe('succeeded');
      }
      expect(jobId).toMatch(/^j_/);
    } finally {
      await running.stop();
    }
  });
});
