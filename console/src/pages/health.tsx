import { api } from '../api';
import { href } from '../router';
import { CHANNELS, type HealthReport, type LogPage, type LogRow } from '../types';
import { ErrorNote, Page, Status, Time, useLoad, useVisibleInterval } from '../ui';

const REFRESH_MS = 10_000;

/**
 * The health report (503 while the database is down still has a body), and for each channel its last
 * failed message from the log: the health report says whether a provider answers now, the log why it
 * last refused.
 */
export function Health() {
  const report = useLoad(() => api<HealthReport>('/health', { accept: [503] }), 'health');
  const failures = useLoad(lastFailures, 'failures');
  useVisibleInterval(report.refresh, REFRESH_MS, true);
  const data = report.data;
  return (
    <Page title="Health">
      <ErrorNote error={report.error} />
      {data && (
        <>
          <p>
            Overall: <Status value={data.status} />
          </p>
          <table>
            <caption>Providers</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Provider</th>
                <th scope="col">Status</th>
                <th scope="col">Last failed message</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(data.providers).map(([channel, provider]) => (
                <tr key={channel}>
                  <th scope="row">{channel}</th>
                  <td>
                    {[provider.provider, ...(provider.failover ?? []).map((next) => `then ${next.provider} (${next.status.replace('_', ' ')})`)].join(', ')}
                  </td>
                  <td><Status value={provider.channelStatus ?? provider.status} /></td>
                  <td><LastFailure row={failures.data?.[channel]} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>Services</caption>
            <tbody>
              <Service name="Database" status={data.database.status} />
              <Service name="Queue" status={data.queue?.status} />
              <Service name="Redis" status={data.redis?.status} />
              <tr>
                <th scope="row">Webhooks</th>
                <td>{data.webhooks ? `${data.webhooks.urls} receiver(s)` : <Status value="not_configured" />}</td>
                <td>
                  {data.webhooks?.lastFailure ? (
                    <>
                      Last failure <Time value={data.webhooks.lastFailure.at} />: {data.webhooks.lastFailure.url}, {data.webhooks.lastFailure.reason}
                    </>
                  ) : (
                    'no failure'
                  )}
                </td>
              </tr>
              <tr>
                <th scope="row">Delivery receipts</th>
                <td>{data.receipts}</td>
                <td />
              </tr>
            </tbody>
          </table>
        </>
      )}
    </Page>
  );
}

function Service({ name, status }: { name: string; status?: string }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td><Status value={status ?? 'not_configured'} /></td>
      <td />
    </tr>
  );
}

function LastFailure({ row }: { row?: LogRow }) {
  if (!row) return <span>none</span>;
  return (
    <a href={href(`messages/${row._id}`)}>
      <Time value={row.createdAt} />
      {row.error ? `: ${row.error.code}: ${row.error.message}` : ''}
    </a>
  );
}

async function lastFailures(): Promise<Record<string, LogRow | undefined>> {
  const pages = await Promise.all(
    CHANNELS.map((channel) => api<LogPage>('/logs', { query: { channel, status: 'failed', limit: '1' } })),
  );
  return Object.fromEntries(CHANNELS.map((channel, index) => [channel, pages[index]?.logs[0]]));
}
