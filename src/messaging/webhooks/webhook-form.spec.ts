import { asWebhookForm, limitedBody, MAX_WEBHOOK_BODY_BYTES, parseWebhookForm, webhookBodyHeadersProblem } from './webhook-form.js';

describe('webhook form bodies', () => {
  it('parses a form as sent, repeated keys as lists', () => {
    const form = parseWebhookForm('MessageSid=SM1&MessageStatus=delivered&Body=a+b%26c&MediaUrl0=x&MediaUrl0=y');
    expect({ ...form }).toEqual({ MessageSid: 'SM1', MessageStatus: 'delivered', Body: 'a b&c', MediaUrl0: ['x', 'y'] });
  });

  it('reads a host parser result of strings, and refuses anything else', () => {
    expect({ ...asWebhookForm({ A: '1', B: ['2', '3'] }) }).toEqual({ A: '1', B: ['2', '3'] });
    expect(asWebhookForm({ A: 1 })).toBeUndefined();
    expect(asWebhookForm([1])).toBeUndefined();
    expect(asWebhookForm(undefined)).toBeUndefined();
  });

  it('refuses JSON (415) and a declared length over 64 KB (413)', () => {
    expect(webhookBodyHeadersProblem({ 'content-type': 'application/json' })?.status).toBe(415);
    expect(webhookBodyHeadersProblem({ 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' })?.status).toBe(415);
    const tooLong = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(MAX_WEBHOOK_BODY_BYTES + 1) };
    expect(webhookBodyHeadersProblem(tooLong)?.status).toBe(413);
    expect(webhookBodyHeadersProblem({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': '10' })).toBeUndefined();
  });

  it('fails a streamed body once it passes the limit', async () => {
    const stream = limitedBody(10);
    const failed = new Promise<unknown>((resolve) => stream.on('error', resolve));
    stream.resume();
    stream.write(Buffer.alloc(6));
    stream.write(Buffer.alloc(6));
    expect(await failed).toMatchObject({ statusCode: 413 });
  });
});
