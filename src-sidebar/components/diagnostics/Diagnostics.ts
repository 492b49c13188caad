/**
 * The Diagnostics dialog: runs the platform self-test once on open (and again on request), shows each
 * check's verdict with what the platform answered, and the whole report as text with Copy, to paste
 * into a bug report.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DiagnosticsReport } from '../../../src-server/app/diagnostics';
import { html } from '../../lib/html';
import { ErrorBanner, Loading } from '../../lib/components';
import { closeDialog } from '../../lib/host';
import { rpc } from '../../rpc';
import { TextWithCopy } from '../export/ExportResult';

const STATUS_LABEL = { pass: 'Pass', warn: 'Warning', fail: 'Fail' } as const;
const STATUS_BADGE = { pass: 'succeeded', warn: 'partial', fail: 'failed' } as const;
const BANNER = { pass: 'ok', warn: 'warn', fail: 'error' } as const;

export function Diagnostics() {
  const [report, setReport] = useState<DiagnosticsReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);

  const run = () => {
    setRunning(true);
    setError(null);
    rpc
      .runDiagnostics()
      .then(setReport, setError)
      .finally(() => setRunning(false));
  };
  useEffect(run, []);

  return html`<main class="page diagnostics">
    <h1 class="sr-only">Diagnostics</h1>
    <p class="small muted">Checks, on Google's servers, every platform behaviour this project relies on. It creates and removes a scratch tab and
      a one-off trigger, and spends 1 YouTube quota unit; nothing else changes.</p>
    <${ErrorBanner} error=${error} onRetry=${run} />
    ${running ? html`<${Loading} label="Running the checks…" />` : null}
    ${
      report && !running
        ? html`
      <div class=${`banner ${BANNER[report.status]}`} role="status">
        ${report.status === 'pass' ? 'Every check passed' : report.status === 'warn' ? 'Some checks need attention' : 'Some checks failed'}:
        ${report.counts.pass} passed, ${report.counts.warn} warning(s), ${report.counts.fail} failed (version ${report.version}, ${report.generated_at}).
      </div>
      <table aria-label="Checks" class="checks">
        <thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">Observed</th></tr></thead>
        <tbody>${report.checks.map(
          (c) => html`<tr key=${c.id}>
          <td><span class=${`badge ${STATUS_BADGE[c.status]}`}>${STATUS_LABEL[c.status]}</span></td>
          <td><strong>${c.title}</strong><div class="small muted">${c.expected}</div></td>
          <td class="small">${c.observed}${c.note ? html`<div class=${c.status === 'pass' ? 'muted' : 'issue'}>${c.note}</div>` : null}</td>
        </tr>`,
        )}</tbody>
      </table>
      <${TextWithCopy} id="diagnostics-report" label="Report (paste it into a bug report)" text=${report.text} rows=${10} />`
        : null
    }
    <div class="footer">
      <button onClick=${run} disabled=${running}>Run again</button>
      <button onClick=${closeDialog}>Close</button>
    </div>
  </main>`;
}
