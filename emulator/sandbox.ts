/**
 * The sandbox: a fresh node:vm context per execution holding only the language's built-ins and the
 * Apps Script service globals. It has no Node dependency beyond node:vm and imports no service fake, so
 * the worker bundle stays small: services are reached only through the bridge the host passes in.
 *
 * Inside the context a small prelude (compiled once, run per context) installs
 *   - a virtual `Date` (same prototype as the realm's Date, `new Date()`/`Date.now()` read the bridge clock),
 *   - `console` capturing lines,
 *   - the service globals as objects of the sandbox's own realm whose methods call `bridge.call`,
 *   - a converter from host "wire" values to sandbox values (arrays, plain objects, Dates of this realm).
 * The bridge is kept in the prelude's closure only: no global of the sandbox leads back to the host.
 */
import * as vm from 'node:vm';

/** Tags used on the wire between sandbox and host (JSON- and structured-clone-safe). */
export const WIRE_REF = '\u0001r';
export const WIRE_DATE = '\u0001d';
export const WIRE_FN = '\u0001f';

export interface WireError {
  name: string;
  message: string;
  details?: unknown;
}
export type WireResult = { v: unknown; e?: undefined } | { e: WireError; v?: undefined };

export interface TypeInfo {
  methods: string[];
  enums?: Record<string, Record<string, string>>;
  ownPropsFor?: string[];
}

export interface SandboxBridge {
  /** Virtual now, ms since epoch. */
  now(): number;
  /** One service call: handle id of the object, method name, args in wire form. */
  call(id: number, method: string, args: unknown[]): WireResult;
  describe(type: string): TypeInfo;
  log(level: string, line: string): void;
  /** The script's time zone (appsscript.json): local-time Date methods and Intl's default zone use it, as in Apps Script. */
  timeZone: string;
  /** Globals to install, in wire form (refs for services, plain objects of refs for YouTube). */
  globals: Record<string, unknown>;
}

export interface CompiledCode {
  readonly script: vm.Script;
  readonly source: string;
}

export type SandboxOutcome = { ok: true; value: unknown } | { ok: false; error: WireError; timedOut: boolean };

