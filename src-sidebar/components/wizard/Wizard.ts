/**
 * The job wizard: five steps with an indicator, per-step validation with the server's schema
 * messages (previewSchedule / checkChannels / createJob field issues), live preview, edit mode.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelCheck, ConflictWarningDto, JobDetailDto, JobDto, SchedulePreview } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc, RpcError } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { closeDialog } from '../../lib/host';
import { fmtZonedDateTime, viewerZone } from '../../lib/format';
import { FIELD_LABELS, humanError } from '../../lib/fields';
import { emptyForm, fromJob, issuesByField, scheduleValue, splitList, STEP_FIELDS, stepOfPath, toConfig, type Form } from './form';
import { ChannelsStep, OutputStep, ReviewStep, ScheduleStep, SettingsStep } from './Steps';

const STEPS = ['Channels', 'Schedule', 'Output', 'Settings', 'Review'] as const;

export function Wizard({ jobId = null, onDone }: { jobId?: string | null; onDone?: (job: JobDetailDto | null) => void }) {
  const [form, setForm] = useState<Form>(() => emptyForm(viewerZone()));
  const [step, setStep] = useState(0);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(!!jobId);
  const [editing, setEditing] = useState<JobDetailDto | null>(null);
  const [jobs, setJobs] = useState<JobDto[]>([]);
  const [checks, setChecks] = useState<ChannelCheck[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [preview, setPreview] = useState<SchedulePreview | null>(null);
  const [previewKey, setPreviewKey] = useState(''); // the scheduleKey the preview answers
  // The furthest step reached: past step 3 (output) the target tab is the user's choice.
  const [reached, setReached] = useState(0);
  const [previewing, setPreviewing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ job: JobDetailDto; warnings: ConflictWarningDto[] } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [tabs, setTabs] = useState<string[]>([]);
  const sheetId = form.sheet === 'other' ? form.target_sheet_id.trim() : '';
  useEffect(() => {
    if (step !== 2) return;
    rpc.listTabs(sheetId).then(setTabs, () => setTabs([]));
  }, [step, sheetId]);

  useEffect(() => {
    allJobs().then(setJobs).catch(() => undefined);
    if (!jobId) {
      // New jobs start in the spreadsheet's default zone (Settings).
      rpc.getSettings().then((s) => setForm((f) => (f.timezone === viewerZone() && s.default_timezone ? { ...f, timezone: s.default_timezone } : f)), () => undefined);
      return;
    }
    rpc.getJob(jobId)
      .then((job) => { setEditing(job); setForm(fromJob(job, viewerZone())); })
      .catch(setError)
      .finally(() => setLoading(false));
  }, [jobId]);

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    if ('channels' in patch) setChecks(null);
    setIssues((cur) => {
      const next = { ...cur };
      for (const k of Object.keys(patch)) delete next[k];
      if ('times' in patch || 'weekdays' in patch || 'month_days' in patch || 'interval_n' in patch || 'interval_unit' in patch || 'cron' in patch || 'once_at' in patch || 'schedule_type' in patch) delete next.schedule_value;
      return next;
    });
  };

  // Live preview of the schedule and its tab conflicts (debounced) on the schedule, output and review steps.
  const scheduleKey = `${form.schedule_type}|${scheduleValue(form)}|${form.timezone}|${form.start_at}|${form.end_at}|${form.target_tab_name}|${form.sheet}|${form.target_sheet_id}`;
  useEffect(() => {
    if (step !== 1 && step !== 2 && step !== 4) return;
    let cancelled = false;
    setPreviewing(true);
    const timer = setTimeout(() => {
      rpc.previewSchedule(previewInput(form, editing), viewerZone())
        .then((p) => {
          if (cancelled) return;
          setPreview(withoutSelf(p, editing));
          setPreviewKey(scheduleKey);
          const own = p.errors.filter((e) => STEP_FIELDS[1]?.includes(e.path.split(/[.[]/)[0] ?? ''));
          // The preview validates every schedule field: its answer replaces their issues (a fixed
          // start_at clears the end_at "before start_at" issue too).
          setIssues((cur) => {
            const next = { ...cur };
            for (const field of STEP_FIELDS[1] ?? []) delete next[field];
            return { ...next, ...issuesByField(own) };
          });
        })
        .catch((err) => { if (!cancelled) setError(err); })
        .finally(() => { if (!cancelled) setPreviewing(false); });
    }, 350);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [scheduleKey, step]);

  useEffect(() => { heading.current?.focus(); }, [step, saved]);

  async function runChecks(): Promise<ChannelCheck[] | null> {
    const inputs = splitList(form.channels);
    if (inputs.length === 0) { setIssues((i) => ({ ...i, channels: `${FIELD_LABELS.channels}: add at least one channel` })); return null; }
    setChecking(true);
    try {
      const result = await rpc.checkChannels(inputs);
      setChecks(result);
      const bad = result.filter((c) => !c.ok);
      setIssues((i) => {
        const next = { ...i };
        if (bad.length) next.channels = bad.map((c) => c.error ?? `${c.input}: not found`).join('; ');
        else delete next.channels;
        return next;
      });
      return result;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setChecking(false);
    }
  }

  /** Server-side validation of the current step's fields. */
  async function validateStep(): Promise<boolean> {
    setError(null);
    const local: Record<string, string> = {};
    if (step === 0 && !form.name.trim()) local.name = `${FIELD_LABELS.name}: give the job a name`;
    if (step === 2 && form.columns.length === 0) local.columns = `${FIELD_LABELS.columns}: choose at least one column`;
    if (step === 2 && !form.target_tab_name.trim()) local.target_tab_name = `${FIELD_LABELS.target_tab_name}: name the tab to write`;
    if (step === 0) {
      const result = checks ?? (await runChecks());
      if (!result || result.some((c) => !c.ok)) return applyIssues(local, false);
    }
    try {
      const p = await rpc.previewSchedule(previewInput(form, editing), viewerZone());
      if (step === 1) { setPreview(withoutSelf(p, editing)); setPreviewKey(scheduleKey); }
      const own = p.errors.filter((e) => (STEP_FIELDS[step] ?? []).includes(e.path.split(/[.[]/)[0] ?? ''));
      return applyIssues({ ...issuesByField(own), ...local });
    } catch (err) {
      setError(err);
      return false;
    }
  }

  function applyIssues(found: Record<string, string>, ok = true): boolean {
    setIssues((cur) => ({ ...cur, ...found }));
    return ok && Object.keys(found).length === 0;
  }

  async function next() {
    if (await validateStep()) {
      const to = Math.min(STEPS.length - 1, step + 1);
      setStep(to);
      setReached((r) => Math.max(r, to));
    }
  }

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const config = toConfig(form);
      const result = editing ? await rpc.updateJob(editing.id, config, editing.version) : await rpc.createJob(config);
      setSaved(result);
    } catch (err) {
      if (err instanceof RpcError && err.code === 'validation_failed') {
        const list = Array.isArray(err.details) ? (err.details as { path: string; message: string }[]) : [];
        setIssues(issuesByField(list));
        setStep(list.length ? Math.min(...list.map((d) => stepOfPath(d.path))) : 4);
      }
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  const done = (job: JobDetailDto | null) => (onDone ? onDone(job) : closeDialog());

  if (loading) return html`<main class="page"><${Loading} label="Loading the job…" /></main>`;

  if (saved) {
    return html`<main class="page">
      <h1 tabIndex="-1" ref=${heading}>${editing ? 'Job saved' : 'Job created'}</h1>
      <div class="banner ok" role="status">“${saved.job.config.name}” is ${editing ? 'saved' : 'scheduled'}. ${saved.job.schedule_text}</div>
      ${saved.job.next_run_at ? html`<p>Next run: <time datetime=${saved.job.next_run_at} title=${`Time in ${saved.job.config.timezone}`}>${fmtZonedDateTime(saved.job.next_run_at, saved.job.config.timezone)}</time></p>` : null}
      ${saved.warnings.map((w) => html`<div class="banner warn" key=${w.job_id + w.at}>${w.message}</div>`)}
      <div class="footer">
        ${editing ? null : html`<button onClick=${() => { setSaved(null); setForm(emptyForm(viewerZone())); setStep(0); setReached(0); setChecks(null); setPreview(null); }}>Create another</button>`}
        <button class="action" onClick=${() => done(saved.job)}>Done</button>
      </div>
    </main>`;
  }

  const title = editing ? `Edit “${editing.config.name}”` : 'New job';
  return html`<main class="page">
    <h1 class=${editing ? '' : 'sr-only'}>${title}</h1>
    <ol class="steps" aria-label="Steps">
      ${STEPS.map((label, i) => html`<li key=${label} class=${i === step ? 'current' : i < step ? 'done' : ''} aria-current=${i === step ? 'step' : undefined}>
        <button type="button" class="step" disabled=${i > step} onClick=${() => setStep(i)}>
          <span class="num" aria-hidden="true">${i < step ? '✓' : i + 1}</span> ${label}${i < step ? html`<span class="sr-only"> (done)</span>` : null}
        </button></li>`)}
    </ol>
    <h2 tabIndex="-1" ref=${heading}>Step ${step + 1} of ${STEPS.length}: ${STEPS[step]}</h2>
    <${ErrorBanner} error=${error && humanError(error)} />
    <form onSubmit=${(e: Event) => { e.preventDefault(); void (step === 4 ? save() : next()); }} novalidate>
      ${step === 0 ? html`<${ChannelsStep} form=${form} set=${set} issues=${issues} checks=${checks} checking=${checking} onCheck=${runChecks} />` : null}
      ${step === 1 ? html`<${ScheduleStep} form=${form} set=${set} issues=${issues} preview=${preview} previewing=${previewing} showConflicts=${!!editing || reached > 2} />` : null}
      ${step === 2 ? html`<${OutputStep} form=${form} set=${set} issues=${issues} tabs=${tabs} preview=${previewKey === scheduleKey ? preview : null} />` : null}
      ${step === 3 ? html`<${SettingsStep} form=${form} set=${set} issues=${issues} jobs=${jobs} editingId=${editing?.id ?? null} />` : null}
      ${step === 4 ? html`<${ReviewStep} form=${form} preview=${preview} />` : null}
      ${step === 4 && Object.keys(issues).length ? html`<div class="banner error" role="alert"><ul>${Object.entries(issues).map(([k, v]) => html`<li key=${k}>${v}</li>`)}</ul></div>` : null}
      <div class="footer">
        <button type="button" onClick=${() => done(null)}>Cancel</button>
        ${step > 0 ? html`<button type="button" onClick=${() => setStep(step - 1)}>Back</button>` : null}
        ${step < 4
          ? html`<button type="submit" class="action">Next</button>`
          : html`<button type="submit" class="action" disabled=${saving}>${saving ? 'Saving…' : editing ? 'Save changes' : 'Create job'}</button>`}
      </div>
    </form>
  </main>`;
}

/** Every job (the depends-on choice), a page of 200 at a time. */
async function allJobs(): Promise<JobDto[]> {
  const out: JobDto[] = [];
  for (let page = 1; ; page++) {
    const answer = await rpc.listJobs({ page, page_size: 200, sort: 'name', order: 'asc' });
    out.push(...answer.items);
    if (answer.items.length === 0 || page * answer.page_size >= answer.total) return out;
  }
}

/** What previewSchedule validates: the whole config typed so far (the server reports per field). */
function previewInput(form: Form, _editing: JobDetailDto | null): Record<string, unknown> {
  return toConfig(form);
}

/** In edit mode the job does not conflict with itself. */
function withoutSelf(p: SchedulePreview, editing: JobDetailDto | null): SchedulePreview {
  return editing ? { ...p, conflicts: p.conflicts.filter((c) => c.job_id !== editing.id) } : p;
}
