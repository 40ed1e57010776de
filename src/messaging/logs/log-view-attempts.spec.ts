import { Types } from 'mongoose';
import { toLogView, type StoredLogRow } from './log-view.js';

const base: StoredLogRow = {
  _id: new Types.ObjectId('65a1b2c3d4e5f6a7b8c9d0e1'),
  channel: 'sms',
  to: '+15550001111',
  status: 'sent',
  messageId: 'SM1',
  provider: 'twilio-2',
  createdAt: new Date('2025-01-15T10:30:00Z'),
  updatedAt: new Date('2025-01-15T10:30:02Z'),
};

describe('toLogView attempts', () => {
  it('shows every attempt in order, after error and before the dates, times as ISO-8601 UTC', () => {
    const view = toLogView({
      ...base,
      attempts: [
        {
          provider: 'twilio',
          at: new Date('2025-01-15T10:30:00.100Z'),
          outcome: 'failed',
          error: { code: 'SEND_FAILED', message: 'Failed to send sms: Service unavailable', providerCode: '20503' },
        },
        { provider: 'twilio-2', at: new Date('2025-01-15T10:30:01.500Z'), outcome: 'sent' },
      ],
    });
    expect(view.attempts).toEqual([
      {
        provider: 'twilio',
        at: '2025-01-15T10:30:00.100Z',
        outcome: 'failed',
        error: { code: 'SEND_FAILED', message: 'Failed to send sms: Service unavailable', providerCode: '20503' },
      },
      { provider: 'twilio-2', at: '2025-01-15T10:30:01.500Z', outcome: 'sent' },
    ]);
    expect(Object.keys(view)).toEqual(['_id', 'channel', 'to', 'status', 'messageId', 'provider', 'attempts', 'createdAt', 'updatedAt']);
  });

  it('omits attempts on rows without any (pending rows, rows written before failover existed)', () => {
    expect(toLogView({ ...base, status: 'pending' })).not.toHaveProperty('attempts');
    expect(toLogView({ ...base, attempts: [] })).not.toHaveProperty('attempts');
  });
});