const PRELUDE_SOURCE = String.raw`(function (bridge, REF, DATE, FN) {
  'use strict';
  const G = globalThis;
  const RealDate = G.Date;
  const hostNow = bridge.now;
  const define = (obj, name, value) => Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  // Virtual Date: instances are genuine Dates of this realm; only "now" reads the virtual clock.
  const VDate = function Date(...args) {
    if (new.target === undefined) return new RealDate(hostNow()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [hostNow()] : args, new.target);
  };
  VDate.prototype = RealDate.prototype;
  define(VDate, 'now', function now() { return hostNow(); });
  define(VDate, 'parse', RealDate.parse);
  define(VDate, 'UTC', RealDate.UTC);
  Object.defineProperty(VDate, 'length', { value: 7 });
  define(RealDate.prototype, 'constructor', VDate);
  define(G, 'Date', VDate);
  installScriptZone(bridge.timeZone);

  // Local time is the script's time zone (Apps Script runs V8 in it), not the Node process zone:
  // local getters/setters, local-component constructors, zone-less parsing, toString and friends,
  // and Intl.DateTimeFormat's default zone. Offsets come from Intl (ICU), like V8's own.
  function installScriptZone(tz) {
    const P = RealDate.prototype;
    const orig = {};
    for (const k of Object.getOwnPropertyNames(P)) orig[k] = P[k];
    const RealDTF = Intl.DateTimeFormat;
    const MIN = 60000, DAY = 86400000, MAX_TIME = 8.64e15;
    let partsFormat = null, nameFormat = null;
    const offsets = new Map();
    // Minutes east of UTC at instant ms (what getTimezoneOffset negates).
    function offsetAt(ms) {
      const minute = Math.floor(ms / MIN);
      const cached = offsets.get(minute);
      if (cached !== undefined) return cached;
      partsFormat = partsFormat || new RealDTF('en-US', { timeZone: tz, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      const p = {};
      for (const part of partsFormat.formatToParts(minute * MIN)) p[part.type] = part.value;
      const year = p.era === 'BC' || p.era === 'B' ? 1 - Number(p.year) : Number(p.year);
      const wall = wallOf(year, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second), 0);
      const offset = Math.round((wall - minute * MIN) / MIN);
      if (offsets.size > 512) offsets.clear();
      offsets.set(minute, offset);
      return offset;
    }
    // The instant whose wall-clock time in tz is wall (ms of a UTC-read wall time). Like V8: a
    // repeated hour takes the earlier instant; a skipped hour is read with the offset before the change.
    function wallToUtc(wall) {
      if (!isFinite(wall)) return NaN;
      const before = offsetAt(wall - DAY) * MIN;
      const after = offsetAt(wall + DAY) * MIN;
      let best = NaN;
      for (const c of [wall - before, wall - after]) if (c + offsetAt(c) * MIN === wall && !(c >= best)) best = c;
      return best === best ? best : wall - before;
    }
    function localParts(d) {
      const t = orig.getTime.call(d);
      if (t !== t) return null;
      const w = new RealDate(t + offsetAt(t) * MIN);
      return { y: orig.getUTCFullYear.call(w), mo: orig.getUTCMonth.call(w), d: orig.getUTCDate.call(w), h: orig.getUTCHours.call(w),
        mi: orig.getUTCMinutes.call(w), s: orig.getUTCSeconds.call(w), ms: orig.getUTCMilliseconds.call(w), wd: orig.getUTCDay.call(w) };
    }
    function wallOf(y, mo, d, h, mi, s, ms) {
      const w = new RealDate(0);
      orig.setUTCFullYear.call(w, y, mo, d);
      orig.setUTCHours.call(w, h, mi, s, ms);
      return orig.getTime.call(w);
    }
    function timeClip(t) {
      return isFinite(t) && Math.abs(t) <= MAX_TIME ? Math.trunc(t) + 0 : NaN;
    }
    const num = (v) => Number(v);
    const getters = { getFullYear: 'y', getMonth: 'mo', getDate: 'd', getDay: 'wd', getHours: 'h', getMinutes: 'mi', getSeconds: 's', getMilliseconds: 'ms' };
    for (const name of Object.keys(getters)) {
      const key = getters[name];
      define(P, name, { [name]() { const p = localParts(this); return p ? p[key] : NaN; } }[name]);
    }
    define(P, 'getYear', function getYear() { const p = localParts(this); return p ? p.y - 1900 : NaN; });
    define(P, 'getTimezoneOffset', function getTimezoneOffset() { const t = orig.getTime.call(this); return t === t ? -offsetAt(t) : NaN; });
    // Local setters: the fields not given keep their local values; NaN dates stay NaN except setFullYear.
    function setter(name, fields) {
      define(P, name, { [name](...args) {
        let p = localParts(this);
        if (!p) {
          if (name !== 'setFullYear') { orig.getTime.call(this); return NaN; }
          p = { y: NaN, mo: 0, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
        }
        const v = Object.assign({}, p);
        for (let i = 0; i < fields.length && i < Math.max(1, args.length); i++) v[fields[i]] = num(args[i]);
        const t = timeClip(wallToUtc(wallOf(v.y, v.mo, v.d, v.h, v.mi, v.s, v.ms)));
        return orig.setTime.call(this, t);
      } }[name]);
    }
    setter('setFullYear', ['y', 'mo', 'd']);
    setter('setMonth', ['mo', 'd']);
    setter('setDate', ['d']);
    setter('setHours', ['h', 'mi', 's', 'ms']);
    setter('setMinutes', ['mi', 's', 'ms']);
    setter('setSeconds', ['s', 'ms']);
    setter('setMilliseconds', ['ms']);

    const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const pad = (n, w) => String(n).padStart(w, '0');
    const yearText = (y) => (y < 0 ? '-' + pad(-y, 6) : pad(y, 4));
    function zoneText(t) {
      const o = offsetAt(t);
      nameFormat = nameFormat || new RealDTF('en-US', { timeZone: tz, timeZoneName: 'long' });
      const name = (nameFormat.formatToParts(t).find((x) => x.type === 'timeZoneName') || {}).value;
      return 'GMT' + (o < 0 ? '-' : '+') + pad(Math.floor(Math.abs(o) / 60), 2) + pad(Math.abs(o) % 60, 2) + (name ? ' (' + name + ')' : '');
    }
    function dateText(p) { return DAYS[p.wd] + ' ' + MONTHS[p.mo] + ' ' + pad(p.d, 2) + ' ' + yearText(p.y); }
    function timeText(p, t) { return pad(p.h, 2) + ':' + pad(p.mi, 2) + ':' + pad(p.s, 2) + ' ' + zoneText(t); }
    define(P, 'toString', function toString() { const p = localParts(this); return p ? dateText(p) + ' ' + timeText(p, orig.getTime.call(this)) : 'Invalid Date'; });
    define(P, 'toDateString', function toDateString() { const p = localParts(this); return p ? dateText(p) : 'Invalid Date'; });
    define(P, 'toTimeString', function toTimeString() { const p = localParts(this); return p ? timeText(p, orig.getTime.call(this)) : 'Invalid Date'; });
    const withZone = (options) => (options === undefined ? { timeZone: tz } : Object(options).timeZone === undefined ? Object.assign({}, options, { timeZone: tz }) : options);
    for (const name of ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']) {
      const real = orig[name];
      define(P, name, { [name](locales, options) { return real.call(this, locales, withZone(options)); } }[name]);
    }

    // Constructor with local components, and parsing of strings that carry no zone.
    const vdateParse = function parse(text) {
      const s = String(text);
      const t = RealDate.parse(s);
      if (t !== t || !isLocalForm(s)) return t;
      const d = new RealDate(t); // read back the process-local wall time, re-read it in the script zone
      return timeClip(wallToUtc(wallOf(orig.getFullYear.call(d), orig.getMonth.call(d), orig.getDate.call(d), orig.getHours.call(d), orig.getMinutes.call(d), orig.getSeconds.call(d), orig.getMilliseconds.call(d))));
    };
    // ISO date-only forms are UTC; ISO date-times without offset and other forms without a zone are local.
    function isLocalForm(s) {
      const iso = /^\s*([+-]\d{6}|\d{4})(-\d{2}(-\d{2})?)?(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(s);
      if (iso) return !!iso[4] && !iso[7];
      return !/(\bZ\b|\bGMT\b|\bUTC\b|\bUT\b|[+-]\d{2}:?\d{2}\b|\b[ECMP][SD]T\b)/i.test(s);
    }
    G.Date = function Date(...args) {
      if (new.target === undefined) return new RealDate(hostNow()).toString();
      let t;
      if (args.length === 0) t = hostNow();
      else if (args.length === 1) {
        const v = args[0];
        if (v instanceof RealDate) t = orig.getTime.call(v);
        else {
          const prim = v !== null && typeof v === 'object' ? (typeof v[Symbol.toPrimitive] === 'function' ? v[Symbol.toPrimitive]('default') : v.valueOf()) : v;
          t = typeof prim === 'string' ? vdateParse(prim) : Number(prim);
        }
      } else {
        const n = args.map(num);
        let y = n[0];
        if (y === y && Math.trunc(y) >= 0 && Math.trunc(y) <= 99) y = 1900 + Math.trunc(y);
        t = wallToUtc(wallOf(y, n[1], n.length > 2 ? n[2] : 1, n[3] || 0, n[4] || 0, n[5] || 0, n[6] || 0));
      }
      return Reflect.construct(RealDate, [timeClip(t)], new.target);
    };
    const Z = G.Date;
    Z.prototype = P;
    define(Z, 'now', VDate.now);
    define(Z, 'parse', vdateParse);
    define(Z, 'UTC', RealDate.UTC);
    Object.defineProperty(Z, 'length', { value: 7 });
    define(P, 'constructor', Z);
    define(G, 'Date', Z);

    // Intl.DateTimeFormat: the script zone by default, and format()/formatToParts() without a date read the virtual clock.
    const DTF = function DateTimeFormat(locales, options) {
      return Reflect.construct(RealDTF, [locales, withZone(options)], new.target || DTF);
    };
    DTF.prototype = RealDTF.prototype;
    define(DTF, 'supportedLocalesOf', RealDTF.supportedLocalesOf);
    define(RealDTF.prototype, 'constructor', DTF);
    const formatGetter = Object.getOwnPropertyDescriptor(RealDTF.prototype, 'format').get;
    Object.defineProperty(RealDTF.prototype, 'format', {
      configurable: true,
      get() { const f = formatGetter.call(this); return function (date) { return f(date === undefined ? hostNow() : date); }; },
    });
    const formatToParts = RealDTF.prototype.formatToParts;
    define(RealDTF.prototype, 'formatToParts', function formatToParts_(date) { return formatToParts.call(this, date === undefined ? hostNow() : date); });
    define(Intl, 'DateTimeFormat', DTF);
  }

  // Apps Script V8 has none of these host features.
  for (const name of ['WebAssembly']) delete G[name];

  const refIds = new WeakMap();
  const protos = new Map();

  function imp(v) {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const n = v.length;
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = imp(v[i]);
      return out;
    }
    if (REF in v) return makeRef(v[REF], v.t);
    if (DATE in v) return new RealDate(v[DATE]);
    const out = {};
    // defineProperty keeps a key named __proto__ as data (assignment would replace the prototype).
    for (const k of Object.keys(v)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: imp(v[k]), enumerable: true, writable: true, configurable: true });
      else out[k] = imp(v[k]);
    }
    return out;
  }

  function exp(v, depth) {
    if (v === null || v === undefined) return v;
    const t = typeof v;
    if (t === 'function') return { [FN]: v.name || 'anonymous' };
    if (t === 'symbol') return undefined;
    if (t === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    if (t !== 'object') return v;
    if (depth > 200) throw new TypeError('Converting circular structure');
    const id = refIds.get(v);
    if (id !== undefined) return { [REF]: id };
    if (v instanceof RealDate) return { [DATE]: v.getTime() };
    if (Array.isArray(v)) {
      const n = v.length;
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = exp(v[i], depth + 1);
      return out;
    }
    if (ArrayBuffer.isView(v)) return Array.from(v);
    const out = {};
    for (const k of Object.keys(v)) {
      const e = exp(v[k], depth + 1);
      if (k === '__proto__') Object.defineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true });
      else out[k] = e;
    }
    return out;
  }

  function toError(e) {
    const ctor = e.name === 'TypeError' ? TypeError : e.name === 'RangeError' ? RangeError : Error;
    const err = new ctor(e.message);
    if (err.name !== e.name) define(err, 'name', e.name);
    if (e.details !== undefined) err.details = imp(e.details);
    return err;
  }

  function invoke(self, method, args) {
    const id = refIds.get(self);
    if (id === undefined) throw new TypeError('Illegal invocation: ' + method + ' called on a detached object');
    const wire = new Array(args.length);
    for (let i = 0; i < args.length; i++) wire[i] = exp(args[i], 0);
    const r = bridge.call(id, method, wire);
    if (r.e !== undefined) throw toError(r.e);
    return imp(r.v);
  }

  function protoFor(type) {
    let proto = protos.get(type);
    if (proto) return proto;
    const info = bridge.describe(type);
    proto = {};
    const withOwn = new Set((info.ownPropsFor || []).map(String));
    for (const m of info.methods) {
      const name = String(m);
      const fn = withOwn.has(name)
        ? { [name](...args) { return invoke(this, name, args.concat([Object.assign({}, this)])); } }[name]
        : { [name](...args) { return invoke(this, name, args); } }[name];
      define(proto, name, fn);
    }
    const enums = info.enums || {};
    for (const e of Object.keys(enums)) define(proto, String(e), Object.freeze(imp(enums[e])));
    const shortName = String(type).slice(String(type).lastIndexOf('.') + 1);
    define(proto, 'toString', function toString() { return shortName; });
    protos.set(type, proto);
    return proto;
  }

  function makeRef(id, type) {
    const obj = Object.create(protoFor(type));
    refIds.set(obj, id);
    return obj;
  }

  function format(args) {
    let first = args[0];
    let rest = Array.prototype.slice.call(args, 1);
    if (typeof first === 'string' && /%[sdifjoO%]/.test(first) && rest.length) {
      first = first.replace(/%([sdifjoO%])/g, (m, c) => {
        if (c === '%') return '%';
        if (!rest.length) return m;
        const a = rest.shift();
        if (c === 'd' || c === 'i') return String(Math.trunc(Number(a)));
        if (c === 'f') return String(Number(a));
        if (c === 's') return typeof a === 'string' ? a : show(a);
        return show(a);
      });
    }
    return [first].concat(rest).map((a) => (typeof a === 'string' ? a : show(a))).join(' ');
  }
  function show(a) {
    if (a instanceof Error) return a.stack || String(a);
    if (a instanceof RealDate) return a.toISOString();
    if (a !== null && typeof a === 'object') {
      if (refIds.has(a)) return String(a);
      try { return JSON.stringify(a); } catch (_) { return String(a); }
    }
    return String(a);
  }
  const consoleObj = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    define(consoleObj, level, function (...args) { bridge.log(level, format(args)); });
  }
  define(consoleObj, 'time', function () {});
  define(consoleObj, 'timeEnd', function () {});
  define(G, 'console', consoleObj);

  // Service globals materialise on first use (most executions touch only a few services).
  const globals = bridge.globals;
  for (const key of Object.keys(globals)) {
    const name = String(key);
    Object.defineProperty(G, name, {
      configurable: true,
      enumerable: false,
      get() { const v = imp(globals[name]); define(G, name, v); return v; },
      set(v) { define(G, name, v); },
    });
  }

  // The host invokes a top-level function through this hidden entry (a precompiled script calls it,
  // so the vm timeout covers the call).
  let pending = null;
  define(G, '\u0001invoke', function () {
    const c = pending;
    pending = null;
    const fn = G[c.fn];
    if (typeof fn !== 'function') throw new ReferenceError('Script function not found: ' + c.fn);
    return exp(fn.apply(G, imp(c.args)), 0);
  });
  return function setPending(fn, args) { pending = { fn: String(fn), args }; };
})`;

