/**
 * The local workspace: the emulated spreadsheet as Sheets shows it (menu bar from the script's menus,
 * tabs as grids, sidebar at the right, dialogs as modals), running the real built HTML with a
 * google.script.run bridge. Plugged into the dev server as extra routes:
 *
 *   startServer({ ..., routes: workspaceRoutes({ buildDir }) })
 *
 * Routes: GET / (the page), GET /__workspace/state (tabs, menus, new UI events), GET /__workspace/ui/<n>
 * (the HTML of the n-th sidebar/dialog the script showed, with the shim), GET /__workspace/surface/<name>
 * (a built surface with the shim, without going through the menu). The shim calls the dev server's
 * POST /__emulator/script-run; menu items go through POST /__emulator/run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Route } from '../server/router';
import type { DevRuntime } from '../server/types';
import { injectShim } from './shim';
import { workspacePage } from './page';

export interface WorkspaceOptions {
  buildDir: string;
  /** Rows per tab sent to the page (a grid, not a data export). */
  maxRows?: number;
}

type UiEventLike = { kind: string; title?: string; html?: string; width?: number; height?: number; message?: string; at?: string };
type MenuLike = { caption: string; items: unknown[] };
interface UiLogLike {
  menus: MenuLike[];
  events: UiEventLike[];
}

/** The runtime's UI log (menus, sidebars, dialogs, alerts); absent on runtimes without one. */
function uiOf(runtime: DevRuntime): UiLogLike {
  const ui = (runtime as unknown as { ui?: Partial<UiLogLike> }).ui;
  return { menus: ui?.menus ?? [], events: ui?.events ?? [] };
}

