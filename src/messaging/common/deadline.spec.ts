import { DeadlineExceededError, withDeadline } from './deadline.js';

const never = () => new Promise<never>(() => undefined);

class CallerTimeout extends Error {}

describe('withDeadline', () => {
  it('passes the result through when the work is in time', async () => {
    await expect(withDeadline(Promise.resolve('sid'), 1_000, 'x')).resolves.toBe('sid');
  });

  it('passes the error through when the work fails in time', async () => {
    const error = new Error('rejected');
    await expect(withDeadline(Promise.reject(error), 1_000, 'x')).rejects.toBe(error);
  });

  it('rejects with DeadlineExceededError naming the work when it never settles', async () => {
    const error = await withDeadline(never(), 20, 'pending row write').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe('pending row write did not finish within 20 ms');
  });

  it("rejects with the caller's own error when given a factory", async () => {
    await expect(withDeadline(never(), 10, () => new CallerTimeout('no answer'))).rejects.toBeInstanceOf(CallerTimeout);
  });

  it('rejects with the abort reason when the signal fires first', async () => {
    const controller = new AbortController();
    const outcome = withDeadline(never(), 60_000, 'x', controller.signal);
    controller.abort(new Error('health check timed out'));
    await expect(outcome).rejects.toThrow('health check timed out');
  });

  it('rejects at once when the signal is already aborted, leaving no unhandled rejection', async () => {
    const outcome = withDeadline(Promise.reject(new Error('late')), 60_000, 'x', AbortSignal.abort(new Error('gone')));
    await expect(outcome).rejects.toThrow('gone');
  });

  it('leaves a late failure of the work handled (no unhandled rejection)', async () => {
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise<number>((_resolve, reject) => (fail = reject));
    await expect(withDeadline(late, 10, 'x')).rejects.toBeInstanceOf(DeadlineExceededError);
    fail(new Error('too late'));
    await new Promise((resolve) => setImmediate(resolve));
  });
});
