import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, describe } from '../api';
import { href } from '../router';
import type { Attempt, LogRow, ReceiptEvent } from '../types';
import { ErrorNote, Page, Recipients, Status, Time, useLoad } from '../ui';

const CANCELLABLE = new Set(['queued', 'scheduled']);
/** Shown in their own sections below the field list. */
const OWN_SECTIONS = new Set(['attempts', 'events']);

export function Message({ id }: { id: string }) {
  const row = useLoad(() => api<LogRow>(`/logs/${encodeURIComponent(id)}`), id);
  return (
    <Page title="Message">
      <p>
        <a href={href('activity')}>Back to activity</a>
      </p>
      <ErrorNote error={row.error} />
      {row.data && <MessageDetails row={row.data} reload={row.reload} />}
    </Page>
  );
}

function MessageDetails({ row, reload }: { row: LogRow; reload: () => void }) {
  // Here rather than in Cancel, which is gone once the reloaded row is no longer cancellable.
  const [note, setNote] = useState('');
  return (
    <>
      <section aria-labelledby="fields">
        <h2 id="fields">
          {row.channel} to <Recipients value={row.to} />: <Status value={row.status} />
        </h2>
        {CANCELLABLE.has(row.status) && <Cancel id={row._id} done={reload} note={setNote} />}
        <p role="status">{note}</p>
        <dl class="fields">
          {Object.entries(row)
            .filter(([name]) => !OWN_SECTIONS.has(name))
            .map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{name === 'status' ? <Status value={String(value)} /> : <Value value={value} />}</dd>
              </Fragment>
            ))}
        </dl>
      </section>
      <Attempts attempts={row.attempts ?? []} />
      <Timeline events={row.events ?? []} />
    </>
  );
}

/** Any field value as text: dates as dates, lists and objects spelled out. Text nodes only, never markup. */
function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span>–</span>;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return <Time value={value} />;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'string') return <span>{String(value)}</span>;
  if (typeof value !== 'object') return <span>–</span>; // a function or a symbol cannot come from JSON
  const parts: ReadonlyArray<readonly [string, unknown]> = Array.isArray(value)
    ? value.map((item: unknown, index) => [String(index), item] as const)
    : Object.entries(value);
  return (
    <span>
      {parts.map(([name, item], index) => (
        <Fragment key={name}>
          {index > 0 ? (Array.isArray(value) ? ', ' : '; ') : ''}
          {Array.isArray(value) ? '' : `${name}: `}
          <Value value={item} />
        </Fragment>
      ))}
    </span>
  );
}

function Cancel({ id, done, note }: { id: string; done: () => void; note: (text: string) => void }) {
  const [busy, setBusy] = useState(false);
  const cancel = async () => {
    setBusy(true);
    note('');
    try {
      await api(`/messages/${encodeURIComponent(id)}`, { method: 'DELETE' });
      note('Cancelled.');
      done();
    } catch (error) {
      note(describe(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" class="danger" disabled={busy} onClick={() => void cancel()}>
        Cancel this message
      </button>
    </p>
  );
}

function Attempts({ attempts }: { attempts: Attempt[] }) {
  return (
    <section aria-labelledby="attempts">
      <h2 id="attempts">Attempts</h2>
      {attempts.length === 0 ? (
        <p>No provider attempt recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Provider</th>
              <th scope="col">Outcome</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((attempt) => (
              <tr>
                <td><Time value={attempt.at} /></td>
                <td>{attempt.provider}</td>
                <td><Status value={attempt.outcome} /></td>
                <td>{attempt.error ? `${attempt.error.code}: ${attempt.error.message}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Timeline({ events }: { events: ReceiptEvent[] }) {
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">Delivery timeline</h2>
      {events.length === 0 ? (
        <p>No delivery receipt yet.</p>
      ) : (
        <ol class="timeline">
          {events.map((event) => (
            <li>
              <Time value={event.at} /> <Status value={event.status} />
              {typeof event.providerStatus === 'string' && <span> (provider: {event.providerStatus})</span>}
              {typeof event.errorCode === 'string' && <span> error {event.errorCode}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
