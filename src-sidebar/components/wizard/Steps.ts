/** The five steps of the job wizard; each gets the form, a setter and the issues of its fields. */
import type { ChannelCheck, JobChoiceDto, SchedulePreview } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { describedBy, Field, Loading } from '../../lib/components';
import { fmtDateTime, fmtInt, fmtZonedDateTime, viewerZone } from '../../lib/format';
import { zoneOptions } from '../../lib/zones';
import {
  CATCH_UP_POLICIES,
  COLUMNS,
  NOTIFY_EVENTS,
  OUTPUT_MODES,
  SCHEDULE_TYPES,
  STATS_REFRESH_POLICIES,
  VIDEO_FILTERS,
  WEEKDAYS,
  scheduleValue,
  splitList,
  toConfig,
  type Form,
} from './form';
import { channelBadge, earlierSameChannel } from './channel-checks';
import { SuggestPanel } from '../insights/Suggest';
import { COLUMN_LABELS, OUTPUT_MODE_TEXT } from '../../lib/fields';
import { checkSchedule, controlOf, describeCron, type ScheduleControl } from '../../lib/schedule-check';

export interface StepProps {
  form: Form;
  set: (patch: Partial<Form>) => void;
  issues: Record<string, string>;
}

type InputEv = { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement };
const val = (e: InputEv) => e.currentTarget.value;

function Text({
  id,
  label,
  hint,
  issue,
  value,
  onInput,
  type = 'text',
  ...rest
}: {
  id: string;
  label: string;
  hint?: string;
  issue?: string | undefined;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  [k: string]: unknown;
}) {
  return html`<${Field} id=${id} label=${label} hint=${hint} issue=${issue}>
    <input id=${id} type=${type} value=${value} onInput=${(e: InputEv) => onInput(val(e))} ...${describedBy(id, hint, issue)} ...${rest} />
  </${Field}>`;
}

function toggle<T>(list: T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? list : [...list, item]) : list.filter((x) => x !== item);
}

// ---------------------------------------------------------------- 1 channels

export function ChannelsStep({
  form,
  set,
  issues,
  checks,
  checking,
  onCheck,
  sameName,
}: StepProps & {
  checks: ChannelCheck[] | null;
  checking: boolean;
  onCheck: () => void;
  sameName: string | null;
}) {
  const hint = 'One per line: @handle, a channel URL, or a UC… channel id.';
  const earlier = checks ? earlierSameChannel(checks) : [];
  return html`<div>
    <${Text} id="f-name" label="Job name" value=${form.name} issue=${issues.name} onInput=${(v: string) => set({ name: v })} required autoComplete="off"
      hint=${sameName ? `Another job is called “${sameName}” already: a different name keeps lists, the calendar and mails clear.` : undefined} />
    <${Field} id="f-channels" label="Channels" hint=${hint} issue=${issues.channels}>
      <textarea id="f-channels" value=${form.channels} rows="4" onInput=${(e: InputEv) => set({ channels: val(e) })} ...${describedBy('f-channels', hint, issues.channels)}></textarea>
    </${Field}>
    <div class="row check-row"><button type="button" onClick=${onCheck} disabled=${checking}>${checking ? 'Checking…' : 'Check channels'}</button></div>
    ${checking ? html`<${Loading} label="Resolving channels…" />` : null}
    ${
      checks && !checking
        ? html`<ul class="list" aria-label="Channel check results">${checks.map((c, i) => {
            // Problems are worded once, under the field; a line only gets its badge.
            const badge = channelBadge(c, earlier[i] ?? null);
            return html`<li key=${`${i}:${c.input}`}>
        <div class="spread"><span class="ellipsis"><strong>${c.ok ? c.title : c.input}</strong>${c.ok ? html` <span class="muted">${c.input}</span>` : null}</span>
          ${badge ? html`<span class=${`badge ${badge.kind}`}>${badge.label}</span>` : html`<span class="small muted">${fmtInt(c.video_count)} videos</span>`}</div>
      </li>`;
          })}</ul>`
        : null
    }
    <${Text} id="f-description" label="Description (optional)" value=${form.description} issue=${issues.description} onInput=${(v: string) => set({ description: v })} />
  </div>`;
}

