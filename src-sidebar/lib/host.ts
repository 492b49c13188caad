/** The Apps Script host around a surface: closing dialogs, boot data, page visibility, polling. */
import { useEffect, useRef, useState } from 'preact/hooks';

interface Host {
  close(): void;
  setHeight?(px: number): void;
}

export function closeDialog(): void {
  const host = (window as unknown as { google?: { script?: { host?: Host } } }).google?.script?.host;
  host?.close();
}

/**
 * Data the opener appended to the page (main.ts: `<script type="application/json" id="y2s-boot">`),
 * e.g. the job id the wizard edits. Read lazily: appended content follows the bundle's script.
 */
export function bootData<T extends object>(): Partial<T> {
  const el = document.getElementById('y2s-boot');
  if (!el?.textContent) return {};
  try {
    return JSON.parse(el.textContent) as Partial<T>;
  } catch {
    return {};
  }
}

/** True while the document is visible (document.visibilityState). */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

/**
 * Calls `fn` every `ms` while `active`; the next call is scheduled only after the previous finished,
 * so a slow server never gets overlapping polls.
 */
export function usePolling(fn: () => Promise<unknown>, ms: number, active: boolean): void {
  useAdaptivePolling(() => fn().then(() => ms), ms, active);
}

/**
 * Like usePolling, with a wait that `fn` decides: it answers the delay before the next call (the
 * first call waits `firstMs`). `restartKey` changing starts over from `firstMs` (e.g. after a user
 * action that starts a run). A failed call keeps the last wait.
 */
export function useAdaptivePolling(
  fn: (previousMs: number) => Promise<number>,
  firstMs: number,
  active: boolean,
  restartKey: unknown = null,
): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = (ms: number) => {
      timer = setTimeout(() => {
        void latest
          .current(ms)
          .catch(() => ms)
          .then((next) => {
            if (!stopped) loop(next);
          });
      }, ms);
    };
    loop(firstMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [firstMs, active, restartKey]);
}
