/** API keys: create (the secret is shown once), list, revoke. */
import { useEffect, useState } from 'preact/hooks';
import type { ApiKeyDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { humanError, KEY_LABELS } from '../../lib/fields';
import { Badge, Empty, ErrorBanner, Loading } from '../../lib/components';
import { fmtZonedDateTime, viewerZone } from '../../lib/format';
import { COPY_MESSAGES, copyText } from '../../lib/export';

/** The example call: list the jobs (a read; works with either scope). */
export const curlExample = (base: string, key: string): string => `curl -L "${base}/jobs?key=${key}"`;

/** `heading`: false where the dialog's own title already says "API keys". */
export function ApiKeys({ heading = true }: { heading?: boolean }) {
  const [keys, setKeys] = useState<ApiKeyDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  // No default: what a key may do is chosen deliberately.
  const [scope, setScope] = useState<'read' | 'write' | ''>('');
  const [scopeIssue, setScopeIssue] = useState('');
  const [baseUrl, setBaseUrl] = useState<string | null | undefined>(undefined);
  const [copiedExample, setCopiedExample] = useState('');
  useEffect(() => {
    rpc.apiInfo().then(
      (i) => setBaseUrl(i.base_url),
      () => setBaseUrl(null),
    );
  }, []);
  const [created, setCreated] = useState<{ key: ApiKeyDto; secret: string } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  const load = () =>
    rpc.listApiKeys().then((k) => {
      setKeys(k);
      setError(null);
    }, setError);
  useEffect(() => {
    void load();
  }, []);

  async function create(e: Event) {
    e.preventDefault();
    if (!name.trim()) {
      setError(new Error(`${KEY_LABELS.name}: give the key a name, e.g. "Zapier"`));
      return;
    }
    if (!scope) {
      setError(null);
      setScopeIssue(`${KEY_LABELS.scope}: choose what the key may do`);
      document.getElementById('k-scope-read')?.focus();
      return;
    }
    setBusy(true);
    try {
      setCreated(await rpc.createApiKey(name.trim(), scope));
      setName('');
      setScope('');
      setCopied(false);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    setConfirm(null);
    setBusy(true);
    try {
      await rpc.revokeApiKey(id);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const example = baseUrl ? curlExample(baseUrl, created ? created.secret : 'YOUR_KEY') : '';
  return html`<section aria-labelledby="keys-h">
    <h2 id="keys-h" class=${heading ? '' : 'sr-only'}>API keys</h2>
    <p class="muted small">Keys let scripts and automations call the web-app API. A key is shown once; only a salted hash is kept.</p>
    <${ErrorBanner} error=${error && humanError(error, KEY_LABELS)} />
    ${
      created
        ? html`<div class="banner ok" role="status">
      <div><strong>New key “${created.key.name}” (${created.key.scope})</strong> — copy it now, it will not be shown again:</div>
      <div class="row" style="margin-top:6px"><label class="sr-only" for="new-secret">New API key</label>
        <input id="new-secret" class="mono grow" type="text" readOnly value=${created.secret} onFocus=${(e: Event) => (e.currentTarget as HTMLInputElement).select()} />
        <button class="small" onClick=${() => {
          void navigator.clipboard?.writeText(created.secret).then(
            () => setCopied(true),
            () => undefined,
          );
        }}>${copied ? 'Copied' : 'Copy'}</button>
        <button class="small" onClick=${() => setCreated(null)}>Done</button></div>
    </div>`
        : null
    }
    <div class="api-base" data-testid="api-base">
      ${
        baseUrl === undefined
          ? null
          : baseUrl === null
            ? html`<p class="small muted">The API answers once the script is deployed as a web app (Deploy → New deployment → Web app); its URL then shows here.</p>`
            : html`<div class="field"><label for="k-base">Base URL</label><input id="k-base" class="mono" type="text" readOnly value=${baseUrl} onFocus=${(e: Event) => (e.currentTarget as HTMLInputElement).select()} /></div>
          <div class="field"><label for="k-example">Example call${created ? ' with the new key' : ''}</label>
            <div class="row"><textarea id="k-example" class="mono grow example" rows="2" readOnly value=${example} aria-describedby="k-example-hint"></textarea>
              <button type="button" class="small" onClick=${() => {
                void copyText(example, document.getElementById('k-example') as HTMLTextAreaElement).then((o) =>
                  setCopiedExample(COPY_MESSAGES[o]),
                );
              }}>Copy</button></div>
            <div class="hint" id="k-example-hint">curl needs -L: the API answers through a redirect.${created ? '' : ' Put a key in place of YOUR_KEY.'}</div>
            ${copiedExample ? html`<div class="small" role="status">${copiedExample}</div>` : null}</div>`
      }
    </div>
    <form onSubmit=${create} aria-label="Create an API key" novalidate>
      <div class="field"><label for="k-name">Key name</label><input id="k-name" type="text" placeholder="e.g. Zapier" value=${name} onInput=${(e: Event) => setName((e.currentTarget as HTMLInputElement).value)} /></div>
      <fieldset aria-describedby=${scopeIssue ? 'k-scope-issue' : undefined}><legend>Scope</legend>
        <label class="check"><input type="radio" name="k-scope" id="k-scope-read" value="read" checked=${scope === 'read'} aria-invalid=${scopeIssue ? 'true' : undefined}
          onChange=${() => {
            setScope('read');
            setScopeIssue('');
          }} /> Read only <span class="small muted">— list jobs, runs, stats and health</span></label>
        <label class="check"><input type="radio" name="k-scope" value="write" checked=${scope === 'write'}
          onChange=${() => {
            setScope('write');
            setScopeIssue('');
          }} /> Read and write <span class="small muted">— also create, change, run and delete jobs</span></label>
        ${scopeIssue ? html`<div class="issue" id="k-scope-issue" role="alert">${scopeIssue}</div>` : null}
      </fieldset>
      <button type="submit" class="action" disabled=${busy}>Create key</button>
    </form>
    ${keys === null && !error ? html`<${Loading} />` : null}
    ${keys && keys.length === 0 ? html`<${Empty}>No API keys yet.</${Empty}>` : null}
    ${
      keys && keys.length > 0
        ? html`<table class="small" aria-label="API keys" style="margin-top:12px">
      <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Scope</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${keys.map(
        (k) => html`<tr key=${k.id}>
        <td>${k.name}</td><td class="mono">${k.id}</td><td>${k.scope}</td><td>${fmtZonedDateTime(k.created_at, viewerZone())}</td><td>${k.last_used_at ? fmtZonedDateTime(k.last_used_at, viewerZone()) : 'never'}</td>
        <td>${
          k.revoked
            ? html`<${Badge} kind="disabled" label="revoked" />`
            : confirm === k.id
              ? html`<span class="row"><button class="small danger action" onClick=${() => void revoke(k.id)} aria-label=${`Confirm revoking ${k.name}`}>Revoke</button><button class="small" onClick=${() => setConfirm(null)}>Cancel</button></span>`
              : html`<button class="small danger" onClick=${() => setConfirm(k.id)} aria-label=${`Revoke ${k.name}`}>Revoke…</button>`
        }</td>
      </tr>`,
      )}</tbody></table>`
        : null
    }
  </section>`;
}