// Promise jobs run before the execution returns, as in Apps Script.
const CONTEXT_OPTIONS: vm.CreateContextOptions = { microtaskMode: 'afterEvaluate' };

const preludeScript = new vm.Script(PRELUDE_SOURCE, { filename: 'emulator-prelude.js' });
const invokeScript = new vm.Script('globalThis["\\u0001invoke"]()', { filename: 'emulator-invoke.js' });

/** Compiles Code.js once; the compiled script is run in each fresh context. */
export function compileCode(source: string, filename = 'Code.js'): CompiledCode {
  return { script: new vm.Script(source, { filename }), source };
}

export interface SandboxRunOptions {
  /** Real-time safety net against runaway loops (ms of wall-clock time). */
  timeoutMs: number;
}

/** Loads the code into a fresh context and, when `fn` is given, calls that global function with wire args. */
export function runInFreshContext(
  code: CompiledCode,
  bridge: SandboxBridge,
  fn: string | null,
  wireArgs: unknown[],
  options: SandboxRunOptions,
): SandboxOutcome {
  const context = vm.createContext({}, CONTEXT_OPTIONS);
  try {
    const install = preludeScript.runInContext(context) as (
      b: SandboxBridge,
      ref: string,
      date: string,
      fnTag: string,
    ) => (fn: string, args: unknown[]) => void;
    const setPending = install(bridge, WIRE_REF, WIRE_DATE, WIRE_FN);
    code.script.runInContext(context, { timeout: options.timeoutMs });
    if (fn === null) return { ok: true, value: undefined };
    setPending(fn, wireArgs);
    const value = invokeScript.runInContext(context, { timeout: options.timeoutMs });
    return { ok: true, value };
  } catch (err) {
    return { ok: false, ...describeThrown(err) };
  }
}

