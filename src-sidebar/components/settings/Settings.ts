/**
 * Settings: default time zone, heartbeat interval, daily quota budget, history retention, notification
 * address, web API rate limit.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Settings as SettingsDto } from '../../../src-server/app/contract';
import { HEARTBEAT_MINUTES, YOUTUBE_DAILY_QUOTA, type HeartbeatMinutes } from '../../../src-server/domain/catalogue';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { humanError, humanFieldIssues, SETTINGS_LABELS } from '../../lib/fields';
import { describedBy, ErrorBanner, Field, Loading } from '../../lib/components';
import { closeDialog } from '../../lib/host';
import { ApiKeys } from './ApiKeys';
import { modernZone, zoneOptions } from '../../lib/zones';

export function SettingsPanel({ withKeys = true }: { withKeys?: boolean }) {
  const [settings, setSettings] = useState<SettingsDto | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  // The values as loaded or last saved: any difference is an unsaved change (Close asks first).
  const [baseline, setBaseline] = useState<Record<string, string>>({});
  const [confirmingClose, setConfirmingClose] = useState(false);
  const keepEditing = useRef<HTMLButtonElement>(null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(baseline);
  const dirtyNow = useRef(false);
  dirtyNow.current = dirty;
  const requestClose = () => {
    if (dirtyNow.current) setConfirmingClose(true);
    else closeDialog();
  };
  useEffect(() => {
    if (confirmingClose) keepEditing.current?.focus();
  }, [confirmingClose]);
  useEffect(() => {
    // Escape and the dialog's ✕ ask before unsaved settings are thrown away (like the wizard).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || !dirtyNow.current) return;
      e.preventDefault();
      setConfirmingClose(true);
    };
    const onBeforeClose = (e: Event) => {
      if (dirtyNow.current) {
        e.preventDefault();
        setConfirmingClose(true);
      }
    };
    document.addEventListener('keydown', onKey);
    window.addEventListener('y2s:beforeclose', onBeforeClose);
    return () => {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('y2s:beforeclose', onBeforeClose);
    };
  }, []);

  useEffect(() => {
    rpc.getSettings().then((s) => {
      setSettings(s);
      const loaded = {
        default_timezone: modernZone(s.default_timezone),
        heartbeat_minutes: String(s.heartbeat_minutes),
        daily_quota_budget: String(s.daily_quota_budget),
        run_history_rows: String(s.run_history_rows),
        audit_rows: String(s.audit_rows),
        notification_email: s.notification_email,
        rate_limit_per_minute: String(s.rate_limit_per_minute),
      };
      setDraft(loaded);
      setBaseline(loaded);
    }, setError);
  }, []);

  const set = (k: string) => (e: Event) => {
    setDraft((d) => ({ ...d, [k]: (e.currentTarget as HTMLInputElement).value }));
    setSaved(false);
    setIssues((i) => {
      const n = { ...i };
      delete n[k];
      return n;
    });
  };

  async function save(e: Event) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const patch: Partial<SettingsDto> = {
        default_timezone: draft.default_timezone ?? '',
        heartbeat_minutes: Number(draft.heartbeat_minutes) as HeartbeatMinutes,
        daily_quota_budget: Number(draft.daily_quota_budget),
        run_history_rows: Number(draft.run_history_rows),
        audit_rows: Number(draft.audit_rows),
        notification_email: (draft.notification_email ?? '').trim(),
        rate_limit_per_minute: Number(draft.rate_limit_per_minute),
      };
      setSettings(await rpc.saveSettings(patch));
      setBaseline(draft);
      setSaved(true);
    } catch (err) {
      setIssues(humanFieldIssues(err, SETTINGS_LABELS));
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  const input = (
    k: string,
    label: string,
    type: string,
    hint?: string,
    extra: Record<string, unknown> = {},
  ) => html`<${Field} id=${`s-${k}`} label=${label} hint=${hint} issue=${issues[k]}>
      <input id=${`s-${k}`} type=${type} value=${draft[k] ?? ''} onInput=${set(k)} ...${describedBy(`s-${k}`, hint, issues[k])} ...${extra} /></${Field}>`;

  return html`<main class="page settings">
    <h1 class="sr-only">Settings</h1>
    <${ErrorBanner} error=${error && humanError(error, SETTINGS_LABELS)} />
    ${!settings && !error ? html`<${Loading} />` : null}
    ${
      settings
        ? html`<form id="settings-form" onSubmit=${save} aria-label="Scheduler settings" novalidate>
      <${Field} id="s-default_timezone" label="Default time zone" hint="New jobs start in this zone." issue=${issues.default_timezone}>
        <select id="s-default_timezone" value=${draft.default_timezone} onChange=${set('default_timezone')} ...${describedBy('s-default_timezone', 'x', issues.default_timezone)}>
          ${zoneOptions(draft.default_timezone ?? 'UTC').map((z) => html`<option key=${z} value=${z}>${z}</option>`)}
        </select></${Field}>
      <div class="row top">
        <div class="grow"><${Field} id="s-heartbeat_minutes" label="Heartbeat every" hint="How often the trigger checks for due jobs." issue=${issues.heartbeat_minutes}>
          <select id="s-heartbeat_minutes" value=${draft.heartbeat_minutes} onChange=${set('heartbeat_minutes')} ...${describedBy('s-heartbeat_minutes', 'x', issues.heartbeat_minutes)}>
            ${HEARTBEAT_MINUTES.map((m) => html`<option key=${m} value=${String(m)}>${m} minute${m > 1 ? 's' : ''}</option>`)}
          </select></${Field}></div>
        <div class="grow">${input('daily_quota_budget', 'Daily YouTube quota budget', 'number', `This spreadsheet's own ceiling, in units per Pacific day. YouTube allows the whole Cloud project ${YOUTUBE_DAILY_QUOTA.toLocaleString('en-US')}, shared with anything else using it: keep some room.`, { min: 0, max: YOUTUBE_DAILY_QUOTA })}</div>
      </div>
      <div class="row top">
        <div class="grow">${input('run_history_rows', 'Run history kept (rows)', 'number', 'Older runs are rotated out.', { min: 100 })}</div>
        <div class="grow">${input('audit_rows', 'Audit log kept (rows)', 'number', undefined, { min: 100 })}</div>
      </div>
      <div class="row top">
        <div class="grow">${input('notification_email', 'Notification address', 'email', 'Fallback recipient of notifications; empty for none.')}</div>
        <div class="grow">${input('rate_limit_per_minute', 'Web API requests per minute', 'number', 'Per API key or token; more get a 429 answer.', { min: 1, max: 1000 })}</div>
      </div>
    </form>`
        : null
    }
    ${withKeys ? html`<hr class="sep" /><${ApiKeys} />` : null}
    ${
      confirmingClose
        ? html`<div class="banner warn" role="alertdialog" aria-modal="false" aria-labelledby="s-discard-title" aria-describedby="s-discard-text">
      <strong id="s-discard-title">Discard changes?</strong> <span id="s-discard-text">Your changes to the settings are not saved.</span>
      <div class="row" style="margin-top:8px">
        <button type="button" class="danger small" onClick=${() => {
          setConfirmingClose(false);
          closeDialog();
        }}>Discard</button>
        <button type="button" class="action small" ref=${keepEditing} onClick=${() => setConfirmingClose(false)}>Keep editing</button>
      </div></div>`
        : null
    }
    <div class="footer sticky-footer">
      ${saved && !dirty ? html`<span class="small saved-note" role="status">Saved.</span>` : dirty ? html`<span class="small muted">Unsaved changes</span>` : null}
      <button type="button" onClick=${requestClose}>Close</button>
      ${settings ? html`<button type="submit" form="settings-form" class="action" disabled=${saving}>${saving ? 'Saving…' : 'Save settings'}</button>` : null}
    </div>
  </main>`;
}
