/**
 * The ONE gate every service call of sandboxed code goes through: it resolves the handle, counts the
 * call as `Service.Class.method`, lets the modelled latency pass on the virtual clock (plus, for
 * Spreadsheet reads and writes, the part that grows with the cells and text moved), enforces the
 * 6-minute and daily-trigger-runtime limits, converts arguments and results between the wire form and
 * host values, and reports errors as Apps Script does.
 */
import { latencyOf, volumeLatency } from '../latency';
import { WIRE_DATE, WIRE_FN, WIRE_REF, type SandboxBridge, type WireError, type WireResult } from '../sandbox';
import { CacheServiceFake } from './cache';
import { ContentServiceFake } from './content';
import { GasException, MESSAGES, WouldBlock } from './errors';
import { checkAuthorized } from './auth';
import type { Execution, Scope } from './execution';
import { HtmlServiceFake } from './html';
import { LockServiceFake } from './lock';
import { LoggerFake } from './logger';
import { MailAppFake } from './mail';
import { PropertiesServiceFake } from './properties';
import { describeType, gasTypeOf, registerType } from './registry';
import { ScriptAppFake } from './script-app';
import { SessionFake } from './session';
import { SpreadsheetAppFake } from './spreadsheet';
import { UrlFetchAppFake } from './url-fetch';
import { UtilitiesFake } from './utilities';
import { readVolume, writeVolume } from './volume';
import type { World } from './world';

/**
 * One resource of the YouTube advanced service (YouTube.Channels, ...), delegating to the YouTube fake.
 * Each subclass implements the @types/google-apps-script collection's `list`, so its signature cannot drift.
 */
abstract class YouTubeResource<Response> {
  constructor(private readonly impl: { list(part: string, optionalArgs?: Record<string, unknown>): Response }) {}
  list(part: string, optionalArgs?: object): Response {
    return this.impl.list(part, optionalArgs as Record<string, unknown> | undefined);
  }
}
class YouTubeChannels
  extends YouTubeResource<GoogleAppsScript.YouTube.Schema.ChannelListResponse>
  implements Pick<GoogleAppsScript.YouTube.Collection.ChannelsCollection, 'list'> {}
class YouTubePlaylistItems
  extends YouTubeResource<GoogleAppsScript.YouTube.Schema.PlaylistItemListResponse>
  implements Pick<GoogleAppsScript.YouTube.Collection.PlaylistItemsCollection, 'list'> {}
class YouTubeVideos
  extends YouTubeResource<GoogleAppsScript.YouTube.Schema.VideoListResponse>
  implements Pick<GoogleAppsScript.YouTube.Collection.VideosCollection, 'list'> {}
class YouTubeSearch
  extends YouTubeResource<GoogleAppsScript.YouTube.Schema.SearchListResponse>
  implements Pick<GoogleAppsScript.YouTube.Collection.SearchCollection, 'list'> {}
registerType(YouTubeChannels, 'YouTube.Channels');
registerType(YouTubePlaylistItems, 'YouTube.PlaylistItems');
registerType(YouTubeVideos, 'YouTube.Videos');
registerType(YouTubeSearch, 'YouTube.Search');

/** Placeholder for a function value that crossed out of the sandbox (refused by google.script.run). */
export class SandboxFunction {
  constructor(readonly name: string) {}
}

export class Host {
  constructor(readonly world: World) {}

  scopeFor(exec: Execution): Scope {
    return { world: this.world, exec, spend: (ms) => this.spend(exec, ms) };
  }

  /** Lets virtual time pass inside an execution and enforces its limits (throws when killed). */
  spend(exec: Execution, ms: number): void {
    if (ms > 0) {
      this.world.clock.tick(ms);
      exec.elapsedMs += ms;
    }
    this.checkLimits(exec);
  }

  checkLimits(exec: Execution): void {
    if (exec.killed) throw new GasException(exec.killMessage ?? MESSAGES.timeout);
    if (exec.elapsedMs > exec.limitMs) this.kill(exec, MESSAGES.timeout);
    if (exec.kind === 'trigger') {
      const quota = this.world.userStores(exec.user).triggerRuntime;
      if (quota.remaining(this.world.clock.nowMs()) < exec.elapsedMs) this.kill(exec, MESSAGES.triggerRuntime);
    }
  }

  kill(exec: Execution, message: string): never {
    exec.killed = true;
    exec.killMessage = message;
    throw new GasException(message);
  }

