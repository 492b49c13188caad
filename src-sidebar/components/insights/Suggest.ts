/**
 * "Suggest a schedule" in the wizard's schedule step: a target delay, the server's suggestion (the
 * cheapest schedule bringing 90 % of each channel's new videos in within it), the sentence that
 * explains it, the upload heatmap, and a button that puts the schedule in the form.
 */
import { useState } from 'preact/hooks';
import type { ScheduleSuggestionDto } from '../../../src-server/app/contract';
import type { Weekday } from '../../../src-server/domain/catalogue';
import { html } from '../../lib/html';
import { rpc } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { humanError } from '../../lib/fields';
import { fmtInt, fmtPercent } from '../../lib/format';
import type { Form } from '../wizard/form';
import { Heatmap } from './Heatmap';

export const TARGET_CHOICES: [number, string][] = [
  [30, '30 minutes'],
  [60, '1 hour'],
  [120, '2 hours'],
  [360, '6 hours'],
  [720, '12 hours'],
  [1440, '1 day'],
  [2880, '2 days'],
  [10080, '1 week'],
];

/** The form fields that express a suggested schedule. */
export function formPatchOf(s: Pick<ScheduleSuggestionDto, 'schedule_type' | 'schedule_value'>): Partial<Form> {
  if (s.schedule_type === 'interval') {
    const m = /^(\d+)([mhd])$/.exec(s.schedule_value);
    return { schedule_type: 'interval', interval_n: m?.[1] ?? '1', interval_unit: (m?.[2] ?? 'h') as Form['interval_unit'] };
  }
  if (s.schedule_type === 'weekly') {
    const [days = '', times = ''] = s.schedule_value.split('@');
    return { schedule_type: 'weekly', weekdays: days.split(',') as Weekday[], times };
  }
  return { schedule_type: 'daily', times: s.schedule_value };
}

export function SuggestPanel({
  channels,
  timezone,
  onApply,
}: {
  channels: string[];
  timezone: string;
  onApply: (patch: Partial<Form>) => void;
}) {
  const [target, setTarget] = useState(120);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ScheduleSuggestionDto | null>(null);
  const [applied, setApplied] = useState(false);

  async function suggest() {
    setLoading(true);
    setError(null);
    setApplied(false);
    try {
      setResult(await rpc.suggestSchedule({ channels, timezone, target_delay_minutes: target }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  const problems = result?.channels.filter((c) => c.error) ?? [];
  return html`<section class="suggest" aria-labelledby="suggest-title">
    <h3 id="suggest-title">Suggest a schedule</h3>
    <p class="small muted">From the channels' upload times: the cheapest schedule that brings 90 % of new videos into the sheet within the delay you choose.</p>
    <div class="row">
      <label for="f-target">New videos in the sheet within</label>
      <select id="f-target" value=${String(target)} onChange=${(e: Event) => setTarget(Number((e.currentTarget as HTMLSelectElement).value))}>
        ${TARGET_CHOICES.map(([m, label]) => html`<option key=${m} value=${String(m)}>${label}</option>`)}
      </select>
      <button type="button" onClick=${() => void suggest()} disabled=${loading || channels.length === 0}>${loading ? 'Suggesting…' : 'Suggest a schedule'}</button>
    </div>
    ${channels.length === 0 ? html`<p class="small muted">Add channels in step 1 first.</p>` : null}
    <div aria-live="polite">
      ${loading ? html`<${Loading} label="Reading upload times…" />` : null}
      <${ErrorBanner} error=${error && humanError(error)} />
      ${
        result && !loading
          ? html`<div data-testid="suggestion">
        <p data-testid="suggest-explanation">${result.explanation}</p>
        <p class="small"><strong>${result.schedule_text}</strong> · ${result.runs_per_week} run${result.runs_per_week === 1 ? '' : 's'} a week ·
          about ${result.expected_daily_units} units a day (hourly syncing: ${result.hourly.expected_daily_units})
          ${result.met_share != null ? html` · ${fmtPercent(result.met_share)} of past uploads within the delay` : null}
          ${result.quota_units_spent ? html` · this suggestion used ${fmtInt(result.quota_units_spent)} unit${result.quota_units_spent === 1 ? '' : 's'}` : null}</p>
        ${problems.map((c) => html`<div class="banner warn small" key=${c.channel}>${c.channel}: ${c.error}</div>`)}
        <${Heatmap} data=${result.heatmap} caption=${`Uploads by day and hour, ${result.timezone} time (last 26 weeks)`} />
        <div class="row">
          <button type="button" class="action small" onClick=${() => {
            onApply(formPatchOf(result));
            setApplied(true);
          }}>Use this schedule</button>
          ${applied ? html`<span class="small muted" role="status">Schedule set: ${result.schedule_text}</span>` : null}
        </div>
      </div>`
          : null
      }
    </div>
  </section>`;
}
