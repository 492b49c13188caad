/**
 * What happened to an export, said plainly, with the ways out: the file itself with Copy, and a copy
 * written to a new tab. Shown by every surface that exports (see lib/export.ts for why).
 */
import { useRef, useState } from 'preact/hooks';
import { html } from '../../lib/html';
import { COPY_MESSAGES, copyText, type FileToSave, type SaveOutcome } from '../../lib/export';
import { errorMessage } from '../../rpc';

/** A read-only text with a Copy button that reports whether the copy worked. */
export function TextWithCopy({ id, label, text, rows = 12 }: { id: string; label: string; text: string; rows?: number }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [message, setMessage] = useState('');
  const copy = async () => setMessage(COPY_MESSAGES[await copyText(text, field.current)]);
  return html`<div class="copy-box">
    <div class="spread"><label for=${id}>${label}</label><button class="small action" onClick=${() => void copy()}>Copy</button></div>
    <textarea id=${id} ref=${field} readonly rows=${rows} spellcheck=${false} class="mono" value=${text}></textarea>
    <div class="small" role="status">${message}</div>
  </div>`;
}

const OUTCOME_TEXT: Record<SaveOutcome, (name: string) => string> = {
  downloaded: (name) => `Downloaded ${name}.`,
  started: (name) =>
    `The download of ${name} was started. If your browser saved nothing (it may refuse downloads from this dialog), show the file to copy it, or write it to a new tab.`,
  blocked: (name) => `This dialog cannot download files in your browser, so ${name} is shown below: copy it, or write it to a new tab.`,
};

type TabState =
  { kind: 'idle' } | { kind: 'writing' } | { kind: 'written'; tab: string; rows: number } | { kind: 'failed'; message: string };

export function ExportResult({
  file,
  outcome,
  writeTab,
  onClose,
}: {
  file: FileToSave;
  outcome: SaveOutcome;
  /** Writes the same export into a new tab; resolves with the tab's name and row count. */
  writeTab: () => Promise<{ tab: string; rows: number }>;
  onClose: () => void;
}) {
  const [showFile, setShowFile] = useState(outcome === 'blocked');
  const [tab, setTab] = useState<TabState>({ kind: 'idle' });
  const write = async () => {
    setTab({ kind: 'writing' });
    try {
      const written = await writeTab();
      setTab({ kind: 'written', tab: written.tab, rows: written.rows });
    } catch (err) {
      setTab({ kind: 'failed', message: errorMessage(err) });
    }
  };
  return html`<section class=${`banner ${outcome === 'downloaded' ? 'ok' : outcome === 'blocked' ? 'warn' : 'info'} export-result`} aria-label="Export result">
    <div role="status">${OUTCOME_TEXT[outcome](file.filename)}</div>
    ${tab.kind === 'written' ? html`<div role="status">Written to the new tab “${tab.tab}” (${tab.rows} row(s), one line of the file per row).</div>` : null}
    ${tab.kind === 'failed' ? html`<div role="alert" class="issue">Could not write the tab: ${tab.message}</div>` : null}
    <div class="row" style="margin-top:8px">
      ${showFile ? null : html`<button class="small" onClick=${() => setShowFile(true)}>Show the file</button>`}
      <button class="small" disabled=${tab.kind === 'writing'} onClick=${() => void write()}>${tab.kind === 'writing' ? 'Writing…' : 'Write to a new tab'}</button>
      <button class="small" onClick=${onClose}>Dismiss</button>
    </div>
    ${showFile ? html`<${TextWithCopy} id="export-file" label=${`Contents of ${file.filename}`} text=${file.body} />` : null}
  </section>`;
}
