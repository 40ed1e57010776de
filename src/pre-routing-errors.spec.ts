import { ErrorCode } from './messaging/errors/error-codes.js';
import { MessagingError } from './messaging/errors/messaging.errors.js';
import { hasDotSegment, rawErrorResponse } from './pre-routing-errors.js';
import { securityHeaders } from './security-headers.js';

describe('hasDotSegment', () => {
  it.each(['/messaging/logs/..', '/messaging/./logs', '/messaging/docs/%2e%2E/logs', '/a/%2e', '/messaging/logs/..?cursor=x'])('finds one in %s', (url) => {
    expect(hasDotSegment(url)).toBe(true);
  });

  it.each(['/messaging/logs', '/messaging/docs/swagger-ui.css', '/messaging/logs/a..b', '/messaging/logs?cursor=../x', '/messaging/logs/...'])(
    'finds none in %s',
    (url) => {
      expect(hasDotSegment(url)).toBe(false);
    },
  );
});

describe('rawErrorResponse', () => {
  it('is a whole HTTP answer: status line, security headers, envelope, and a close', () => {
    const raw = rawErrorResponse(new MessagingError(ErrorCode.HEADERS_TOO_LARGE, 'Request line and headers are too large'));
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(JSON.parse(body)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: 'Request line and headers are too large' } });
    expect(lines).toContain(`content-length: ${Buffer.byteLength(body)}`);
    expect(lines).toContain('connection: close');
    expect(securityHeaders()['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    for (const [name, value] of Object.entries(securityHeaders())) expect(lines).toContain(`${name}: ${value}`);
  });
});