let clientJs: string | null = null;
function clientBundle(): string {
  // Bundled once per process from client.ts (esbuild is a dev dependency of the project).
  clientJs ??= buildSync({
    entryPoints: [join(__dirname, 'client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109'],
    minify: true,
    legalComments: 'none',
  }).outputFiles[0]!.text;
  return clientJs;
}

const NO_STORE = { 'cache-control': 'no-store' };

export function workspaceRoutes(options: WorkspaceOptions): Route[] {
  const maxRows = options.maxRows ?? 500;
  // `?user=`: the user who opened the surface; its google.script.run calls run as that user.
  const shimmed = (html: string, surface: string, user?: string | null) =>
    injectShim(html, { transport: 'fetch', endpoint: '/__emulator/script-run', surface, ...(user ? { user } : {}) });

  return [
    {
      method: 'GET',
      path: /^\/$/,
      handle: (ctx) => ctx.send(200, { 'content-type': 'text/html; charset=utf-8', ...NO_STORE }, workspacePage(clientBundle())),
    },
    {
      method: 'GET',
      path: /^\/__workspace\/state$/,
      handle: (ctx) => {
        const runtime = ctx.session.runtime;
        const since = Math.max(0, Number(ctx.url.searchParams.get('events') ?? '0') || 0);
        const ui = uiOf(runtime);
        const spreadsheets = runtime.spreadsheets.list();
        const bound = spreadsheets[0];
        const store = runtime.spreadsheets as unknown as {
          get?(id: string): { activeSheetId: unknown; sheets: { id: unknown; name: string; frozenRows?: number }[] } | undefined;
        };
        const data = bound ? store.get?.(bound.id) : undefined;
        const tabs = (bound?.sheets ?? []).map((sheet) => {
          const values = runtime.spreadsheets.values(bound!.id, sheet.name);
          const formats = runtime.spreadsheets.numberFormats?.(bound!.id, sheet.name) ?? [];
          // Dates as the spreadsheet shows them: in its own time zone, by the cell's number format.
          const shown = runtime.spreadsheets.displayValues?.(bound!.id, sheet.name) ?? [];
          const rows = values.slice(0, maxRows);
          return {
            name: sheet.name,
            hidden: sheet.hidden,
            rowCount: values.length,
            frozenRows: data?.sheets.find((s) => s.name === sheet.name)?.frozenRows ?? 0,
            values: rows.map((row, r) => row.map((v, c) => (isDate(v) && shown[r]?.[c] ? shown[r]![c]! : cellText(v, formats[r]?.[c])))),
            // Per row, one letter per cell: r = right-aligned (numbers, dates, durations, as Sheets aligns them).
            align: rows.map((row) => row.map((v) => (typeof v === 'number' || isDate(v) ? 'r' : 'l')).join('')),
          };
        });
        const active = data?.sheets.find((s) => s.id === data.activeSheetId)?.name ?? null;
        ctx.json(200, {
          now: runtime.clock.now().toISOString(),
          spreadsheet: bound ? { id: bound.id, name: bound.name, tabs, activeTab: active } : null,
          menus: ui.menus,
          eventCount: ui.events.length,
          // New UI events only; their HTML is fetched from /__workspace/ui/<index>.
          events: ui.events.slice(since).map((e, i) => ({
            index: since + i,
            kind: e.kind,
            title: e.title ?? '',
            message: e.message ?? '',
            width: e.width ?? null,
            height: e.height ?? null,
          })),
          recent: ctx.session.recent.slice(-10),
        });
      },
    },
    {
      // Selecting a tab makes it the active sheet, as in Sheets (menu "Sync this tab now" reads it).
      method: 'POST',
      path: /^\/__workspace\/activate$/,
      handle: async (ctx) => {
        const { tab } = await ctx.jsonBody();
        const runtime = ctx.session.runtime;
        const bound = runtime.spreadsheets.list()[0];
        const store = runtime.spreadsheets as unknown as {
          get?(id: string): { activeSheetId: unknown; sheets: { id: unknown; name: string }[] } | undefined;
        };
        const data = bound ? store.get?.(bound.id) : undefined;
        const sheet = data?.sheets.find((s) => s.name === tab);
        if (!data || !sheet) return ctx.json(404, { error: `no tab "${String(tab)}"` });
        data.activeSheetId = sheet.id;
        ctx.session.changed();
        ctx.json(200, { active: sheet.name });
      },
    },
    {
      method: 'GET',
      path: /^\/__workspace\/ui\/(\d+)$/,
      handle: (ctx) => {
        const event = uiOf(ctx.session.runtime).events[Number(ctx.params[0])];
        if (!event || typeof event.html !== 'string') return ctx.json(404, { error: `no sidebar or dialog #${ctx.params[0]}` });
        ctx.send(
          200,
          { 'content-type': 'text/html; charset=utf-8', ...NO_STORE },
          shimmed(event.html, event.kind, ctx.url.searchParams.get('user')),
        );
      },
    },
    {
      method: 'GET',
      path: /^\/__workspace\/surface\/([\w-]+)$/,
      handle: (ctx) => {
        const file = join(options.buildDir, `${ctx.params[0]}.html`);
        if (!existsSync(file)) return ctx.json(404, { error: `no build/${ctx.params[0]}.html` });
        ctx.send(
          200,
          { 'content-type': 'text/html; charset=utf-8', ...NO_STORE },
          shimmed(readFileSync(file, 'utf8'), ctx.params[0] ?? '', ctx.url.searchParams.get('user')),
        );
      },
    },
  ];
}

const isDate = (v: unknown): boolean => v instanceof Date || (!!v && typeof v === 'object' && 'date' in (v as Record<string, unknown>));

/** A cell as Sheets displays it (a few number formats; the page never renders it as HTML). */
function cellText(value: unknown, format?: string): string | number | boolean {
  if (typeof value === 'number' && format) {
    if (/h+\]?:mm/.test(format)) {
      const total = Math.round(value * 86_400);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
    }
    if (format.includes('#,##0')) return value.toLocaleString('en-US');
  }
  if (value instanceof Date) return value.toISOString().replace('T', ' ').slice(0, 19);
  if (value && typeof value === 'object' && 'date' in (value as Record<string, unknown>)) return String((value as { date: unknown }).date);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return value == null ? '' : String(value);
}
