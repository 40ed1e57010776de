import { normalisePublicBaseUrl, publicBaseUrlProblem, publicUrlOf } from './public-base-url.js';

describe('publicBaseUrlProblem', () => {
  it.each(['https://api.example.com', 'https://example.com/comms', 'http://127.0.0.1:3000/', 'https://example.com/a/b/'])(
    'accepts %s',
    (value) => expect(publicBaseUrlProblem(value)).toBeUndefined(),
  );

  it.each([
    'api.example.com',
    '/comms',
    'ftp://example.com',
    'https://example.com/?a=1',
    'https://example.com/?',
    'https://example.com/#x',
    'https://user:pass@example.com',
    '',
    42,
  ])('refuses %p', (value) => expect(publicBaseUrlProblem(value)).toMatch(/must/));
});

describe('normalisePublicBaseUrl', () => {
  it.each([
    ['https://API.example.com/', 'https://api.example.com'],
    ['https://example.com:443/comms//', 'https://example.com/comms'],
    ['http://localhost:3000', 'http://localhost:3000'],
  ])('%s becomes %s', (value, expected) => expect(normalisePublicBaseUrl(value)).toBe(expected));
});

describe('publicUrlOf', () => {
  it('joins base and route path with one slash', () => {
    expect(publicUrlOf('https://example.com/comms', '/messaging/webhooks/twilio/status')).toBe(
      'https://example.com/comms/messaging/webhooks/twilio/status',
    );
  });
});