// ---------------------------------------------------------------- 2 schedule

/** Warnings that another job writes the same tab around the same time. */
export function Conflicts({ preview }: { preview: SchedulePreview | null }) {
  return preview?.conflicts.length
    ? html`<div>${preview.conflicts.map((c) => html`<div class="banner warn" key=${c.job_id + c.at}>${c.message}</div>`)}</div>`
    : null;
}

/**
 * `showConflicts`: the tab is known (chosen in step 3, or the edited job's): before that the
 * conflicts would be about the default tab name, not the user's choice.
 */
export function ScheduleStep({
  form,
  set,
  issues,
  preview,
  previewing,
  showConflicts,
}: StepProps & { preview: SchedulePreview | null; previewing: boolean; showConflicts: boolean }) {
  const t = form.schedule_type;
  const viewer = viewerZone();
  // The schedule's issue is shown on the control it is about (Times, Days, Every, Cron expression …).
  const local = checkSchedule(form);
  const control = local?.control ?? controlOf(form);
  const issueOf = (c: ScheduleControl) => (control === c ? issues.schedule_value : undefined);
  const cronWords = t === 'cron' ? describeCron(form.cron) : null;
  const daysIssue = t === 'weekly' ? issueOf('weekdays') : undefined;
  return html`<div>
    <${SuggestPanel} channels=${splitList(form.channels)} timezone=${form.timezone} onApply=${set} />
    <fieldset>
      <legend>Repeats</legend>
      <div class="checks" role="radiogroup" aria-label="Schedule type">
        ${SCHEDULE_TYPES.map(
          (type) => html`<label class="check" key=${type}>
          <input type="radio" name="schedule_type" value=${type} checked=${t === type} onChange=${() => set({ schedule_type: type })} /> ${type}</label>`,
        )}
      </div>
    </fieldset>
    ${
      t === 'weekly'
        ? html`<fieldset aria-describedby=${daysIssue ? 'f-days-issue' : undefined}><legend>Days</legend><div class="checks">
      ${WEEKDAYS.map(
        (d, i) => html`<label class="check" key=${d}><input type="checkbox" id=${`f-day-${d}`} checked=${form.weekdays.includes(d)}
        aria-invalid=${daysIssue && i === 0 ? 'true' : undefined} aria-describedby=${daysIssue && i === 0 ? 'f-days-issue' : undefined}
        onChange=${(e: InputEv) => set({ weekdays: WEEKDAYS.filter((w) => (w === d ? (e.currentTarget as HTMLInputElement).checked : form.weekdays.includes(w))) })} /> ${d}</label>`,
      )}
    </div>${daysIssue ? html`<div class="issue" id="f-days-issue" role="alert">${daysIssue}</div>` : null}</fieldset>`
        : null
    }
    ${t === 'monthly' ? html`<${Text} id="f-mdays" label="Days of the month" hint="Numbers from 1 to 31 or the word last, separated by commas: 1,15 or last" value=${form.month_days} issue=${issueOf('month_days')} onInput=${(v: string) => set({ month_days: v })} />` : null}
    ${t === 'daily' || t === 'weekly' || t === 'monthly' ? html`<${Text} id="f-times" label="Times" hint="24-hour clock, several separated by commas: 09:00 or 09:00,17:30" value=${form.times} issue=${issueOf('times')} onInput=${(v: string) => set({ times: v })} />` : null}
    ${
      t === 'interval'
        ? html`<div class="row top">
      <div class="grow"><${Text} id="f-every" label="Every" type="number" min="1" value=${form.interval_n} issue=${issueOf('interval_n')} onInput=${(v: string) => set({ interval_n: v })} /></div>
      <div class="field"><label for="f-unit">Unit</label><select id="f-unit" value=${form.interval_unit} onChange=${(e: InputEv) => set({ interval_unit: val(e) as Form['interval_unit'] })}>
        <option value="m">minutes</option><option value="h">hours</option><option value="d">days</option></select></div>
    </div>`
        : null
    }
    ${
      t === 'cron'
        ? html`<${Text} id="f-cron" label="Cron expression" hint="Five parts: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5" value=${form.cron} issue=${issueOf('cron')} onInput=${(v: string) => set({ cron: v })} autoComplete="off" spellcheck=${false} />
      <p class="cron-words small" aria-live="polite" data-testid="cron-words">${cronWords ? html`Runs: <strong>${cronWords}</strong> (${form.timezone})` : null}</p>`
        : null
    }
    ${t === 'once' ? html`<${Text} id="f-once" label="Date and time" type="datetime-local" value=${form.once_at} issue=${issueOf('once_at')} onInput=${(v: string) => set({ once_at: v })} />` : null}
    <${Field} id="f-tz" label="Time zone" issue=${issues.timezone}>
      <select id="f-tz" value=${form.timezone} onChange=${(e: InputEv) => set({ timezone: val(e) })} ...${describedBy('f-tz', undefined, issues.timezone)}>
        ${zoneOptions(form.timezone).map((z) => html`<option key=${z} value=${z}>${z}</option>`)}
      </select>
    </${Field}>
    <fieldset>
      <legend>Active between (optional)</legend>
      <div class="row top">
        <div class="grow"><${Text} id="f-start" label="Starts" type="datetime-local" hint=${`No run before; ${form.timezone} time.`} value=${form.start_at}
          issue=${issues.start_at} step=${form.start_at.length > 16 ? 1 : 60} onInput=${(v: string) => set({ start_at: v })} /></div>
        <div class="grow"><${Text} id="f-end" label="Ends" type="datetime-local" hint=${`No run after; ${form.timezone} time.`} value=${form.end_at}
          issue=${issues.end_at} step=${form.end_at.length > 16 ? 1 : 60} onInput=${(v: string) => set({ end_at: v })} /></div>
      </div>
    </fieldset>
    <h3>Next 5 runs ${local ? null : html`<span class="muted small" title=${scheduleValue(form)}>${preview?.ok && preview.schedule_text ? preview.schedule_text : scheduleValue(form)}</span>`}</h3>
    <div aria-live="polite">
      ${previewing && !preview ? html`<${Loading} label="Computing…" />` : null}
      ${
        preview && preview.ok
          ? html`<table class="small" aria-label="Next runs"><thead><tr><th scope="col">#</th><th scope="col">Job zone (${form.timezone})</th>${viewer !== form.timezone ? html`<th scope="col">Your zone (${viewer})</th>` : null}</tr></thead>
        <tbody>${preview.runs.length === 0 ? html`<tr><td colspan="3" class="muted">No upcoming run.</td></tr>` : preview.runs.map((r, i) => html`<tr key=${r}><td>${i + 1}</td><td>${fmtDateTime(r, form.timezone)}</td>${viewer !== form.timezone ? html`<td>${fmtDateTime(r, viewer)}</td>` : null}</tr>`)}</tbody></table>`
          : null
      }
      ${showConflicts ? html`<${Conflicts} preview=${preview} />` : null}
    </div>
  </div>`;
}

