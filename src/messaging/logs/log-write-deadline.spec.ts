import { DeadlineExceededError, withDeadline } from './log-write-deadline.js';

describe('withDeadline', () => {
  it('settles like the work when it is in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, 'x')).resolves.toBe(7);
    const failure = new Error('refused');
    await expect(withDeadline(Promise.reject(failure), 1_000, 'x')).rejects.toBe(failure);
  });

  it('rejects with DeadlineExceededError when the work never settles', async () => {
    const never = new Promise<number>(() => undefined);
    const error = await withDeadline(never, 20, 'pending row write').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe('pending row write did not finish within 20 ms');
  });

  it('leaves a late failure of the work handled (no unhandled rejection)', async () => {
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise<number>((_resolve, reject) => (fail = reject));
    await expect(withDeadline(late, 10, 'x')).rejects.toBeInstanceOf(DeadlineExceededError);
    fail(new Error('too late'));
    await new Promise((resolve) => setImmediate(resolve));
  });
});
