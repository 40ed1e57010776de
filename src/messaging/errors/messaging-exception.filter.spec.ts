import { jest } from '@jest/globals';
import { BadRequestException, HttpException, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { MessagingExceptionFilter } from './messaging-exception.filter.js';
import { RateLimitedError, SendFailedError } from './messaging.errors.js';

interface Captured {
  status?: number;
  body?: unknown;
  headers: Record<string, string>;
}

function run(exception: unknown): Captured {
  const captured: Captured = { headers: {} };
  const reply = {
    status(code: number) {
      captured.status = code;
      return reply;
    },
    header(name: string, value: string) {
      captured.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      captured.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new MessagingExceptionFilter().catch(exception, host);
  return captured;
}

describe('MessagingExceptionFilter', () => {
  it('answers a typed error with its code, status and details', () => {
    const out = run(new SendFailedError('Failed to send email: connection refused', { channel: 'email', provider: 'smtp' }));
    expect(out.status).toBe(500);
    expect(out.body).toEqual({
      error: {
        code: 'SEND_FAILED',
        message: 'Failed to send email: connection refused',
        details: { channel: 'email', provider: 'smtp' },
      },
    });
  });

  it('sets Retry-After on RATE_LIMITED', () => {
    const out = run(new RateLimitedError(42));
    expect(out.status).toBe(429);
    expect(out.headers['Retry-After']).toBe('42');
  });

  it('maps framework errors by status', () => {
    expect(run(new NotFoundException()).body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(run(new HttpException('too big', 413)).body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const badJson = new BadRequestException('x', { cause: new SyntaxError('Unexpected token') });
    expect(run(badJson)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' } } });
  });

  it('hides unknown errors behind INTERNAL_ERROR with no internals', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const out = run(new Error('password=hunter2 at db.example:27017'));
    expect(out.status).toBe(500);
    expect(out.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal server error' } });
    expect(JSON.stringify(out.body)).not.toContain('hunter2');
  });
});
