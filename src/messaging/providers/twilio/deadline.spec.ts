import { withDeadline } from './deadline.js';
import { TwilioTimeoutError } from './twilio-errors.js';

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('passes the result through when the operation is in time', async () => {
    await expect(withDeadline(Promise.resolve('sid'), 1_000)).resolves.toBe('sid');
  });

  it('passes the error through when the operation fails in time', async () => {
    const error = new Error('rejected');
    await expect(withDeadline(Promise.reject(error), 1_000)).rejects.toBe(error);
  });

  it('rejects with TwilioTimeoutError when the operation never settles', async () => {
    const outcome = withDeadline(never(), 10);
    await expect(outcome).rejects.toBeInstanceOf(TwilioTimeoutError);
    await expect(outcome).rejects.toMatchObject({ timeoutMs: 10 });
  });

  it('rejects with the abort reason when the signal fires first', async () => {
    const controller = new AbortController();
    const outcome = withDeadline(never(), 60_000, controller.signal);
    controller.abort(new Error('health check timed out'));
    await expect(outcome).rejects.toThrow('health check timed out');
  });

  it('rejects at once when the signal is already aborted, leaving no unhandled rejection', async () => {
    const outcome = withDeadline(Promise.reject(new Error('late')), 60_000, AbortSignal.abort(new Error('gone')));
    await expect(outcome).rejects.toThrow('gone');
  });
});
