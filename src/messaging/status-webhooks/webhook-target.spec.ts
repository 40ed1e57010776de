import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describeWebhookUrl, isWebhookSecret, isWebhookUrl } from './webhook-target.js';

const secretOf = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;

describe('webhook secret and URL rules', () => {
  it.each([24, 32, 64])('accepts whsec_ and %i bytes, a key standardwebhooks takes', (bytes) => {
    const secret = secretOf(bytes);
    expect(isWebhookSecret(secret)).toBe(true);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it.each([
    ['23 bytes', secretOf(23)],
    ['65 bytes', secretOf(65)],
    ['no prefix', randomBytes(32).toString('base64')],
    ['another prefix', `wh_${randomBytes(32).toString('base64')}`],
    ['not base64', 'whsec_not*base64*at*all*not*base64*at*all'],
    ['base64url', `whsec_${randomBytes(32).toString('base64url')}-_`],
    ['a space inside', `whsec_${randomBytes(32).toString('base64').replace(/^(.{8})/, '$1 ')}`],
    ['missing padding', secretOf(32).replace(/=+$/, '')],
  ])('refuses %s', (_label, secret) => {
    expect(isWebhookSecret(secret)).toBe(false);
  });

  it('takes absolute http(s) URLs only', () => {
    expect(isWebhookUrl('https://hooks.example.com/in')).toBe(true);
    expect(isWebhookUrl('http://127.0.0.1:8080')).toBe(true);
    for (const url of ['/relative', 'ftp://example.com/x', 'mailto:a@b.c', 'https://', 'not a url']) expect(isWebhookUrl(url)).toBe(false);
  });

  it('describes a receiver without credentials or query', () => {
    expect(describeWebhookUrl('https://user:s3cret@hooks.example.com:8443/in/x?token=abc#f')).toBe('https://hooks.example.com:8443/in/x');
  });
});
