import { Types } from 'mongoose';
import { toLogView, type StoredLogRow } from './log-view.js';

const id = new Types.ObjectId('65a1b2c3d4e5f6a7b8c9d0e1');
const createdAt = new Date('2025-01-15T10:30:00Z');
const updatedAt = new Date('2025-01-15T10:30:01.250Z');

describe('toLogView', () => {
  it('answers the documented shape: hex _id, ISO-8601 UTC dates, documented key order', () => {
    const row: StoredLogRow = {
      _id: id,
      channel: 'email',
      to: 'user@example.com',
      subject: 'Hello',
      template: 'welcome',
      status: 'sent',
      messageId: 'abc123',
      provider: 'smtp',
      createdAt,
      updatedAt,
    };
    const view = toLogView(row);
    expect(view).toEqual({
      _id: '65a1b2c3d4e5f6a7b8c9d0e1',
      channel: 'email',
      to: 'user@example.com',
      subject: 'Hello',
      template: 'welcome',
      status: 'sent',
      messageId: 'abc123',
      provider: 'smtp',
      createdAt: '2025-01-15T10:30:00.000Z',
      updatedAt: '2025-01-15T10:30:01.250Z',
    });
    expect(Object.keys(view)).toEqual([
      '_id', 'channel', 'to', 'subject', 'template', 'status', 'messageId', 'provider', 'createdAt', 'updatedAt',
    ]);
  });

  it('shows when a scheduled row is to go out', () => {
    const sendAt = new Date('2025-01-16T08:00:00+01:00');
    const row: StoredLogRow = { _id: id, channel: 'sms', to: '+15550001111', status: 'scheduled', provider: 'twilio', sendAt, createdAt, updatedAt };
    const view = toLogView(row);
    expect(view).toMatchObject({ status: 'scheduled', sendAt: '2025-01-16T07:00:00.000Z' });
    expect(Object.keys(view)).toEqual(['_id', 'channel', 'to', 'status', 'provider', 'sendAt', 'createdAt', 'updatedAt']);
  });

  it('omits absent optional fields and shows the error of a failed row', () => {
    const row = {
      _id: id,
      channel: 'sms',
      to: ['+15550001111', '+15550002222'],
      subject: null,
      template: undefined,
      status: 'failed',
      provider: 'twilio',
      error: { code: 'SEND_FAILED', message: 'Unreachable number', providerCode: '21211' },
      createdAt,
      updatedAt,
    } as unknown as StoredLogRow;
    expect(toLogView(row)).toEqual({
      _id: '65a1b2c3d4e5f6a7b8c9d0e1',
      channel: 'sms',
      to: ['+15550001111', '+15550002222'],
      status: 'failed',
      provider: 'twilio',
      error: { code: 'SEND_FAILED', message: 'Unreachable number', providerCode: '21211' },
      createdAt: '2025-01-15T10:30:00.000Z',
      updatedAt: '2025-01-15T10:30:01.250Z',
    });
  });

  it('never copies fields it does not know (cc, bcc, requestedBy, anything added later)', () => {
    const row = {
      _id: id,
      channel: 'email',
      to: 'a@example.com',
      cc: ['b@example.com'],
      bcc: ['c@example.com'],
      requestedBy: 'billing-service',
      body: 'secret code 1234',
      status: 'pending',
      provider: 'smtp',
      error: { code: 'X', message: 'y', stack: 'internal' },
      createdAt,
      updatedAt,
    } as unknown as StoredLogRow;
    const view = toLogView(row);
    expect(Object.keys(view)).toEqual(['_id', 'channel', 'to', 'status', 'provider', 'error', 'createdAt', 'updatedAt']);
    expect(view.error).toEqual({ code: 'X', message: 'y' });
  });

  it('falls back to createdAt when a row has no updatedAt', () => {
    const row = { _id: id, channel: 'email', to: 'a@example.com', status: 'pending', provider: 'smtp', createdAt } as StoredLogRow;
    expect(toLogView(row).updatedAt).toBe('2025-01-15T10:30:00.000Z');
  });
});
