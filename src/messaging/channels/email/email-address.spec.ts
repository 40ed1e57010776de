import { addressProblem, countRecipients, isEmailAddress, recipientsProblem, toAddressList } from './email-address.js';

describe('email addresses', () => {
  it.each(['user@example.com', 'first.last+tag@sub.example.co.uk', "o'neil@example.org", 'x@xn--bcher-kva.example'])(
    'accepts %j',
    (address) => expect(isEmailAddress(address)).toBe(true),
  );

  it.each([
    'plain',
    '@example.com',
    'user@',
    'user@localhost',
    'user@@example.com',
    'a b@example.com',
    'Alice <a@example.com>',
    'a@example.com, b@example.com',
    'a@example.com\r\nBcc: b@example.com',
    '.a@example.com',
    'a..b@example.com',
    'a@-example.com',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
  ])('refuses %j', (address) => expect(isEmailAddress(address)).toBe(false));

  it('explains a line break before anything else', () => {
    expect(addressProblem('a@x.com\n', 'replyTo')).toBe('replyTo must not contain line breaks or control characters');
  });

  it('names the first bad entry of a list by index', () => {
    expect(recipientsProblem(['a@x.com', 'b@x.com', 7], 'cc')).toBe('cc[2] must be a string');
    expect(recipientsProblem([], 'to')).toBe('to must not be an empty list');
    expect(recipientsProblem({ a: 1 }, 'to')).toBe('to must be an email address or a list of email addresses');
    expect(recipientsProblem(['a@x.com'], 'to')).toBeUndefined();
  });

  it('counts and normalises recipient fields', () => {
    expect(countRecipients('a@x.com', ['b@x.com', 'c@x.com'], undefined)).toBe(3);
    expect(toAddressList('a@x.com')).toEqual(['a@x.com']);
    expect(toAddressList(undefined)).toBeUndefined();
  });
});
