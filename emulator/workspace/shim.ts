/**
 * The `google.script.run` / `google.script.host` shim injected into a built surface's HTML when it
 * runs outside Apps Script (the local workspace page, e2e tests, screenshots).
 *
 * `installScriptRunShim` runs in the browser: it is injected with Function.prototype.toString, so it
 * must stay self-contained (no imports, no outer variables).
 */

export interface ShimOptions {
  /**
   * 'fetch': POST {fn,args} to `endpoint` (the dev server's /__emulator/script-run) and read an
   * ExecutionResult-like answer {ok, value, error}. 'binding': call window[binding](fn, args), a
   * function the test harness exposes (playwright exposeFunction), answering the same shape.
   */
  transport: 'fetch' | 'binding';
  endpoint?: string;
  binding?: string;
  /** Which surface this is (sent to the parent page with every host message). */
  surface: string;
  /** The user who opened the surface: 'fetch' calls run as this user (the dev server's `user` field). */
  user?: string;
}

export function installScriptRunShim(options: ShimOptions): void {
  type Answer = { ok: boolean; value?: unknown; error?: { name?: string; message: string } | null };
  const w = window as unknown as Record<string, unknown>;
  const post = (message: Record<string, unknown>) => {
    if (window.parent && window.parent !== window)
      window.parent.postMessage({ source: 'y2s-surface', surface: options.surface, ...message }, '*');
  };

  function transport(fn: string, args: unknown[]): Promise<Answer> {
    if (options.transport === 'binding') {
      const bound = w[options.binding || '__y2sScriptRun'] as (fn: string, args: unknown[]) => Promise<Answer>;
      return bound(fn, args);
    }
    return fetch(options.endpoint || '/__emulator/script-run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(options.user ? { fn, args, user: options.user } : { fn, args }),
    }).then((res) => res.json() as Promise<Answer>);
  }

  interface Handlers {
    success?: (v: unknown, u: unknown) => void;
    failure?: (e: Error, u: unknown) => void;
    user?: unknown;
    hasUser?: boolean;
  }

  function runner(h: Handlers): unknown {
    const base: Record<string, unknown> = {
      withSuccessHandler: (f: Handlers['success']) => runner({ ...h, success: f }),
      withFailureHandler: (f: Handlers['failure']) => runner({ ...h, failure: f }),
      withUserObject: (u: unknown) => runner({ ...h, user: u, hasUser: true }),
    };
    return new Proxy(base, {
      get(target, name) {
        if (typeof name !== 'string') return undefined;
        if (name in target) return target[name];
        if (name === 'then') return undefined; // not a thenable
        return (...args: unknown[]) => {
          // google.script.run passes plain values only: a JSON round trip (undefined -> null).
          const plain = JSON.parse(JSON.stringify(args.map((a) => (a === undefined ? null : a)))) as unknown[];
          post({ type: 'call', fn: name });
          transport(name, plain)
            .then((answer) => {
              post({ type: 'ran', fn: name });
              if (answer && answer.ok) {
                const value = answer.value === undefined ? null : answer.value;
                if (h.success) h.success(value, h.user);
              } else {
                const err = new Error(answer && answer.error ? answer.error.message : 'Script error');
                if (answer && answer.error && answer.error.name) err.name = answer.error.name;
                if (h.failure) h.failure(err, h.user);
                else console.error(err);
              }
            })
            .catch((e: unknown) => {
              post({ type: 'ran', fn: name });
              const err = new Error(`NetworkError: Connection failure (${e instanceof Error ? e.message : String(e)})`);
              if (h.failure) h.failure(err, h.user);
              else console.error(err);
            });
        };
      },
    });
  }

  const host = {
    close: () => post({ type: 'close' }),
    setHeight: (px: number) => post({ type: 'setHeight', value: px }),
    setWidth: (px: number) => post({ type: 'setWidth', value: px }),
    editor: { focus: () => post({ type: 'focusEditor' }) },
    origin: location.origin,
  };
  w.google = { script: { run: runner({}), host } };
  // Escape closes a dialog in Sheets: one the surface did not handle (a menu, an inline edit call
  // preventDefault) is passed to the page, which closes the dialog. A search field's Escape clears it.
  // The dialog's ✕ asks first: a surface with unsaved changes cancels the cancelable
  // "y2s:beforeclose" event (and asks the user itself); otherwise the dialog closes.
  window.addEventListener('message', (e) => {
    const data = e.data as { source?: string; type?: string } | null;
    if (e.source !== window.parent || data?.source !== 'y2s-workspace' || data.type !== 'close-request') return;
    const request = new Event('y2s:beforeclose', { cancelable: true });
    window.dispatchEvent(request);
    post({ type: request.defaultPrevented ? 'close-kept' : 'close' });
  });
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    const t = e.target as HTMLInputElement | null;
    if (t && t.tagName === 'INPUT' && t.type === 'search' && t.value) return;
    post({ type: 'escape' });
  });
}

/** A <script> element installing the shim, to put before the surface's own script. */
export function shimScriptTag(options: ShimOptions): string {
  // tsx/esbuild may wrap named functions in a `__name` helper: define it for the injected copy.
  const source = `(function(){var __name=function(f){return f};(${installScriptRunShim.toString()})(${JSON.stringify(options)});})();`;
  return `<script>${source.replace(/<\/(script)/gi, '<\\/$1')}</script>`;
}

/** The built HTML with the shim injected at the start of <head> (before the bundle runs). */
export function injectShim(html: string, options: ShimOptions): string {
  const tag = shimScriptTag(options);
  const i = html.indexOf('<head>');
  return i >= 0 ? html.slice(0, i + 6) + tag + html.slice(i + 6) : tag + html;
}
