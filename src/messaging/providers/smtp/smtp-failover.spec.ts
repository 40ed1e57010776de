import { smtpFailoverKind } from './smtp-failover.js';
import { toSmtpSendError } from './smtp-failure.js';

const nodemailerError = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);

describe('smtpFailoverKind', () => {
  it.each<[string, Record<string, unknown>, 'transient' | 'permanent']>([
    ['a 451 on RCPT', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451 }, 'transient'],
    ['a 452 after DATA', { code: 'EMESSAGE', command: 'DATA', responseCode: 452 }, 'transient'],
    ['a 421 closing the session', { code: 'ECONNECTION', command: 'CONN', responseCode: 421 }, 'transient'],
    ['a 550 on RCPT', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 }, 'permanent'],
    ['a 553 on MAIL FROM', { code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 553 }, 'permanent'],
    ['a 554 after DATA', { code: 'EMESSAGE', command: 'DATA', responseCode: 554 }, 'permanent'],
    ['a message refused before sending (too large)', { code: 'EMESSAGE', command: 'MAIL FROM' }, 'permanent'],
    ['a 554 greeting', { code: 'EPROTOCOL', command: 'CONN', responseCode: 554 }, 'transient'],
    ['a 535 login failure', { code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }, 'transient'],
    ['a refused connection', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, 'transient'],
    ['an unknown host', { code: 'EDNS' }, 'transient'],
    ['a TLS failure', { code: 'ETLS' }, 'transient'],
    ['a connect timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }, 'transient'],
    ['a greeting timeout', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, 'transient'],
    ['a STARTTLS timeout', { code: 'ETIMEDOUT', timeoutType: 'UPGRADE_TIMEOUT' }, 'transient'],
  ])('%s is %s whatever was handed over', (_case, fields, kind) => {
    for (const handedOver of [true, false, undefined]) {
      expect(smtpFailoverKind(nodemailerError(fields), handedOver)).toBe(kind);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['an idle-socket timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }],
    ['our attempt deadline', { code: 'EABORT' }],
    ['a lost connection', { code: 'ECONNECTION' }],
    ['a reset connection', { code: 'ESOCKET', originalCode: 'ECONNRESET' }],
    ['anything else', {}],
  ])('%s is ambiguous once the message was handed over (or when that is not known), transient before', (_case, fields) => {
    expect(smtpFailoverKind(nodemailerError(fields), true)).toBe('ambiguous');
    expect(smtpFailoverKind(nodemailerError(fields), undefined)).toBe('ambiguous');
    expect(smtpFailoverKind(nodemailerError(fields), false)).toBe('transient');
  });

  it('is carried by the SmtpSendError, named after its relay', () => {
    const error = toSmtpSendError(nodemailerError({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }), 'smtp-2', true);
    expect(error.failover).toBe('ambiguous');
    expect(error.transient).toBe(true);
    expect(error.details).toEqual({ channel: 'email', provider: 'smtp-2' });
    expect(toSmtpSendError(nodemailerError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 })).details).toEqual({
      channel: 'email',
      provider: 'smtp',
      providerCode: 550,
    });
  });
});
