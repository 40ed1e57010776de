import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('removes credentials from connection strings', () => {
    const text = 'connect failed: mongodb://admin:s3cr3t@db.internal:27017/app and smtp://u:p@mail:587';
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain('s3cr3t');
    expect(redacted).not.toContain('u:p@');
    expect(redacted).toContain('mongodb://***:***@db.internal:27017/app');
  });

  it('removes bearer and basic tokens', () => {
    expect(redactSecrets('Authorization: Bearer eyJhbGciOi.abc.def')).toBe('Authorization: Bearer ***');
    expect(redactSecrets('Basic QUM6dG9rZW4=')).toBe('Basic ***');
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('Failed to send email: connection refused')).toBe('Failed to send email: connection refused');
  });
});
