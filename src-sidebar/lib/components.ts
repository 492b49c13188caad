/** Small shared pieces: loading, error and empty states, status badges, labelled fields. */
import type { ComponentChildren } from 'preact';
import { html } from './html';
import { fmtZonedDateTime } from './format';
import { displayZone, useZoneMode } from './zone-mode';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return html`<div class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${label}</div>`;
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return html`<div class="banner error" role="alert">
    ${message}${onRetry ? html` <button class="link" onClick=${onRetry}>Try again</button>` : null}
  </div>`;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return html`<div class="empty">${children}</div>`;
}

export function Badge({ kind, label }: { kind: string; label?: string }) {
  return html`<span class=${`badge ${kind}`}>${label ?? kind}</span>`;
}

let nextId = 0;
/** A unique id for label/control pairs. */
export const uid = (prefix: string): string => `${prefix}-${++nextId}`;

export function Field({
  id,
  label,
  hint,
  issue,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  issue?: string | undefined;
  children: ComponentChildren;
}) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${children}
    ${hint ? html`<div class="hint" id=${`${id}-hint`}>${hint}</div>` : null}
    ${issue ? html`<div class="issue" id=${`${id}-issue`} role="alert">${issue}</div>` : null}
  </div>`;
}

/** aria attributes for a control inside Field. */
export function describedBy(id: string, hint?: string, issue?: string): Record<string, string> {
  const ids = [hint ? `${id}-hint` : '', issue ? `${id}-issue` : ''].filter(Boolean).join(' ');
  const attrs: Record<string, string> = {};
  if (ids) attrs['aria-describedby'] = ids;
  if (issue) attrs['aria-invalid'] = 'true';
  return attrs;
}

/**
 * An instant of a job, shown in the job's zone or the viewer's (the remembered zone switch), with the
 * zone's short name; the IANA zone is in the tooltip.
 */
export function ZonedTime({ iso, timeZone }: { iso: string | null | undefined; timeZone: string }) {
  const zone = displayZone(useZoneMode(), timeZone);
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime=${iso} title=${`Time in ${zone}`}>${fmtZonedDateTime(iso, zone)}</time>`;
}
