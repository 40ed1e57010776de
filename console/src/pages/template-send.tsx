import { useState } from 'preact/hooks';
import { api, describe } from '../api';
import { href } from '../router';
import type { TemplateInfo } from '../types';
import type { TemplateData } from './template';

interface Sent {
  messageId: string;
  status: string;
}

/** "Send a test": the template with the form's data, to an address or number the user picks. */
export function SendTest({ template, data, locale }: { template: TemplateInfo; data: TemplateData; locale: string }) {
  const channels = template.channels;
  const [channel, setChannel] = useState(channels[0] ?? 'email');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<{ busy: boolean; message?: string; logId?: string }>({ busy: false });

  const send = async (event: Event) => {
    event.preventDefault();
    setResult({ busy: true });
    try {
      const answer = await api<Sent>(`/${channel}/template`, {
        method: 'POST',
        body: { to: to.trim(), template: template.name, data, ...(locale ? { locale } : {}) },
      });
      const logId = await newestRowId(to.trim(), template.name);
      setResult({ busy: false, message: `Sent: ${answer.status}.`, logId });
    } catch (error) {
      setResult({ busy: false, message: describe(error) });
    }
  };

  return (
    <section aria-labelledby="send-test">
      <h2 id="send-test">Send a test</h2>
      <form class="inline" onSubmit={(event) => void send(event)}>
        {channels.length > 1 && (
          <label>
            Channel
            <select value={channel} onChange={(event) => setChannel(event.currentTarget.value)}>
              {channels.map((name) => <option value={name}>{name}</option>)}
            </select>
          </label>
        )}
        <label>
          {channel === 'email' ? 'Email address' : 'Phone number (E.164)'}
          <input
            name="to"
            {...(channel === 'email' ? { type: 'email' as const } : { type: 'tel' as const })}
            required
            value={to}
            placeholder={channel === 'email' ? 'you@example.com' : '+14155550100'}
            onInput={(event) => setTo(event.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={result.busy}>
          Send test
        </button>
      </form>
      <p role="status">
        {result.message}{' '}
        {result.logId && <a href={href(`messages/${result.logId}`)}>Open the message</a>}
      </p>
    </section>
  );
}

/** The send answer carries the provider's id; the log row's id is what the message page needs. */
async function newestRowId(to: string, template: string): Promise<string | undefined> {
  try {
    const page = await api<{ logs: Array<{ _id: string }> }>('/logs', { query: { to, template, limit: '1' } });
    return page.logs[0]?._id;
  } catch {
    return undefined;
  }
}
