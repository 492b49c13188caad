/**
 * The job wizard: five steps with an indicator, per-step validation with the server's schema
 * messages (previewSchedule / checkChannels / createJob field issues), live preview, edit mode.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type {
  ChannelCheck,
  ConflictWarningDto,
  JobChoicesDto,
  JobDetailDto,
  SchedulePreview,
  TabWritersDto,
} from '../../../src-server/app/contract';
import type { WizardBoot } from '../../../src-server/boot';
import { html } from '../../lib/html';
import { rpc, RpcError } from '../../rpc';
import { ErrorBanner, Loading } from '../../lib/components';
import { closeDialog } from '../../lib/host';
import { fmtZonedDateTime, viewerZone } from '../../lib/format';
import { modernZone } from '../../lib/zones';
import { FIELD_LABELS, humanError } from '../../lib/fields';
import {
  emptyForm,
  fieldOfFormKey,
  fromJob,
  issuesByField,
  scheduleIssues,
  scheduleValue,
  splitList,
  STEP_FIELDS,
  stepOfPath,
  suggestTabName,
  toConfig,
  writersMap,
  type Form,
} from './form';
import { openJobTab, RunFeedback, useRunNow } from '../../lib/run';
import { ChannelsStep, OutputStep, ReviewStep, ScheduleStep, SettingsStep } from './Steps';
import { channelProblems } from './channel-checks';

const STEPS = ['Channels', 'Schedule', 'Output', 'Settings', 'Review'] as const;

/** `boot`: what the opener sent with the page (the wizard dialog's boot JSON), used instead of a first round trip. */
export function Wizard({
  jobId = null,
  onDone,
  boot,
}: {
  jobId?: string | null;
  onDone?: (job: JobDetailDto | null) => void;
  boot?: WizardBoot;
}) {
  const [form, setForm] = useState<Form>(() => emptyForm(viewerZone()));
  // The form as loaded (or as a new job starts): any difference is an unsaved change.
  const [pristine, setPristine] = useState<Form>(form);
  // The spreadsheet's default zone (Settings), for new jobs; the viewer's until it is known.
  const [defaultZone, setDefaultZone] = useState<string>(viewerZone);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const keepEditing = useRef<HTMLButtonElement>(null);
  const [step, setStep] = useState(0);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(!!jobId);
  const [editing, setEditing] = useState<JobDetailDto | null>(null);
  // "Run after": jobs found by name on the server, never the whole list.
  const [choices, setChoices] = useState<JobChoicesDto>(() => boot?.choices ?? { items: [], total: 0 });
  const [choiceQuery, setChoiceQuery] = useState('');
  const [checks, setChecks] = useState<ChannelCheck[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [preview, setPreview] = useState<SchedulePreview | null>(null);
  const [previewKey, setPreviewKey] = useState(''); // the scheduleKey the preview answers
  // The furthest step reached: past step 3 (output) the target tab is the user's choice.
  const [reached, setReached] = useState(0);
  const [previewing, setPreviewing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ job: JobDetailDto; warnings: ConflictWarningDto[] } | null>(null);
  const { runs, start } = useRunNow();
  const [opened, setOpened] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  // Live issues show for the fields the user changed, or all of a step once Next was pressed there
  // (switching the schedule type starts its value afresh). Refs: the preview's answer reads the latest.
  const touched = useRef<Set<string>>(new Set());
  const attempted = useRef<Set<number>>(new Set());
  const [tabs, setTabs] = useState<string[]>([]);
  const sheetId = form.sheet === 'other' ? form.target_sheet_id.trim() : '';
  useEffect(() => {
    if (step !== 2) return;
    rpc.listTabs(sheetId).then(setTabs, () => setTabs([]));
  }, [step, sheetId]);
  // Tabs other jobs write (this job excepted), asked of the server (bounded: the spreadsheet's tabs and
  // the typed name first, at most 200), and the new tab's name suggested from the channels.
  const [writerAnswer, setWriterAnswer] = useState<{ key: string; names: Set<string>; answer: TabWritersDto } | null>(null);
  const writers = useMemo(() => writersMap(writerAnswer?.answer ?? null), [writerAnswer]);
  const targetKey = form.target_tab_name.trim().toLowerCase();
  useEffect(() => {
    if (step !== 2) return;
    const key = JSON.stringify([sheetId, editing?.id ?? null, tabs]);
    const fresh = writerAnswer?.key === key;
    // A name the answer may not cover (past its cap) is asked about on its own, after a pause in typing.
    const unknownName =
      !!targetKey &&
      fresh &&
      writerAnswer.answer.total > writerAnswer.answer.items.length &&
      !writers.has(targetKey) &&
      !writerAnswer.names.has(targetKey);
    if (fresh && !unknownName) return;
    let cancelled = false;
    const names = [...tabs, form.target_tab_name.trim()].filter(Boolean).slice(0, 200);
    const timer = setTimeout(
      () => {
        rpc
          .tabWriters({ sheet_id: sheetId, except_id: editing?.id ?? null, names })
          .then((answer) => {
            if (!cancelled)
              setWriterAnswer({
                key,
                names: new Set([...(fresh ? writerAnswer.names : []), ...names.map((n) => n.toLowerCase())]),
                answer,
              });
          })
          .catch(() => undefined);
      },
      fresh ? 250 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [step, sheetId, editing, tabs, targetKey, writerAnswer]);
  const titles = useMemo(() => new Map((checks ?? []).filter((c) => c.ok && c.title).map((c) => [c.input, c.title!])), [checks]);
  const suggested = useMemo(() => {
    const taken = new Set([...tabs.map((t) => t.toLowerCase()), ...writers.keys()]);
    return suggestTabName(splitList(form.channels), titles, taken);
  }, [form.channels, titles, tabs, writers]);
  // A new tab's name follows the suggestion until the user types one.
  useEffect(() => {
    if (form.tab_choice === 'new' && form.tab_auto && form.target_tab_name !== suggested)
      setForm((f) => ({ ...f, target_tab_name: suggested }));
  }, [suggested, form.tab_choice, form.tab_auto]);
  // An edited job's tab: "existing" when the spreadsheet has it, else "new" (not created yet).
  useEffect(() => {
    if (!editing || tabs.length === 0) return;
    const exists = tabs.some((t) => t.toLowerCase() === form.target_tab_name.trim().toLowerCase());
    setForm((f) => ({
      ...f,
      tab_choice: exists ? 'existing' : 'new',
      target_tab_name: exists ? tabs.find((t) => t.toLowerCase() === f.target_tab_name.trim().toLowerCase())! : f.target_tab_name,
    }));
  }, [tabs, editing]);

  useEffect(() => {
    if (!jobId) {
      // New jobs start in the spreadsheet's default zone (Settings).
      const useSettings = (s: { default_timezone: string }) => {
        const zone = modernZone(s.default_timezone);
        if (!zone) return;
        setDefaultZone(zone);
        setForm((f) => (f.timezone === viewerZone() ? { ...f, timezone: zone } : f));
        setPristine((f) => ({ ...f, timezone: zone }));
      };
      if (boot?.settings) useSettings(boot.settings);
      else rpc.getSettings().then(useSettings, () => undefined);
      return;
    }
    const show = (job: JobDetailDto) => {
      const loaded = fromJob(job, viewerZone());
      setEditing(job);
      setForm(loaded);
      setPristine(loaded);
    };
    if (boot?.job && boot.job.id === jobId) {
      show(boot.job);
      setLoading(false);
      return;
    }
    rpc
      .getJob(jobId)
      .then(show)
      .catch(setError)
      .finally(() => setLoading(false));
  }, [jobId]);

  // The picker's choices on the settings step: asked again as the search changes (after a pause in typing).
  const choicesFrom = useRef<string | null>(boot?.choices ? '' : null);
  useEffect(() => {
    if (step !== 3) return;
    const q = choiceQuery.trim();
    if (choicesFrom.current === q) return;
    let cancelled = false;
    const timer = setTimeout(
      () => {
        rpc
          .jobChoices({ q, ids: form.depends_on ? [form.depends_on] : [] })
          .then((answer) => {
            if (!cancelled) {
              choicesFrom.current = q;
              setChoices(answer);
            }
          })
          .catch(() => undefined);
      },
      q ? 250 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [step, choiceQuery]);

  // The name asked of the server (jobChoices, whole name) after a pause in typing: never the job list.
  const [sameNamed, setSameNamed] = useState<{ name: string; other: string | null } | null>(null);
  const nameKey = form.name.trim().toLowerCase();
  useEffect(() => {
    if (step !== 0 || !nameKey || sameNamed?.name === nameKey) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      rpc
        .jobChoices({ q: nameKey, exact: true, limit: 2 })
        .then((answer) => {
          if (!cancelled) setSameNamed({ name: nameKey, other: answer.items.find((j) => j.id !== editing?.id)?.name ?? null });
        })
        .catch(() => undefined);
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [step, nameKey, editing]);

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    for (const k of Object.keys(patch)) touched.current.add(fieldOfFormKey(k));
    if ('schedule_type' in patch) {
      touched.current.delete('schedule_value');
      attempted.current.delete(1);
    }
    if ('channels' in patch) setChecks(null);
    setIssues((cur) => {
      const next = { ...cur };
      for (const k of Object.keys(patch)) delete next[k];
      if ('sheet' in patch) delete next.target_sheet_id;
      if (
        'times' in patch ||
        'weekdays' in patch ||
        'month_days' in patch ||
        'interval_n' in patch ||
        'interval_unit' in patch ||
        'cron' in patch ||
        'once_at' in patch ||
        'schedule_type' in patch
      )
        delete next.schedule_value;
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
      rpc
        .previewSchedule(previewInput(form, editing), viewerZone())
        .then((p) => {
          if (cancelled) return;
          setPreview(withoutSelf(p, editing));
          setPreviewKey(scheduleKey);
          const shown = Object.entries(scheduleIssues(form, p)).filter(([field]) => attempted.current.has(1) || touched.current.has(field));
          // The preview validates every schedule field: its answer replaces their issues (a fixed
          // start_at clears the end_at "before start_at" issue too).
          setIssues((cur) => {
            const next = { ...cur };
            for (const field of STEP_FIELDS[1] ?? []) delete next[field];
            return { ...next, ...Object.fromEntries(shown) };
          });
        })
        .catch((err) => {
          if (!cancelled) setError(err);
        })
        .finally(() => {
          if (!cancelled) setPreviewing(false);
        });
    }, 350);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [scheduleKey, step]);

  useEffect(() => {
    heading.current?.focus();
  }, [step, saved]);

  async function runChecks(): Promise<ChannelCheck[] | null> {
    const inputs = splitList(form.channels);
    if (inputs.length === 0) {
      setIssues((i) => ({ ...i, channels: `${FIELD_LABELS.channels}: add at least one channel` }));
      return null;
    }
    setChecking(true);
    try {
      const result = await rpc.checkChannels(inputs);
      setChecks(result);
      const problems = channelProblems(result);
      setIssues((i) => {
        const next = { ...i };
        if (problems.length) next.channels = `${FIELD_LABELS.channels}: ${problems.join('; ')}`;
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

  /** Server-side validation of one step's fields (the current one unless said). */
  async function validateStep(s: number = step): Promise<boolean> {
    setError(null);
    attempted.current.add(s);
    const local: Record<string, string> = {};
    if (s === 0 && !form.name.trim()) local.name = `${FIELD_LABELS.name}: give the job a name`;
    if (s === 2 && form.columns.length === 0) local.columns = `${FIELD_LABELS.columns}: choose at least one column`;
    if (s === 2 && !form.target_tab_name.trim()) local.target_tab_name = `${FIELD_LABELS.target_tab_name}: name the tab to write`;
    const tabName = form.target_tab_name.trim().toLowerCase();
    if (s === 2 && tabName && form.tab_choice === 'new' && tabs.some((t) => t.toLowerCase() === tabName)) {
      local.target_tab_name = `New tab name: a tab called “${form.target_tab_name.trim()}” exists already; choose Existing tab to write into it, or another name`;
    }
    if (s === 2 && tabName && writers.has(tabName) && !form.share_tab) {
      local.share_tab = `Shared tab: tick the box to write into a tab ${writers.get(tabName)!.join(', ')} writes too, or choose a new tab`;
    }
    // An empty id would mean "this spreadsheet": the other one must be named.
    if (s === 2 && form.sheet === 'other' && !form.target_sheet_id.trim())
      local.target_sheet_id = `${FIELD_LABELS.target_sheet_id}: enter the other spreadsheet's id or URL, or choose This spreadsheet`;
    if (s === 0) {
      const result = checks ?? (await runChecks());
      if (!result || channelProblems(result).length) return applyIssues(local, false);
    }
    try {
      const p = await rpc.previewSchedule(previewInput(form, editing), viewerZone());
      if (s === 1) {
        setPreview(withoutSelf(p, editing));
        setPreviewKey(scheduleKey);
      }
      const own = p.errors.filter((e) => (STEP_FIELDS[s] ?? []).includes(e.path.split(/[.[]/)[0] ?? ''));
      return applyIssues({ ...(s === 1 ? scheduleIssues(form, p) : issuesByField(own)), ...local });
    } catch (err) {
      setError(err);
      return false;
    }
  }

  function applyIssues(found: Record<string, string>, ok = true): boolean {
    setIssues((cur) => ({ ...cur, ...found }));
    return ok && Object.keys(found).length === 0;
  }

  // After a Next that found problems: focus goes to the first control marked invalid (once rendered).
  const focusIssue = useRef(false);
  const [focusTick, setFocusTick] = useState(0);
  useLayoutEffect(() => {
    if (!focusIssue.current) return;
    const first = document.querySelector<HTMLElement>('form [aria-invalid="true"]');
    if (first) {
      focusIssue.current = false;
      first.focus();
    }
  }, [focusTick, issues, step]);
  /** Asks for the focus move once the issues are rendered (a render is forced, so it surely happens). */
  const focusFirstIssue = () => {
    focusIssue.current = true;
    setFocusTick((n) => n + 1);
  };

  async function next() {
    const ok = await validateStep();
    if (!ok) focusFirstIssue();
    if (ok) {
      const to = Math.min(STEPS.length - 1, step + 1);
      setStep(to);
      setReached((r) => Math.max(r, to));
    }
  }

  /** Edit mode saves from any step: every step is validated first; the first at fault is shown. */
  async function saveFromAnyStep() {
    for (let s = 0; s < STEPS.length - 1; s++) {
      if (!(await validateStep(s))) {
        focusFirstIssue();
        setStep(s);
        return;
      }
    }
    await save();
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
  // The page's title names the wizard (inside the job manager too), and is given back on leaving.
  const pageTitle = editing ? `Edit “${editing.config.name}”` : 'New job';
  useEffect(() => {
    const before = document.title;
    document.title = pageTitle;
    return () => {
      document.title = before;
    };
  }, [pageTitle]);
  const dirty = !saved && JSON.stringify(toConfig(form)) !== JSON.stringify(toConfig(pristine));
  /** Cancel / Escape: unsaved changes are only thrown away once the user says so. */
  const requestClose = () => {
    if (dirty) setConfirmingClose(true);
    else done(null);
  };
  useEffect(() => {
    if (confirmingClose) keepEditing.current?.focus();
  }, [confirmingClose]);
  // On document, before the host's window listener: an Escape handled here is marked
  // (preventDefault) so the dialog around the wizard stays open. Registered once and reading the
  // latest render's state (an effect re-registered after paint could miss a quick Escape).
  const onEscape = useRef<(e: KeyboardEvent) => void>(() => undefined);
  const dirtyNow = useRef(false);
  dirtyNow.current = dirty;
  onEscape.current = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented || saved) return;
    if (confirmingClose) {
      e.preventDefault();
      setConfirmingClose(false);
      return;
    }
    if (dirty) {
      e.preventDefault();
      setConfirmingClose(true);
      return;
    }
    // Inside the manager or calendar, Escape goes back to it rather than closing the whole dialog.
    if (onDone) {
      e.preventDefault();
      onDone(null);
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onEscape.current(e);
    // The local workspace's dialog ✕ asks first (a cancelable event); Sheets' own ✕ cannot be stopped.
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

  // Another job with the same name (case ignored): allowed, but said, since lists and mails name jobs.
  const sameName = sameNamed && sameNamed.name === form.name.trim().toLowerCase() ? sameNamed.other : null;

  if (loading) return html`<main class="page"><${Loading} label="Loading the job…" /></main>`;

  if (saved) {
    const job = saved.job;
    const runView = runs[job.id];
    const runAndOpen = async () => {
      const view = await start(job.id);
      if (view.kind === 'succeeded' || view.kind === 'partial' || view.kind === 'continuing') {
        setOpened(await openJobTab(job.id).catch((err: unknown) => humanError(err)));
      }
    };
    return html`<main class="page">
      <h1 tabIndex="-1" ref=${heading}>${editing ? 'Job saved' : 'Job created'}</h1>
      <div class="banner ok" role="status">“${saved.job.config.name}” is ${editing ? 'saved' : 'scheduled'}. ${saved.job.schedule_text}</div>
      ${saved.job.next_run_at ? html`<p>Next run: <time datetime=${saved.job.next_run_at} title=${`Time in ${saved.job.config.timezone}`}>${fmtZonedDateTime(saved.job.next_run_at, saved.job.config.timezone)}</time></p>` : null}
      ${saved.warnings.map((w) => html`<div class="banner warn" key=${w.job_id + w.at}>${w.message}</div>`)}
      ${runView ? html`<${RunFeedback} view=${runView} name=${job.config.name} jobId=${job.id} tab=${job.config.target_tab_name} />` : null}
      ${opened ? html`<p class="small" role="status">${opened}</p>` : null}
      <div class="footer">
        ${
          editing
            ? null
            : html`<button onClick=${() => {
                const fresh = emptyForm(defaultZone);
                setSaved(null);
                setOpened('');
                setForm(fresh);
                setPristine(fresh);
                setStep(0);
                setReached(0);
                setChecks(null);
                setPreview(null);
              }}>Create another</button>`
        }
        <button class=${runView ? '' : 'action'} disabled=${runView?.kind === 'running'} onClick=${() => void runAndOpen()}>${runView?.kind === 'running' ? 'Running…' : runView ? 'Run again' : 'Run now and open the tab'}</button>
        <button class=${runView && runView.kind !== 'running' ? 'action' : ''} onClick=${() => done(saved.job)}>Done</button>
      </div>
    </main>`;
  }

  const title = editing ? `Edit “${editing.config.name}”` : 'New job';
  return html`<main class="page">
    <h1 class=${editing ? '' : 'sr-only'}>${title}</h1>
    <ol class="steps" aria-label="Steps">
      ${STEPS.map(
        (
          label,
          i,
        ) => html`<li key=${label} class=${i === step ? 'current' : i < step ? 'done' : ''} aria-current=${i === step ? 'step' : undefined}>
        <button type="button" class="step" disabled=${!editing && i > step} onClick=${() => {
          setStep(i);
          setReached((r) => Math.max(r, i));
        }}>
          <span class="num" aria-hidden="true">${i < step ? '✓' : i + 1}</span> ${label}${i < step ? html`<span class="sr-only"> (done)</span>` : null}
        </button></li>`,
      )}
    </ol>
    <h2 tabIndex="-1" ref=${heading}>Step ${step + 1} of ${STEPS.length}: ${STEPS[step]}</h2>
    <${ErrorBanner} error=${error && humanError(error)} />
    ${
      confirmingClose
        ? html`<div class="banner warn" role="alertdialog" aria-modal="false" aria-labelledby="discard-title" aria-describedby="discard-text">
      <strong id="discard-title">Discard changes?</strong> <span id="discard-text">Your changes to this job are not saved.</span>
      <div class="row" style="margin-top:8px">
        <button type="button" class="danger small" onClick=${() => {
          setConfirmingClose(false);
          done(null);
        }}>Discard</button>
        <button type="button" class="action small" ref=${keepEditing} onClick=${() => {
          setConfirmingClose(false);
          heading.current?.focus();
        }}>Keep editing</button>
      </div></div>`
        : null
    }
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      void (step === 4 ? save() : next());
    }} novalidate>
      ${step === 0 ? html`<${ChannelsStep} form=${form} set=${set} issues=${issues} checks=${checks} checking=${checking} onCheck=${runChecks} sameName=${sameName} />` : null}
      ${step === 1 ? html`<${ScheduleStep} form=${form} set=${set} issues=${issues} preview=${preview} previewing=${previewing} showConflicts=${!!editing || reached > 2} />` : null}
      ${step === 2 ? html`<${OutputStep} form=${form} set=${set} issues=${issues} tabs=${tabs} preview=${previewKey === scheduleKey ? preview : null} writers=${writers} suggested=${suggested} />` : null}
      ${step === 3 ? html`<${SettingsStep} form=${form} set=${set} issues=${issues} choices=${{ ...choices, query: choiceQuery, onQuery: setChoiceQuery }} editingId=${editing?.id ?? null} />` : null}
      ${step === 4 ? html`<${ReviewStep} form=${form} preview=${preview} />` : null}
      ${step === 4 && Object.keys(issues).length ? html`<div class="banner error" role="alert"><ul>${Object.entries(issues).map(([k, v]) => html`<li key=${k}>${v}</li>`)}</ul></div>` : null}
      <div class="footer">
        <button type="button" onClick=${requestClose}>Cancel</button>
        ${step > 0 ? html`<button type="button" onClick=${() => setStep(step - 1)}>Back</button>` : null}
        ${
          step < 4
            ? html`${editing ? html`<button type="button" disabled=${saving} onClick=${() => void saveFromAnyStep()}>${saving ? 'Saving…' : 'Save changes'}</button>` : null}<button type="submit" class="action">Next</button>`
            : html`<button type="submit" class="action" disabled=${saving}>${saving ? 'Saving…' : editing ? 'Save changes' : 'Create job'}</button>`
        }
      </div>
    </form>
  </main>`;
}

/** What previewSchedule validates: the whole config typed so far (the server reports per field). */
function previewInput(form: Form, _editing: JobDetailDto | null): Record<string, unknown> {
  return toConfig(form);
}

/** In edit mode the job does not conflict with itself. */
function withoutSelf(p: SchedulePreview, editing: JobDetailDto | null): SchedulePreview {
  return editing ? { ...p, conflicts: p.conflicts.filter((c) => c.job_id !== editing.id) } : p;
}
