import { buildWebEvent } from '../../emulator';
import { WebRequestError } from '../../emulator/web-request-error';
import { scriptRuntime } from './helpers';

const code = `
function doGet(e) { return ContentService.createTextOutput(JSON.stringify(e)).setMimeType(ContentService.MimeType.JSON); }
function doPost(e) { return HtmlService.createHtmlOutput('<p>' + e.postData.contents + '</p>'); }
function echo(x) { return x; }
function withDate() { return { when: new Date() }; }
function holes() { return { a: undefined, b: [1, undefined], c: null }; }
function secret_() { return 'hidden'; }
`;

describe('web app requests', () => {
  it('builds the GET event object as Apps Script does (no headers)', () => {
    const rt = scriptRuntime(code);
    const { result, response } = rt.webRequest({ method: 'GET', pathInfo: 'v1/jobs', query: { key: 'k 1', tag: ['a', 'b'] } });
    expect(result.ok).toBe(true);
    expect(response?.mimeType).toBe('application/json');
    expect(response?.json).toEqual({
      queryString: 'key=k%201&tag=a&tag=b',
      parameter: { key: 'k 1', tag: 'a' },
      parameters: { key: ['k 1'], tag: ['a', 'b'] },
      contextPath: '',
      contentLength: -1,
      pathInfo: 'v1/jobs',
    });
  });

  it('adds postData (and form fields to the parameters) for POST', () => {
    expect(buildWebEvent({ method: 'POST', query: { a: '1' }, body: 'b=2&a=3', contentType: 'application/x-www-form-urlencoded' })).toEqual(
      {
        queryString: 'a=1',
        parameter: { a: '1', b: '2' },
        parameters: { a: ['1', '3'], b: ['2'] },
        contextPath: '',
        contentLength: 7,
        postData: { contents: 'b=2&a=3', length: 7, type: 'application/x-www-form-urlencoded', name: 'postData' },
      },
    );
    const json = buildWebEvent({ method: 'POST', body: '{"é":1}', contentType: 'application/json' });
    expect(json.postData).toEqual({ contents: '{"é":1}', length: 8, type: 'application/json', name: 'postData' });
    expect(json.parameters).toEqual({});
    expect(json).not.toHaveProperty('pathInfo');
    expect(json).not.toHaveProperty('headers');
  });

  it('keeps parameters named like Object.prototype members as plain data, into the script', () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__'];
    const form = names.map((n, i) => `${n}=f${i}`).join('&');
    const query = Object.fromEntries(names.map((n, i) => [n, `q${i}`]));
    Object.defineProperty(query, '__proto__', { value: 'q3', enumerable: true });
    const event = buildWebEvent({ method: 'POST', query, body: form, contentType: 'application/x-www-form-urlencoded' });
    for (const [i, n] of names.entries()) {
      expect(Object.getOwnPropertyDescriptor(event.parameters, n)?.value).toEqual([`q${i}`, `f${i}`]);
      expect(Object.getOwnPropertyDescriptor(event.parameter, n)?.value).toBe(`q${i}`);
    }
    // The script sees them as own data too (the wire into the sandbox keeps __proto__ a key).
    const rt = scriptRuntime(code);
    const { response } = rt.webRequest({ method: 'GET', query });
    const seen = response?.json as { parameter: Record<string, string> };
    expect(JSON.stringify(seen.parameter)).toBe('{"constructor":"q0","toString":"q1","hasOwnProperty":"q2","__proto__":"q3"}');
  });

  it('refuses a form body with a malformed percent-encoding before the script runs', () => {
    for (const body of ['a=%ZZ', 'a=%', '%C0%AE=1', 'x=%ED%A0%80']) {
      expect(() => buildWebEvent({ method: 'POST', body, contentType: 'application/x-www-form-urlencoded' })).toThrow(WebRequestError);
    }
    // The same text as a JSON or plain body is not form encoding: it passes as it is.
    expect(buildWebEvent({ method: 'POST', body: 'a=%ZZ', contentType: 'text/plain' }).postData?.contents).toBe('a=%ZZ');
  });

  it('returns HTML outputs as html responses', () => {
    const rt = scriptRuntime(code);
    const { response } = rt.webRequest({ method: 'POST', body: 'hi' });
    expect(response).toEqual({ mimeType: 'text/html', body: '<p>hi</p>', html: true });
  });
});

describe('google.script.run semantics (scriptRun)', () => {
  it('passes plain values through as copies', () => {
    const rt = scriptRuntime(code);
    expect(rt.scriptRun('echo', { a: [1, 'x', true, null] }).value).toEqual({ a: [1, 'x', true, null] });
    expect(rt.scriptRun('holes').value).toEqual({ b: [1, null], c: null });
  });

  it('refuses Date and function arguments before running anything', () => {
    const rt = scriptRuntime(code);
    const r = rt.scriptRun('echo', { when: new Date() });
    expect(r.ok).toBe(false);
    expect(r.error).toEqual({ name: 'Error', message: 'Failed due to illegal value in property: when' });
    expect(rt.scriptRun('echo', [() => 1]).error?.message).toBe('Failed due to illegal value in property: 0');
    expect(rt.calls.toJSON()).toEqual({});
  });

  it('delivers null for a result holding a Date', () => {
    const rt = scriptRuntime(code);
    const r = rt.scriptRun('withDate');
    expect(r.ok).toBe(true);
    expect(r.value).toBeNull();
  });

  it('does not expose private functions (ending in _) nor unknown ones', () => {
    const rt = scriptRuntime(code);
    expect(rt.scriptRun('secret_').error).toEqual({ name: 'TypeError', message: 'google.script.run.secret_ is not a function' });
    expect(rt.scriptRun('nope').error?.message).toBe('google.script.run.nope is not a function');
    expect(rt.run('secret_').value).toBe('hidden');
  });
});
