/**
 * One time-zone model for every surface: times are shown in the job's zone by default, or in the
 * viewer's zone when they switch to "My zone". The choice is remembered (localStorage of the script's
 * frame origin, shared by the sidebar and every dialog) and every mounted component follows a change.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from './html';
import { viewerZone } from './format';

export type ZoneMode = 'job' | 'mine';

const KEY = 'y2s-zone-mode';
let memory: ZoneMode | null = null;
const listeners = new Set<(mode: ZoneMode) => void>();

export function readZoneMode(): ZoneMode {
  if (memory) return memory;
  try {
    const stored = window.localStorage.getItem(KEY);
    if (stored === 'job' || stored === 'mine') memory = stored;
  } catch {
    /* storage refused (a sandboxed frame): the choice lasts for this page only */
  }
  return memory ?? 'job';
}

export function setZoneMode(mode: ZoneMode): void {
  memory = mode;
  try {
    window.localStorage.setItem(KEY, mode);
  } catch {
    /* see readZoneMode */
  }
  for (const l of listeners) l(mode);
}

/** The current mode; re-renders on a change here or in another surface (the storage event). */
export function useZoneMode(): ZoneMode {
  const [mode, setMode] = useState<ZoneMode>(readZoneMode);
  useEffect(() => {
    const on = (m: ZoneMode) => setMode(m);
    const onStorage = (e: StorageEvent) => {
      if (e.key === KEY && (e.newValue === 'job' || e.newValue === 'mine')) {
        memory = e.newValue;
        setMode(e.newValue);
      }
    };
    listeners.add(on);
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(on);
      window.removeEventListener('storage', onStorage);
    };
  }, []);
  return mode;
}

/** The zone a time of a job (in `jobZone`) is shown in, under the current mode. */
export function displayZone(mode: ZoneMode, jobZone: string): string {
  return mode === 'mine' ? viewerZone() : jobZone;
}

/** The visible "Times in: Job zone | My zone" switch (a radio group; the choice is remembered). */
export function ZoneSwitch({ jobZoneLabel = 'Job zone' }: { jobZoneLabel?: string }) {
  const mode = useZoneMode();
  const mine = viewerZone();
  return html`<fieldset class="zone-switch" data-testid="zone-switch">
    <legend class="small muted">Times in</legend>
    <label class="check small"><input type="radio" name="y2s-zone-mode" checked=${mode === 'job'} onChange=${() => setZoneMode('job')} /> ${jobZoneLabel}</label>
    <label class="check small" title=${mine}><input type="radio" name="y2s-zone-mode" checked=${mode === 'mine'} onChange=${() => setZoneMode('mine')} /> My zone (${mine})</label>
  </fieldset>`;
}
