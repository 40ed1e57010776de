import type { ExecutionContext } from '@nestjs/common';
import twilio from 'twilio';
import { InvalidSignatureError } from '../errors/messaging.errors.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { TWILIO_WEBHOOK_REQUEST, TwilioSignatureGuard, type SignedRequest } from './twilio-signature.guard.js';

const PRIMARY = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'primary-token' };
const FAILOVER = { accountSid: `AC${'2'.repeat(32)}`, authToken: 'failover-token' };
const ROUTE = '/messaging/webhooks/twilio/status';
const URL = `https://example.com/comms${ROUTE}`;
const options: MessagingModuleOptions = {
  publicBaseUrl: 'https://example.com/comms/',
  twilio: { ...PRIMARY, smsFrom: '+15550000000' },
  twilioFailover: [FAILOVER],
};

function requestOf(body: Record<string, string>, signature?: string): SignedRequest {
  return {
    body,
    headers: { host: 'attacker.example', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
    routeOptions: { url: ROUTE },
    ip: '203.0.113.9',
  } as unknown as SignedRequest;
}

function contextOf(request: SignedRequest): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

function signed(body: Record<string, string>, token: string, url = URL): SignedRequest {
  return requestOf(body, twilio.getExpectedTwilioSignature(token, url, body));
}

describe('TwilioSignatureGuard', () => {
  const guard = new TwilioSignatureGuard(options);
  const body = { AccountSid: PRIMARY.accountSid, MessageSid: 'SM1', MessageStatus: 'delivered' };

  it('accepts a request signed for the public URL by the primary account, whatever Host says', () => {
    const request = signed(body, PRIMARY.authToken);
    expect(guard.canActivate(contextOf(request))).toBe(true);
    expect(request[TWILIO_WEBHOOK_REQUEST]).toMatchObject({ accountSid: PRIMARY.accountSid, url: URL, form: body });
  });

  it('accepts a failover account signing with its own token', () => {
    const failoverBody = { ...body, AccountSid: FAILOVER.accountSid };
    expect(guard.canActivate(contextOf(signed(failoverBody, FAILOVER.authToken)))).toBe(true);
  });

  it.each([
    ['no signature', requestOf(body)],
    ['a forged signature', requestOf(body, 'bm90IGEgc2lnbmF0dXJl')],
    ['a signature for another URL', signed(body, PRIMARY.authToken, `https://attacker.example${ROUTE}`)],
    ['another account token', signed(body, FAILOVER.authToken)],
    ['an unknown AccountSid', signed({ ...body, AccountSid: `AC${'3'.repeat(32)}` }, PRIMARY.authToken)],
    ['a changed parameter', { ...signed(body, PRIMARY.authToken), body: { ...body, MessageStatus: 'read' } }],
  ])('refuses %s with INVALID_SIGNATURE', (_name, request) => {
    expect(() => guard.canActivate(contextOf(request))).toThrow(InvalidSignatureError);
  });

  it('refuses everything while no public base URL is set', () => {
    const unset = new TwilioSignatureGuard({ ...options, publicBaseUrl: undefined });
    expect(() => unset.canActivate(contextOf(signed(body, PRIMARY.authToken)))).toThrow(InvalidSignatureError);
  });
});
