import { ValidationError } from '../errors/messaging.errors.js';
import { readBatch } from './batch-request.js';
import { SendSmsDto } from './sms/dto/send-sms.dto.js';

const sms = (n: number) => ({ to: `+1415555${String(n).padStart(4, '0')}`, body: `message ${n}` });

describe('readBatch', () => {
  it.each([
    ['a list', [sms(1)]],
    ['null', null],
    ['no messages', {}],
    ['messages that is not a list', { messages: sms(1) }],
    ['no message', { messages: [] }],
    ['1,001 messages', { messages: Array.from({ length: 1001 }, (_, i) => sms(i)) }],
    ['another key', { messages: [sms(1)], dryRun: true }],
  ])('refuses %s as a whole: VALIDATION_ERROR', async (_case, body) => {
    await expect(readBatch(body, SendSmsDto)).rejects.toBeInstanceOf(ValidationError);
  });

  it('validates each message with the DTO on its own: the valid ones as instances, the others by index', async () => {
    const items = await readBatch({ messages: [sms(0), { to: '12', body: 'x' }, 'text', { ...sms(3), extra: 1 }, sms(4)] }, SendSmsDto);
    expect(items.map((item) => ('value' in item ? ['ok', item.index] : [item.error.code, item.index]))).toEqual([
      ['ok', 0],
      ['VALIDATION_ERROR', 1],
      ['VALIDATION_ERROR', 2],
      ['VALIDATION_ERROR', 3],
      ['ok', 4],
    ]);
    expect(items[0]).toEqual({ index: 0, value: expect.any(SendSmsDto) as SendSmsDto });
    expect(items[1]).toMatchObject({ error: { details: { fields: [{ field: 'to' }] } } });
    expect(items[3]).toMatchObject({ error: { details: { fields: [{ field: 'extra', errors: ['property extra should not exist'] }] } } });
  });

  it("holds each message to the single route's structural limits (input-shape.ts)", async () => {
    const crowded = { ...sms(1), ...Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])) };
    const [item] = await readBatch({ messages: [crowded] }, SendSmsDto);
    expect(item).toMatchObject({ index: 0, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('more than 1000 keys') as string } });
  });
});
