import { acceptedRequestId, currentRequestId, runWithRequestId } from './request-id.js';

describe('acceptedRequestId', () => {
  it('keeps a valid client id, up to 128 characters of [A-Za-z0-9._-]', () => {
    expect(acceptedRequestId('abc-DEF_123.x')).toBe('abc-DEF_123.x');
    const longest = 'a'.repeat(128);
    expect(acceptedRequestId(longest)).toBe(longest);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['a space', 'abc def'],
    ['a newline (log injection)', 'abc\ninjected'],
    ['a slash', 'a/b'],
    ['empty', ''],
    ['repeated header', ['a', 'b']],
    ['absent', undefined],
  ])('replaces an id that is %s with a fresh UUID', (_case, header) => {
    const id = acceptedRequestId(header);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('runWithRequestId', () => {
  it('makes the id visible across awaits inside, and nowhere outside', async () => {
    expect(currentRequestId()).toBeUndefined();
    const seen = await runWithRequestId('req-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentRequestId();
    });
    expect(seen).toBe('req-1');
    expect(currentRequestId()).toBeUndefined();
  });
});
