import { withRetries } from './retry.js';

class Transient extends Error {}

describe('withRetries', () => {
  const policy = { attempts: 3, backoffMs: 1 };

  it('returns the first success', async () => {
    let calls = 0;
    const result = await withRetries(async () => (++calls < 2 ? Promise.reject(new Transient()) : 'ok'), (e) => e instanceof Transient, policy);
    expect(result).toBe('ok');
    expect(calls).toBe(2);
  });

  it('stops after the allowed attempts and rethrows the last error', async () => {
    let calls = 0;
    const failing = () => Promise.reject(new Transient(`attempt ${++calls}`));
    await expect(withRetries(failing, (e) => e instanceof Transient, policy)).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  it('never retries an error the predicate refuses', async () => {
    let calls = 0;
    const failing = () => Promise.reject(new Error(`permanent ${++calls}`));
    await expect(withRetries(failing, (e) => e instanceof Transient, policy)).rejects.toThrow('permanent 1');
    expect(calls).toBe(1);
  });
});
