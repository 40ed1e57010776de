import { smsMessageParams, smsSenderOf } from './twilio-sms.provider.js';
import { whatsAppAddress, whatsAppMessageParams } from './twilio-whatsapp.provider.js';

const credentials = { accountSid: `AC${'0'.repeat(32)}`, authToken: 't' };
const SERVICE = `MG${'1'.repeat(32)}`;

describe('SMS sender and parameters', () => {
  it('is unconfigured without a From number or Messaging Service', () => {
    expect(smsSenderOf(credentials)).toBeUndefined();
    expect(smsSenderOf({ ...credentials, whatsappFrom: '+14155238886' })).toBeUndefined();
  });

  it('sends From when only a number is configured', () => {
    const sender = smsSenderOf({ ...credentials, smsFrom: '+15005550006' });
    expect(sender && smsMessageParams(sender, { to: '+1234567890', body: 'hi' })).toEqual({
      to: '+1234567890',
      body: 'hi',
      from: '+15005550006',
    });
  });

  it('prefers the Messaging Service, without From, when both are configured', () => {
    const sender = smsSenderOf({ ...credentials, smsFrom: '+15005550006', messagingServiceSid: SERVICE });
    expect(sender && smsMessageParams(sender, { to: '+1234567890', body: 'hi' })).toEqual({
      to: '+1234567890',
      body: 'hi',
      messagingServiceSid: SERVICE,
    });
  });
});

describe('WhatsApp parameters', () => {
  it('prefixes both addresses with whatsapp:', () => {
    expect(whatsAppAddress('+1234567890')).toBe('whatsapp:+1234567890');
    expect(whatsAppMessageParams('+14155238886', { to: '+1234567890', body: 'hi' })).toEqual({
      to: 'whatsapp:+1234567890',
      from: 'whatsapp:+14155238886',
      body: 'hi',
    });
  });

  it('sends the media URL as the one MediaUrl, and nothing of contentType or filename', () => {
    const media = { url: 'https://cdn.example.com/a.pdf', contentType: 'application/pdf', filename: 'a.pdf' };
    expect(whatsAppMessageParams('+14155238886', { to: '+1234567890', body: 'doc', media })).toEqual({
      to: 'whatsapp:+1234567890',
      from: 'whatsapp:+14155238886',
      body: 'doc',
      mediaUrl: ['https://cdn.example.com/a.pdf'],
    });
  });

  it('sends an approved template as ContentSid and ContentVariables (a JSON string), without Body', () => {
    const contentSid = `HX${'a'.repeat(32)}`;
    expect(whatsAppMessageParams('+14155238886', { to: '+1234567890', contentSid, contentVariables: { '1': 'Ann', '2': 'é"' } })).toEqual({
      to: 'whatsapp:+1234567890',
      from: 'whatsapp:+14155238886',
      contentSid,
      contentVariables: '{"1":"Ann","2":"é\\""}',
    });
    expect(whatsAppMessageParams('+14155238886', { to: '+1234567890', contentSid })).toEqual({
      to: 'whatsapp:+1234567890',
      from: 'whatsapp:+14155238886',
      contentSid,
    });
  });
});
