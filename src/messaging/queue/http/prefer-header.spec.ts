import { preferenceNames, prefersRespondAsync } from './prefer-header.js';

describe('Prefer header (RFC 7240)', () => {
  it.each([
    'respond-async',
    'Respond-Async',
    'RESPOND-ASYNC',
    'respond-async, wait=10',
    'wait=10, respond-async',
    'handling=lenient,respond-async',
    '  respond-async  ',
    'respond-async; foo=bar',
    'return=minimal; x="a,b", respond-async',
  ])('finds respond-async in %j', (header) => {
    expect(prefersRespondAsync(header)).toBe(true);
  });

  it('reads several Prefer headers as one list', () => {
    expect(prefersRespondAsync(['wait=5', 'respond-async'])).toBe(true);
  });

  it.each([undefined, '', 'wait=10', 'respond-asynchronously', 'x-respond-async', 'foo="respond-async"', 'x="a, respond-async"', ', ,'])(
    'does not find it in %j',
    (header) => {
      expect(prefersRespondAsync(header)).toBe(false);
    },
  );

  it('lists the names, lower-cased, ignoring values and parameters', () => {
    expect([...preferenceNames('Return=minimal; a=b, WAIT=10, respond-async')]).toEqual(['return', 'wait', 'respond-async']);
  });
});
