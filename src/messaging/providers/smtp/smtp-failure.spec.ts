import { SendFailedError } from '../../errors/messaging.errors.js';
import { isTransientSmtpError, toSmtpSendError } from './smtp-failure.js';

const nodemailerError = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);

describe('toSmtpSendError', () => {
  it.each<[string, Record<string, unknown>, string, boolean, number | undefined]>([
    ['connection refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'connection refused', true, undefined],
    ['a dropped connection', { code: 'ECONNECTION' }, 'the connection to the SMTP server was lost', true, undefined],
    ['a timeout', { code: 'ETIMEDOUT' }, 'the SMTP server did not answer in time', true, undefined],
    ['our attempt deadline', { code: 'EABORT' }, 'the SMTP server did not answer in time', true, undefined],
    ['a 550 on RCPT', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, rejected: ['a@x.test'] }, 'the SMTP server refused recipient a@x.test (550)', false, 550],
    ['a 451 on RCPT', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451, rejected: ['a@x.test'] }, 'the SMTP server refused recipient a@x.test (451)', true, 451],
    ['a 421 closing the session', { code: 'ECONNECTION', command: 'CONN', responseCode: 421 }, 'the SMTP server refused the message (421)', true, 421],
    ['a 554 after DATA', { code: 'EMESSAGE', command: 'DATA', responseCode: 554 }, 'the SMTP server refused the message (554)', false, 554],
    ['a 553 on MAIL FROM', { code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 553 }, 'the SMTP server refused the sender (553)', false, 553],
    ['a 535 login failure', { code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }, 'the SMTP server refused the login (535)', false, 535],
    ['a TLS failure', { code: 'ETLS' }, 'the TLS handshake with the SMTP server failed', false, undefined],
    ['an unknown host', { code: 'EDNS' }, 'the SMTP host name could not be resolved', false, undefined],
    ['anything else', {}, 'the SMTP server could not be used', false, undefined],
  ])('maps %s', (_case, fields, reason, transient, providerCode) => {
    const error = toSmtpSendError(nodemailerError(fields));
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error.message).toBe(`Failed to send email: ${reason}`);
    expect(error.details).toEqual({ channel: 'email', provider: 'smtp', ...(providerCode ? { providerCode } : {}) });
    expect(isTransientSmtpError(error)).toBe(transient);
  });

  it('treats no other error as transient', () => {
    expect(isTransientSmtpError(new Error('ECONNREFUSED'))).toBe(false);
  });
});
