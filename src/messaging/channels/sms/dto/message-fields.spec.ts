import { isE164, MAX_MESSAGE_BODY_LENGTH } from './message-fields.js';

describe('isE164', () => {
  it.each(['+1234567890', '+12', '+123456789012345', '+447700900123'])('accepts %s', (value) => {
    expect(isE164(value)).toBe(true);
  });

  it.each([
    ['no plus', '1234567890'],
    ['a leading zero', '+0123456789'],
    ['one digit', '+1'],
    ['16 digits', '+1234567890123456'],
    ['spaces', '+1 234 567 890'],
    ['dashes', '+1-234-567-890'],
    ['a channel prefix', 'whatsapp:+1234567890'],
    ['a trailing newline', '+1234567890\n'],
    ['only a plus', '+'],
    ['a number', 1234567890],
    ['nothing', undefined],
  ])('refuses %s', (_case, value) => {
    expect(isE164(value)).toBe(false);
  });
});

describe('MAX_MESSAGE_BODY_LENGTH', () => {
  it("is Twilio's 1600-character Body limit", () => {
    expect(MAX_MESSAGE_BODY_LENGTH).toBe(1600);
  });
});