// ---------------------------------------------------------------- 3 output

export function OutputStep({
  form,
  set,
  issues,
  tabs,
  preview,
  writers,
  suggested,
}: StepProps & {
  tabs: string[];
  preview: SchedulePreview | null;
  writers: Map<string, string[]>;
  suggested: string;
}) {
  const isNewTab = form.tab_choice === 'new';
  const owners = writers.get(form.target_tab_name.trim().toLowerCase()) ?? [];
  const freeTab = tabs.find((t) => !writers.has(t.toLowerCase())) ?? tabs[0] ?? '';
  const newHint =
    form.tab_auto && suggested
      ? 'Named after the channel; created on the first run with a header row of the chosen columns.'
      : 'Created on the first run with a header row of the chosen columns.';
  return html`<div>
    <fieldset><legend>Spreadsheet</legend><div class="checks">
      <label class="check"><input type="radio" name="sheet" checked=${form.sheet === 'this'} onChange=${() => set({ sheet: 'this' })} /> This spreadsheet</label>
      <label class="check"><input type="radio" name="sheet" checked=${form.sheet === 'other'} onChange=${() => set({ sheet: 'other' })} /> Another spreadsheet</label>
    </div></fieldset>
    ${form.sheet === 'other' ? html`<${Text} id="f-sheet" label="Spreadsheet id or URL" value=${form.target_sheet_id} issue=${issues.target_sheet_id} onInput=${(v: string) => set({ target_sheet_id: v })} />` : null}
    <fieldset><legend>Tab</legend><div class="checks">
      <label class="check"><input type="radio" name="tabkind" checked=${isNewTab}
        onChange=${() => set({ tab_choice: 'new', target_tab_name: suggested, tab_auto: true, share_tab: false })} /> New tab</label>
      <label class="check"><input type="radio" name="tabkind" checked=${!isNewTab} disabled=${tabs.length === 0}
        onChange=${() => set({ tab_choice: 'existing', target_tab_name: freeTab, tab_auto: false, share_tab: false })} /> Existing tab</label>
    </div></fieldset>
    ${
      isNewTab
        ? html`<${Text} id="f-tab" label="New tab name" hint=${newHint} value=${form.target_tab_name} issue=${issues.target_tab_name}
          onInput=${(v: string) => set({ target_tab_name: v, tab_auto: false, share_tab: false })} autoComplete="off" />`
        : html`<${Field} id="f-tab" label="Tab" hint="Its header row must match the chosen columns. Tabs another job writes are marked." issue=${issues.target_tab_name}>
          <select id="f-tab" value=${form.target_tab_name} onChange=${(e: InputEv) => set({ target_tab_name: val(e), share_tab: false })} ...${describedBy('f-tab', 'x', issues.target_tab_name)}>
            ${tabs.map((t) => {
              const w = writers.get(t.toLowerCase());
              return html`<option key=${t} value=${t}>${w ? `${t} — written by ${w.join(', ')}` : t}</option>`;
            })}
          </select></${Field}>`
    }
    ${
      owners.length && form.target_tab_name.trim()
        ? html`<div class="shared-tab" data-testid="shared-tab">
      <p class="small" id="f-share-note"><strong>“${form.target_tab_name.trim()}” is written by ${owners.join(', ')}.</strong> Rows of both jobs would mix in one tab, whatever the hour.</p>
      <label class="check"><input type="checkbox" id="f-share" checked=${form.share_tab} onChange=${(e: InputEv) => set({ share_tab: (e.currentTarget as HTMLInputElement).checked })}
        aria-invalid=${issues.share_tab ? 'true' : undefined} aria-describedby=${['f-share-note', issues.share_tab ? 'f-share-issue' : ''].filter(Boolean).join(' ')} />
        Write into this tab together with ${owners.join(', ')}</label>
      ${issues.share_tab ? html`<div class="issue" id="f-share-issue" role="alert">${issues.share_tab}</div>` : null}
    </div>`
        : null
    }
    <div aria-live="polite">${form.target_tab_name.trim() ? html`<${Conflicts} preview=${preview} />` : null}</div>
    <fieldset><legend>Mode</legend><div class="modes">
      ${OUTPUT_MODES.map(
        (
          m,
        ) => html`<label class="check mode-choice" key=${m}><input type="radio" name="mode" checked=${form.output_mode === m} onChange=${() => set({ output_mode: m })} aria-describedby=${`f-mode-${m}`} />
        <span><strong>${OUTPUT_MODE_TEXT[m].label}</strong> <span class="small muted" id=${`f-mode-${m}`}>${OUTPUT_MODE_TEXT[m].explain}</span></span></label>`,
      )}
    </div>
    ${issues.output_mode ? html`<div class="issue">${issues.output_mode}</div>` : null}</fieldset>
    <fieldset><legend>Columns</legend><div class="checks">
      ${COLUMNS.map(
        (c) => html`<label class="check" key=${c}><input type="checkbox" checked=${form.columns.includes(c)}
        onChange=${(e: InputEv) => set({ columns: toggle(form.columns, c, (e.currentTarget as HTMLInputElement).checked) })} /> ${COLUMN_LABELS[c]}</label>`,
      )}
    </div>${issues.columns ? html`<div class="issue" role="alert">${issues.columns}</div>` : null}
    <label class="check header-choice"><input type="checkbox" checked=${form.header_row === 'labels'} aria-describedby="f-header-hint"
      onChange=${(e: InputEv) => set({ header_row: (e.currentTarget as HTMLInputElement).checked ? 'labels' : 'keys' })} /> Header row in words</label>
    <div class="hint small muted" id="f-header-hint">${
      form.header_row === 'labels'
        ? `A new tab's first row reads ${form.columns
            .slice(0, 3)
            .map((c) => COLUMN_LABELS[c])
            .join(', ')}…; either wording is recognised in a tab that exists.`
        : `A new tab's first row reads ${form.columns.slice(0, 3).join(', ')}… (names formulas and scripts can rely on).`
    }</div></fieldset>
    <div class="row">
      <div class="field grow"><label for="f-filter">Videos</label>
        <select id="f-filter" value=${form.video_filter} onChange=${(e: InputEv) => set({ video_filter: val(e) as Form['video_filter'] })}>
          ${VIDEO_FILTERS.map((v) => html`<option key=${v} value=${v}>${v === 'all' ? 'All videos' : v === 'long' ? 'Long-form only (no Shorts)' : 'Shorts only'}</option>`)}
        </select></div>
      <div class="grow"><${Text} id="f-max" label="Max videos per channel" type="number" min="1" value=${form.max_videos} issue=${issues.max_videos} onInput=${(v: string) => set({ max_videos: v })} /></div>
    </div>
    ${
      form.output_mode === 'upsert'
        ? html`<div class="field"><label for="f-stats">Refresh views, likes, comments of the newest 50 rows</label>
          <select id="f-stats" value=${form.stats_refresh} onChange=${(e: InputEv) => set({ stats_refresh: val(e) as Form['stats_refresh'] })}>
            ${STATS_REFRESH_POLICIES.map((p) => html`<option key=${p} value=${p}>${p === 'daily' ? 'Once a day (1 quota unit, or free with new videos)' : p === 'every_run' ? 'On every run (1 unit a run)' : 'Never'}</option>`)}
          </select>${issues.stats_refresh ? html`<div class="issue">${issues.stats_refresh}</div>` : null}</div>`
        : null
    }
  </div>`;
}

// ---------------------------------------------------------------- 4 settings

/** The "Run after" choices: jobs found by name on the server (jobChoices), with how many match. */
export interface DependsChoices {
  items: JobChoiceDto[];
  total: number;
  query: string;
  onQuery: (q: string) => void;
}

export function SettingsStep({ form, set, issues, choices, editingId }: StepProps & { choices: DependsChoices; editingId: string | null }) {
  const listed = choices.items.filter((j) => j.id !== editingId);
  return html`<div>
    <div class="row top">
      <div class="grow"><${Text} id="f-priority" label="Priority (1–10)" type="number" min="1" max="10" value=${form.priority} issue=${issues.priority} onInput=${(v: string) => set({ priority: v })} /></div>
      <div class="grow"><${Text} id="f-retries" label="Max retries" type="number" min="0" max="10" value=${form.max_retries} issue=${issues.max_retries} onInput=${(v: string) => set({ max_retries: v })} /></div>
      <div class="grow"><${Text} id="f-backoff" label="Retry backoff (min)" type="number" min="1" value=${form.retry_backoff_minutes} issue=${issues.retry_backoff_minutes} onInput=${(v: string) => set({ retry_backoff_minutes: v })} /></div>
    </div>
    <div class="row top">
      <div class="grow"><${Text} id="f-grace" label="Misfire grace (min)" type="number" min="0" value=${form.misfire_grace_minutes} issue=${issues.misfire_grace_minutes} onInput=${(v: string) => set({ misfire_grace_minutes: v })} /></div>
      <div class="field grow"><label for="f-catchup">Missed runs</label>
        <select id="f-catchup" value=${form.catch_up} onChange=${(e: InputEv) => set({ catch_up: val(e) as Form['catch_up'] })}>
          ${CATCH_UP_POLICIES.map((p) => html`<option key=${p} value=${p}>${p === 'latest' ? 'Run the latest once' : p === 'all' ? 'Run every missed one' : 'Skip missed runs'}</option>`)}
        </select></div>
    </div>
    <${Text} id="f-emails" label="Notification emails" hint="Comma separated; empty uses the default address from Settings." value=${form.notify_emails} issue=${issues.notify_emails} onInput=${(v: string) => set({ notify_emails: v })} />
    <fieldset><legend>Notify on</legend><div class="checks">
      ${NOTIFY_EVENTS.map(
        (n) => html`<label class="check" key=${n}><input type="checkbox" checked=${form.notify_on.includes(n)}
        onChange=${(e: InputEv) => set({ notify_on: toggle(form.notify_on, n, (e.currentTarget as HTMLInputElement).checked) })} /> ${n}</label>`,
      )}
    </div></fieldset>
    <${Text} id="f-tags" label="Tags" hint="Comma separated" value=${form.tags} issue=${issues.tags} onInput=${(v: string) => set({ tags: v })} />
    <${Field} id="f-depends" label="Run after (depends on)" issue=${issues.depends_on}>
      <input type="search" id="f-depends-q" aria-label="Find the job to run after" placeholder="Find a job by name" value=${choices.query}
        onInput=${(e: InputEv) => choices.onQuery((e.currentTarget as HTMLInputElement).value)} />
      <select id="f-depends" value=${form.depends_on} onChange=${(e: InputEv) => set({ depends_on: val(e) })}>
        <option value="">No dependency</option>
        ${listed.map((j) => html`<option key=${j.id} value=${j.id}>${j.name}</option>`)}
      </select>
      ${choices.total > listed.length ? html`<div class="hint muted small" role="status">${choices.total} jobs match: the first ${listed.length} by name are listed; type to narrow.</div>` : null}
    </${Field}>
    <label class="check"><input type="checkbox" checked=${form.enabled} onChange=${(e: InputEv) => set({ enabled: (e.currentTarget as HTMLInputElement).checked })} /> Enabled</label>
  </div>`;
}

// ---------------------------------------------------------------- 5 review

export function ReviewStep({ form, preview }: { form: Form; preview: SchedulePreview | null }) {
  const c = toConfig(form);
  const rows: [string, string][] = [
    ['Name', String(c.name)],
    ['Channels', (c.channels as string[]).join(', ')],
    ['Schedule', preview?.schedule_text || `${form.schedule_type} ${scheduleValue(form)} (${form.timezone})`],
    ['Starts', form.start_at ? `${form.start_at.replace('T', ' ')} (${form.timezone})` : 'now'],
    ['Ends', form.end_at ? `${form.end_at.replace('T', ' ')} (${form.timezone})` : 'never'],
    ['Next run', preview?.runs[0] ? fmtZonedDateTime(preview.runs[0], form.timezone) : '—'],
    ['Spreadsheet', form.sheet === 'this' ? 'This spreadsheet' : form.target_sheet_id],
    ['Tab', form.target_tab_name],
    ['Mode', OUTPUT_MODE_TEXT[form.output_mode].label],
    ['Columns', form.columns.map((c) => COLUMN_LABELS[c]).join(', ')],
    ['Header row', form.header_row === 'labels' ? 'In words (Video ID, Title …)' : 'Column keys (video_id, title …)'],
    ['Videos', form.video_filter + (form.max_videos ? `, at most ${form.max_videos}` : '')],
    ...(form.output_mode === 'upsert' ? [['Statistics refresh', form.stats_refresh.replace('_', ' ')] as [string, string]] : []),
    ['Priority / retries', `${form.priority} / ${form.max_retries}`],
    [
      'Notifications',
      form.notify_on.length ? `${form.notify_on.join(', ')}${form.notify_emails ? ` → ${form.notify_emails}` : ''}` : 'none',
    ],
    ['Tags', form.tags || '—'],
    ['Enabled', form.enabled ? 'yes' : 'no'],
  ];
  return html`<div>
    <table aria-label="Job summary"><tbody>${rows.map(([k, v]) => html`<tr key=${k}><th scope="row" style="width:30%">${k}</th><td>${v}</td></tr>`)}</tbody></table>
    <${Conflicts} preview=${preview} />
  </div>`;
}
