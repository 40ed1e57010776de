import { useState } from 'preact/hooks';
import { api } from '../api';
import { href, navigate, type Route } from '../router';
import { CHANNELS, STATUSES, type LogPage, type LogRow } from '../types';
import { ErrorNote, Page, Recipients, Status, Time, useLoad, useVisibleInterval } from '../ui';

/** The filters kept in the URL, by their names in the logs API. */
const FILTERS = ['channel', 'status', 'to', 'since', 'until'] as const;
const REFRESH_MS = 5_000;
const PAGE_SIZE = '25';

/** `2025-01-15` from a date input is midnight UTC for the API; `until` is exclusive, so the day after. */
function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** app.tsx remounts this page when the filters change, which also starts paging over. */
export function Activity({ route }: { route: Route }) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, route.params.get(name) ?? ''])) as FilterValues;
  // Cursors of the pages before this one; paging is by cursor, so "previous" is the one we came from.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const key = `${route.params.toString()}|${cursor ?? ''}`;
  const page = useLoad(
    () =>
      api<LogPage>('/logs', {
        query: { ...filters, until: filters.until && dayAfter(filters.until), limit: PAGE_SIZE, cursor },
      }),
    key,
  );
  // New rows show on the first page by themselves; a later page stays put while it is read.
  useVisibleInterval(page.refresh, REFRESH_MS, cursor === undefined);

  return (
    <Page title="Activity">
      <Filters initial={filters} />
      <ErrorNote error={page.error} />
      {page.data && <LogTable page={page.data} />}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
        >
          Next page
        </button>
      </nav>
    </Page>
  );
}

type FilterValues = Record<(typeof FILTERS)[number], string>;

/** The filter form; its own state until applied, so the periodic refresh never resets what is being typed. */
function Filters({ initial }: { initial: FilterValues }) {
  const [draft, setDraft] = useState(initial);
  const field = (name: keyof FilterValues) => ({
    name,
    value: draft[name],
    onInput: (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value }),
  });
  const apply = (event: Event) => {
    event.preventDefault();
    navigate(href('activity', Object.fromEntries(FILTERS.map((name) => [name, draft[name].trim()]))));
  };
  return (
    <form class="filters" onSubmit={apply} aria-label="Filter messages">
      <label>
        Channel
        <select {...field('channel')}>
          <option value="">any</option>
          {CHANNELS.map((channel) => <option value={channel}>{channel}</option>)}
        </select>
      </label>
      <label>
        Status
        <select {...field('status')}>
          <option value="">any</option>
          {STATUSES.map((status) => <option value={status}>{status}</option>)}
        </select>
      </label>
      <label>
        Recipient
        <input type="search" placeholder="ada@example.com or +14155550100" {...field('to')} />
      </label>
      <label>
        From
        <input type="date" {...field('since')} />
      </label>
      <label>
        To
        <input type="date" {...field('until')} />
      </label>
      <button type="submit">Apply</button>
      <a href={href('activity')}>Clear</a>
    </form>
  );
}

function LogTable({ page }: { page: LogPage }) {
  return (
    <>
      <p aria-live="polite">{page.total} {page.total === 1 ? 'message' : 'messages'}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Channel</th>
            <th scope="col">To</th>
            <th scope="col">Subject or template</th>
            <th scope="col">Status</th>
            <th scope="col">Provider</th>
          </tr>
        </thead>
        <tbody>{page.logs.map((row) => <LogLine row={row} key={row._id} />)}</tbody>
      </table>
    </>
  );
}

function LogLine({ row }: { row: LogRow }) {
  return (
    <tr>
      <td>
        <a href={href(`messages/${row._id}`)}>
          <Time value={row.createdAt} />
        </a>
      </td>
      <td>{row.channel}</td>
      <td><Recipients value={row.to} /></td>
      <td>{row.subject ?? (row.template ? `template ${row.template}` : '–')}</td>
      <td><Status value={row.status} /></td>
      <td>{row.provider ?? '–'}</td>
    </tr>
  );
}
