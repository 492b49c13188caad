/**
 * The sidebar's job list past the jobs that matter now (docs/operations.md "Payloads"): the view
 * carries at most 20 and the counts; more come a page at a time from listJobs, and a search asks the
 * server (name, description, channels, tab), so no answer grows with the job count.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JobDto, SidebarViewDto } from '../../../src-server/app/contract';
import { html } from '../../lib/html';
import { rpc, errorMessage } from '../../rpc';
import { fmtInt } from '../../lib/format';

const PAGE = 20;

interface Listing {
  q: string;
  items: JobDto[];
  total: number;
  page: number;
}

/** The jobs to list (the view's, extra pages, or a search's) and the controls to get more. */
export function useMoreJobs(view: SidebarViewDto | null): { jobs: JobDto[]; total: number; controls: unknown } {
  const [q, setQ] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState('');
  const ticket = useRef(0);
  const total = view?.summary?.total ?? view?.jobs.length ?? 0;

  /** Pages from `page` on until one adds a job not listed yet (`shown`: the view's jobs and those before). */
  const fetchPage = async (query: string, page: number, before: JobDto[], shown: JobDto[] = before) => {
    const mine = ++ticket.current;
    setLoading(true);
    setFailure('');
    try {
      const seen = new Set(shown.map((j) => j.id));
      let items = before;
      for (let p = page; ; p++) {
        const answer = await rpc.listJobs({ page: p, page_size: PAGE, sort: 'name', order: 'asc', ...(query ? { q: query } : {}) });
        if (mine !== ticket.current) return;
        const fresh = answer.items.filter((j) => !seen.has(j.id));
        items = [...items, ...fresh];
        if (fresh.length > 0 || answer.items.length === 0 || p * PAGE >= answer.total) {
          setListing({ q: query, items, total: answer.total, page: p });
          return;
        }
      }
    } catch (err) {
      if (mine === ticket.current) setFailure(errorMessage(err));
    } finally {
      if (mine === ticket.current) setLoading(false);
    }
  };

  // A search asks the server after a short pause in typing; clearing it shows the view's jobs again.
  useEffect(() => {
    const query = q.trim();
    if (!query) {
      ticket.current++;
      setListing((l) => (l && l.q ? null : l));
      setLoading(false);
      return;
    }
    const timer = setTimeout(() => void fetchPage(query, 1, []), 250);
    return () => clearTimeout(timer);
  }, [q]);

  const searching = q.trim() !== '';
  const base = view?.jobs ?? [];
  const jobs = searching ? (listing?.q === q.trim() ? listing.items : []) : listing && !listing.q ? mergeById(base, listing.items) : base;
  const known = searching ? (listing?.q === q.trim() ? listing.total : 0) : total;
  const canMore = searching ? !!listing && listing.items.length < listing.total : jobs.length < total;
  const more = () => {
    if (searching) void fetchPage(q.trim(), (listing?.page ?? 0) + 1, listing?.items ?? []);
    // Pages by name; the view's jobs already shown are skipped.
    else void fetchPage('', (listing && !listing.q ? listing.page : 0) + 1, listing && !listing.q ? listing.items : [], jobs);
  };

  const controls =
    total > base.length || searching
      ? html`<div class="more-jobs" data-testid="more-jobs">
        <input type="search" class="grow" aria-label="Find a job" placeholder="Find a job by name, channel or tab" value=${q}
          onInput=${(e: Event) => setQ((e.currentTarget as HTMLInputElement).value)} />
        <div class="spread small muted" role="status">
          <span>${
            searching
              ? listing?.q === q.trim()
                ? `${fmtInt(known)} job(s) match`
                : 'Searching…'
              : `Showing ${fmtInt(jobs.length)} of ${fmtInt(total)} jobs`
          }</span>
          ${canMore ? html`<button class="link small" disabled=${loading} onClick=${more}>${loading ? 'Loading…' : 'Show more jobs'}</button>` : null}
        </div>
        ${failure ? html`<div class="banner error" role="alert">${failure}</div>` : null}
      </div>`
      : null;
  return { jobs, total, controls };
}

function mergeById(first: JobDto[], then: JobDto[]): JobDto[] {
  const seen = new Set(first.map((j) => j.id));
  return [...first, ...then.filter((j) => !seen.has(j.id))];
}
