/**
 * A job's freshness and anomalies (from its details), and on request its upload pattern with the
 * cheapest schedule giving the same freshness ("this job could run 6× less often…").
 */
import { useState } from 'preact/hooks';
import type { JobDetailDto, JobInsightsDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { humanError } from '../../lib/fields';
import { fmtMinutes, Heatmap } from './Heatmap';

export function FreshnessText({ f }: { f: JobDetailDto['freshness'] }) {
  if (!f || f.samples === 0) return html`<span class="muted">No new video measured yet (the first run is a backfill).</span>`;
  return html`<span>Median ${fmtMinutes(f.median_minutes)}, p90 ${fmtMinutes(f.p90_minutes)} from publish to sheet
    <span class="muted">(${f.samples} video${f.samples === 1 ? '' : 's'}, last ${f.window_days} days)</span></span>`;
}

export function JobInsightsPanel({ job, onChanged }: { job: JobDetailDto; onChanged?: () => void }) {
  const [data, setData] = useState<JobInsightsDto | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [applied, setApplied] = useState('');

  async function load() {
    setLoading(true);
    setError(null);
    try {
      setData(await rpc.jobInsights(job.id));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  async function apply() {
    if (!data?.suggestion) return;
    try {
      const saved = await rpc.patchJob(
        job.id,
        { schedule_type: data.suggestion.schedule_type, schedule_value: data.suggestion.schedule_value },
        job.version,
      );
      setApplied(`Schedule changed: ${saved.job.schedule_text}`);
      onChanged?.();
    } catch (err) {
      setError(err);
    }
  }

  return html`<div data-testid="job-insights">
    <h3>Freshness</h3>
    <p><${FreshnessText} f=${job.freshness} /></p>
    ${job.anomalies?.length ? html`<h3>Anomalies</h3><ul class="plain">${job.anomalies.map((a) => html`<li key=${a.at + a.kind} class="banner warn small">${a.message}</li>`)}</ul>` : null}
    ${data ? null : html`<button type="button" class="small" onClick=${() => void load()} disabled=${loading}>${loading ? 'Reading…' : 'Upload pattern and schedule advice'}</button>`}
    <${ErrorBanner} error=${error && humanError(error)} />
    ${loading ? html`<${Loading} />` : null}
    ${
      data
        ? html`<div aria-live="polite">
      ${
        data.hint
          ? html`<div class="banner info" data-testid="insight-hint">${data.hint}
          <div class="row" style="margin-top:6px"><button type="button" class="small" onClick=${() => void apply()}>Use the suggested schedule</button></div></div>`
          : html`<p class="small muted">${data.suggestion ? 'The current schedule is about as cheap as this freshness allows.' : 'Not enough uploads recorded yet to judge the schedule.'}</p>`
      }
      ${applied ? html`<div class="banner ok small" role="status">${applied}</div>` : null}
      <p class="small">${data.channels.map((c) => html`<span key=${c.channel}>${c.channel}: ${c.summary}. </span>`)}</p>
      <${Heatmap} data=${data.heatmap} caption=${`Uploads by day and hour, ${data.timezone} time (last 26 weeks)`} />
    </div>`
        : null
    }
  </div>`;
}