function describeThrown(err: unknown): { error: WireError; timedOut: boolean } {
  if (err !== null && typeof err === 'object') {
    const e = err as { name?: unknown; message?: unknown; code?: unknown; details?: unknown };
    const timedOut = e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    const error: WireError = { name: typeof e.name === 'string' ? e.name : 'Error', message: String(e.message ?? err) };
    if (e.details !== undefined) error.details = e.details;
    return { error, timedOut };
  }
  return { error: { name: 'Error', message: String(err) }, timedOut: false };
}

const listScript = new vm.Script(
  'Object.getOwnPropertyNames(globalThis).filter(function (k) { try { return typeof globalThis[k] === "function"; } catch (e) { return false; } })',
  { filename: 'emulator-list.js' },
);

/** Loads the code in a fresh context (no function called) and lists the global functions it declares. */
export function listGlobalFunctions(code: CompiledCode, bridge: SandboxBridge, timeoutMs: number): string[] {
  const context = vm.createContext({}, CONTEXT_OPTIONS);
  const install = preludeScript.runInContext(context) as (b: SandboxBridge, ref: string, date: string, fnTag: string) => unknown;
  install(bridge, WIRE_REF, WIRE_DATE, WIRE_FN);
  const before = new Set(listScript.runInContext(context) as string[]);
  code.script.runInContext(context, { timeout: timeoutMs });
  return (listScript.runInContext(context) as string[]).filter((k) => !before.has(k)).map(String);
}
