import { useState } from 'preact/hooks';
import { api, describe } from '../api';
import { CHANNELS, type Suppression } from '../types';
import { ErrorNote, Page, Time, useLoad } from '../ui';

/** The reasons the API takes (consent.md). */
const REASONS = ['manual', 'opted_out', 'unsubscribed', 'provider_rejected'] as const;

interface SuppressionPage {
  suppressions: Suppression[];
  nextCursor: string | null;
}

export function Suppressions() {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const list = useLoad(() => api<SuppressionPage>('/suppressions', { query: { limit: '50', cursor } }), cursor ?? '');
  const [message, setMessage] = useState('');

  const remove = async (entry: Suppression) => {
    try {
      await api(`/suppressions/${entry.channel}/${encodeURIComponent(entry.address)}`, { method: 'DELETE', query: { scope: entry.scope } });
      setMessage(`Removed ${entry.address} (${entry.channel}, ${entry.scope}).`);
      list.reload();
    } catch (error) {
      setMessage(describe(error));
    }
  };

  return (
    <Page title="Suppressions">
      <AddSuppression
        added={(text) => {
          setMessage(text);
          list.reload();
        }}
      />
      <p role="status">{message}</p>
      <ErrorNote error={list.error} />
      {list.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Address</th>
              <th scope="col">Scope</th>
              <th scope="col">Reason</th>
              <th scope="col">Source</th>
              <th scope="col">Since</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.data.suppressions.map((entry) => (
              <tr key={`${entry.channel}:${entry.address}:${entry.scope}`}>
                <td>{entry.channel}</td>
                <td>{entry.address}</td>
                <td>{entry.scope}</td>
                <td>{entry.reason}</td>
                <td>{entry.source}</td>
                <td><Time value={entry.createdAt} /></td>
                <td>
                  {entry.allTenants ? (
                    <span class="hint">removed by the recipient's START</span>
                  ) : (
                    <button type="button" onClick={() => void remove(entry)} aria-label={`Remove ${entry.address} (${entry.channel}, ${entry.scope})`}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursor === undefined} onClick={() => setCursor(undefined)}>First page</button>
        <button type="button" disabled={!list.data?.nextCursor} onClick={() => setCursor(list.data?.nextCursor ?? undefined)}>
          Next page
        </button>
      </nav>
    </Page>
  );
}

function AddSuppression({ added }: { added: (message: string) => void }) {
  const [form, setForm] = useState({ channel: 'email', address: '', scope: 'all', reason: 'manual' });
  const [error, setError] = useState<unknown>(undefined);
  const set = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = { channel: form.channel, address: form.address.trim(), scope: form.scope, reason: form.reason };
      await api('/suppressions', { method: 'POST', body });
      setForm({ ...form, address: '' });
      added(`Suppressed ${body.address} (${body.channel}, ${body.scope}).`);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form class="inline" aria-label="Add a suppression" onSubmit={(event) => void submit(event)}>
      <label>
        Channel
        <select value={form.channel} onChange={set('channel')}>
          {CHANNELS.map((channel) => <option value={channel}>{channel}</option>)}
        </select>
      </label>
      <label>
        Address or number
        <input required value={form.address} onInput={set('address')} />
      </label>
      <label>
        Scope
        <select value={form.scope} onChange={set('scope')}>
          <option value="all">all</option>
          <option value="marketing">marketing</option>
        </select>
      </label>
      <label>
        Reason
        <select value={form.reason} onChange={set('reason')}>
          {REASONS.map((reason) => <option value={reason}>{reason.replace('_', ' ')}</option>)}
        </select>
      </label>
      <button type="submit">Add</button>
      <ErrorNote error={error} />
    </form>
  );
}
