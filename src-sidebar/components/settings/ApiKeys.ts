/** API keys: create (the secret is shown once), list, revoke. */
import { useEffect, useState } from 'preact/hooks';
import type { ApiKeyDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { humanError, KEY_LABELS } from '../../lib/fields';
import { Badge, Empty, ErrorBanner, Loading } from '../../lib/components';
import { fmtZonedDateTime, viewerZone } from '../../lib/format';

export function ApiKeys() {
  const [keys, setKeys] = useState<ApiKeyDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'write'>('read');
  const [created, setCreated] = useState<{ key: ApiKeyDto; secret: string } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  const load = () => rpc.listApiKeys().then((k) => { setKeys(k); setError(null); }, setError);
  useEffect(() => { void load(); }, []);

  async function create(e: Event) {
    e.preventDefault();
    if (!name.trim()) { setError(new Error(`${KEY_LABELS.name}: give the key a name, e.g. "Zapier"`)); return; }
    setBusy(true);
    try {
      setCreated(await rpc.createApiKey(name.trim(), scope));
      setName('');
      setCopied(false);
      await load();
    } catch (err) { setError(err); } finally { setBusy(false); }
  }

  async function revoke(id: string) {
    setConfirm(null);
    setBusy(true);
    try { await rpc.revokeApiKey(id); await load(); } catch (err) { setError(err); } finally { setBusy(false); }
  }

  return html`<section aria-labelledby="keys-h">
    <h2 id="keys-h">API keys</h2>
    <p class="muted small">Keys let scripts and automations call the web-app API. A key is shown once; only a salted hash is kept.</p>
    <${ErrorBanner} error=${error && humanError(error, KEY_LABELS)} />
    ${created ? html`<div class="banner ok" role="status">
      <div><strong>New key “${created.key.name}” (${created.key.scope})</strong> — copy it now, it will not be shown again:</div>
      <div class="row" style="margin-top:6px"><label class="sr-only" for="new-secret">New API key</label>
        <input id="new-secret" class="mono grow" type="text" readOnly value=${created.secret} onFocus=${(e: Event) => (e.currentTarget as HTMLInputElement).select()} />
        <button class="small" onClick=${() => { void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true), () => undefined); }}>${copied ? 'Copied' : 'Copy'}</button>
        <button class="small" onClick=${() => setCreated(null)}>Done</button></div>
    </div>` : null}
    <form class="row bottom" onSubmit=${create} aria-label="Create an API key">
      <div class="grow field"><label for="k-name">Key name</label><input id="k-name" type="text" placeholder="e.g. Zapier" value=${name} onInput=${(e: Event) => setName((e.currentTarget as HTMLInputElement).value)} /></div>
      <div class="field"><label for="k-scope">Scope</label><select id="k-scope" value=${scope} onChange=${(e: Event) => setScope((e.currentTarget as HTMLSelectElement).value as 'read' | 'write')}>
        <option value="read">Read only</option><option value="write">Read and write</option></select></div>
      <button type="submit" class="action" disabled=${busy}>Create key</button>
    </form>
    ${keys === null && !error ? html`<${Loading} />` : null}
    ${keys && keys.length === 0 ? html`<${Empty}>No API keys yet.</${Empty}>` : null}
    ${keys && keys.length > 0 ? html`<table class="small" aria-label="API keys" style="margin-top:12px">
      <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Scope</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${keys.map((k) => html`<tr key=${k.id}>
        <td>${k.name}</td><td class="mono">${k.id}</td><td>${k.scope}</td><td>${fmtZonedDateTime(k.created_at, viewerZone())}</td><td>${k.last_used_at ? fmtZonedDateTime(k.last_used_at, viewerZone()) : 'never'}</td>
        <td>${k.revoked ? html`<${Badge} kind="disabled" label="revoked" />`
          : confirm === k.id ? html`<span class="row"><button class="small danger action" onClick=${() => void revoke(k.id)} aria-label=${`Confirm revoking ${k.name}`}>Revoke</button><button class="small" onClick=${() => setConfirm(null)}>Cancel</button></span>`
          : html`<button class="small danger" onClick=${() => setConfirm(k.id)} aria-label=${`Revoke ${k.name}`}>Revoke…</button>`}</td>
      </tr>`)}</tbody></table>` : null}
  </section>`;
}