  /** The service globals of one execution, in wire form. */
  globalsFor(exec: Execution): Record<string, unknown> {
    const scope = this.scopeFor(exec);
    const ref = (obj: object) => this.encode(obj, exec);
    const yt = this.world.youtube.service({
      now: () => this.world.clock.now(),
      delay: (ms: number) => this.spend(exec, ms),
    });
    return {
      SpreadsheetApp: ref(new SpreadsheetAppFake(scope)),
      PropertiesService: ref(new PropertiesServiceFake(scope)),
      CacheService: ref(new CacheServiceFake(scope)),
      LockService: ref(new LockServiceFake(scope)),
      ScriptApp: ref(new ScriptAppFake(scope)),
      HtmlService: ref(new HtmlServiceFake(scope)),
      ContentService: ref(new ContentServiceFake()),
      Session: ref(new SessionFake(scope)),
      Utilities: ref(new UtilitiesFake(scope)),
      MailApp: ref(new MailAppFake(scope)),
      Logger: ref(new LoggerFake(scope)),
      UrlFetchApp: ref(new UrlFetchAppFake(scope)),
      YouTube: {
        Channels: ref(new YouTubeChannels(yt.Channels)),
        PlaylistItems: ref(new YouTubePlaylistItems(yt.PlaylistItems)),
        Videos: ref(new YouTubeVideos(yt.Videos)),
        Search: ref(new YouTubeSearch(yt.Search)),
      },
    };
  }

  /**
   * One service call. Returns the result or the error in wire form; throws WouldBlock only for
   * executions that can wait (worker executions), which the worker path parks.
   */
  invoke(exec: Execution, id: number, method: string, wireArgs: unknown[], onCall?: (name: string) => void): WireResult {
    try {
      if (exec.killed) throw new GasException(exec.killMessage ?? MESSAGES.timeout);
      exec.callCount++;
      // An injected kill: the call is never made. The platform's kill cannot be caught; here the
      // script sees an exception and every later call of the execution fails the same way, so nothing
      // it does afterwards reaches a service (the runtime releases its locks when it ends).
      if (exec.killAtCall !== null && exec.callCount >= exec.killAtCall) this.kill(exec, MESSAGES.timeout);
      const target = exec.handles.get(id);
      const type = target ? gasTypeOf(target) : undefined;
      if (!target || !type) throw new GasException('Invalid object: it does not belong to this execution.');
      if (!describeType(type).methods.includes(method)) throw new TypeError(`${type}.${method} is not a function`);
      const name = `${type}.${method}`;
      exec.calls[name] = (exec.calls[name] ?? 0) + 1;
      this.world.calls.add(name);
      onCall?.(name);
      this.spend(exec, latencyOf(this.world.latency, name));
      checkAuthorized(exec, name);
      const args = wireArgs.map((a) => this.decode(a, exec));
      // A write's volume passes before it applies (a write cut off by the time limit never happens).
      const written = writeVolume(target, method, args);
      if (written) this.spend(exec, volumeLatency(this.world.latency, written));
      const fn = (target as Record<string, unknown>)[method] as (...a: unknown[]) => unknown;
      const result = fn.apply(target, args);
      const read = readVolume(target, method, result);
      if (read) this.spend(exec, volumeLatency(this.world.latency, read));
      return { v: this.encode(result, exec) };
    } catch (err) {
      if (err instanceof WouldBlock) throw err;
      return { e: this.wireError(err, exec) };
    }
  }

  wireError(err: unknown, exec: Execution): WireError {
    if (err instanceof Error) {
      const e: WireError = { name: err.name, message: err.message };
      const details = (err as { details?: unknown }).details;
      if (details !== undefined) e.details = this.encode(details, exec);
      return e;
    }
    return { name: 'Error', message: String(err) };
  }

  /** Host value → wire (sandbox-bound). */
  encode(value: unknown, exec: Execution): unknown {
    if (value === null || value === undefined) return value;
    const t = typeof value;
    if (t === 'function' || t === 'symbol') return undefined;
    if (t !== 'object') return value;
    if (value instanceof Date) return { [WIRE_DATE]: value.getTime() };
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.encode(value[i], exec);
      return out;
    }
    const type = gasTypeOf(value as object);
    if (type) return { [WIRE_REF]: exec.handleOf(value as object), t: type };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const e = this.encode(v, exec);
      // A key named __proto__ stays data (assignment would replace the prototype).
      if (e === undefined) continue;
      if (k === '__proto__') Object.defineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true });
      else out[k] = e;
    }
    return out;
  }

  /** Wire (from the sandbox) → host value. */
  decode(value: unknown, exec: Execution): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.decode(value[i], exec);
      return out;
    }
    const obj = value as Record<string, unknown>;
    if (WIRE_REF in obj) {
      const target = exec.handles.get(Number(obj[WIRE_REF]));
      if (!target) throw new GasException('Invalid object: it does not belong to this execution.');
      return target;
    }
    if (WIRE_DATE in obj) return new Date(Number(obj[WIRE_DATE]));
    if (WIRE_FN in obj) return new SandboxFunction(String(obj[WIRE_FN]));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
      const d = this.decode(obj[k], exec);
      if (k === '__proto__') Object.defineProperty(out, k, { value: d, enumerable: true, writable: true, configurable: true });
      else out[k] = d;
    }
    return out;
  }

  /** The bridge of an in-process execution: calls are answered synchronously, here. */
  bridge(exec: Execution): SandboxBridge {
    return {
      now: () => this.world.clock.nowMs(),
      call: (id, method, args) => this.invoke(exec, id, method, args),
      describe: describeType,
      log: (_level, line) => void exec.logs.push(line),
      timeZone: this.world.config.scriptTimeZone,
      globals: this.globalsFor(exec),
    };
  }
}
