/** The state owner's data: everything services store, shared by every execution of one runtime. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualClock } from '../clock';
import type { CallCounter } from '../calls';
import type { LatencyTable } from '../latency';
import type { YouTubeFake } from '../youtube/fake';
import { CacheStore } from './cache';
import { LockTable } from './lock';
import { MailStore, MAIL_DAILY_RECIPIENTS, RollingQuota } from './mail';
import { SpreadsheetStore } from './spreadsheet-store';
import { SheetWriteBuffers } from './sheet-writes';
import { UiLog } from './spreadsheet';
import { TriggerStore } from './script-app';
import { UrlFetchRegistry } from './url-fetch';

export type Account = 'consumer' | 'workspace';

/** Total runtime of time-driven triggers per rolling day. */
export const TRIGGER_RUNTIME_PER_DAY_MS = { consumer: 90 * 60 * 1000, workspace: 6 * 60 * 60 * 1000 } as const;

export interface WorldConfig {
  scriptId: string;
  /** The default user: the script's owner, who deployed the web app (the web app runs as this user). */
  userEmail: string;
  /** Other users with edit access to the spreadsheet (and so to the bound script). */
  editors: string[];
  scriptTimeZone: string;
  webAppUrl: string;
  activeSpreadsheetId: string;
  account: Account;
  /** Where HtmlService finds <name>.html (build/); null when files come from `files` only. */
  buildDir: string | null;
  /** Extra project files by name (tests running small scripts). */
  files: Record<string, string>;
}

/** What Apps Script keeps per user: user properties, user cache, the daily trigger-runtime quota. */
export interface UserStores {
  properties: Map<string, string>;
  cache: CacheStore;
  triggerRuntime: RollingQuota;
}

export class World {
  readonly properties = { script: new Map<string, string>(), user: new Map<string, string>(), document: new Map<string, string>() };
  readonly caches = { script: new CacheStore(), user: new CacheStore(), document: new CacheStore() };
  readonly locks = new LockTable();
  readonly spreadsheets: SpreadsheetStore;
  /** Each execution's spreadsheet writes until flush() or its end (sheet-writes.ts). */
  readonly sheetWrites: SheetWriteBuffers;
  readonly triggers = new TriggerStore();
  readonly mail: MailStore;
  readonly ui = new UiLog();
  readonly urlFetch = new UrlFetchRegistry();
  readonly triggerRuntime: RollingQuota;
  /** Stores of users other than the default one (whose stores are `properties.user`, `caches.user`, `triggerRuntime`). */
  readonly otherUsers = new Map<string, UserStores>();

  constructor(
    readonly clock: VirtualClock,
    readonly latency: LatencyTable,
    readonly calls: CallCounter,
    readonly config: WorldConfig,
    public youtube: YouTubeFake,
  ) {
    this.spreadsheets = new SpreadsheetStore(config.scriptTimeZone);
    this.sheetWrites = new SheetWriteBuffers(this.spreadsheets);
    this.mail = new MailStore(MAIL_DAILY_RECIPIENTS[config.account]);
    this.triggerRuntime = new RollingQuota(TRIGGER_RUNTIME_PER_DAY_MS[config.account]);
    clock.onChange((now) => this.locks.expire(now));
  }

  /** Every user who can run the script: the default user first, then the editors. */
  get users(): string[] {
    return [this.config.userEmail, ...this.config.editors.filter((e) => e !== this.config.userEmail)];
  }

  /** Per-user stores ('' — an anonymous caller — gets a store of its own, shared by all anonymous calls). */
  userStores(email: string): UserStores {
    if (email === this.config.userEmail)
      return { properties: this.properties.user, cache: this.caches.user, triggerRuntime: this.triggerRuntime };
    let stores = this.otherUsers.get(email);
    if (!stores) {
      stores = {
        properties: new Map(),
        cache: new CacheStore(),
        triggerRuntime: new RollingQuota(TRIGGER_RUNTIME_PER_DAY_MS[this.config.account]),
      };
      this.otherUsers.set(email, stores);
    }
    return stores;
  }

  /** A project file as HtmlService sees it ('sidebar' or 'sidebar.html'); null when missing. */
  readProjectFile(name: string): string | null {
    const base = name.endsWith('.html') ? name.slice(0, -5) : name;
    const inline = this.config.files[base] ?? this.config.files[`${base}.html`];
    if (inline !== undefined) return inline;
    if (!this.config.buildDir || base.includes('/') || base.includes('\\') || base.startsWith('.')) return null;
    const path = join(this.config.buildDir, `${base}.html`);
    return existsSync(path) ? readFileSync(path, 'utf8') : null;
  }
}
