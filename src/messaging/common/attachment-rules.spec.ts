import { randomBytes } from 'node:crypto';
import {
  blockedExtension,
  cleanFilename,
  decodedBase64Length,
  isStrictBase64,
  MAX_ATTACHMENT_BASE64_LENGTH,
  MAX_ATTACHMENT_BYTES,
  STRICT_BASE64_PATTERN,
} from './attachment-rules.js';

describe('isStrictBase64', () => {
  it('accepts what Buffer encodes, at every padding length', () => {
    for (const length of [1, 2, 3, 4, 5, 100]) {
      const encoded = randomBytes(length).toString('base64');
      expect([encoded, isStrictBase64(encoded), new RegExp(STRICT_BASE64_PATTERN).test(encoded)]).toEqual([encoded, true, true]);
    }
  });

  it.each(['YWJjZA', 'YWJj\nZGVm', 'YWJj ZGVm', 'ab-_', 'YQ==YQ==', 'YR==', 'YWJ=', 'Y===', '===='])('refuses %j, as the OpenAPI pattern does', (value) => {
    expect([isStrictBase64(value), new RegExp(STRICT_BASE64_PATTERN).test(value)]).toEqual([false, false]);
  });

  it('checks a 10 MiB string without running out of stack (the one-regex grammar would)', () => {
    const big = 'A'.repeat(MAX_ATTACHMENT_BASE64_LENGTH);
    expect(isStrictBase64(big)).toBe(true);
    expect(() => new RegExp(STRICT_BASE64_PATTERN).test(big)).toThrow(RangeError);
  });
});

describe('decodedBase64Length', () => {
  it('counts the bytes without decoding', () => {
    for (const length of [1, 2, 3, 4, 1000]) expect(decodedBase64Length(Buffer.alloc(length).toString('base64'))).toBe(length);
    expect(decodedBase64Length('A'.repeat(MAX_ATTACHMENT_BASE64_LENGTH))).toBeGreaterThanOrEqual(MAX_ATTACHMENT_BYTES);
  });
});

describe('cleanFilename', () => {
  it.each([
    ['invoice-42.pdf', 'invoice-42.pdf'],
    ['Réservation 2026 (copie).pdf', 'Réservation 2026 (copie).pdf'],
    ['../../etc/passwd', 'etcpasswd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['a\r\nBcc: x@example.com', 'aBcc: x@example.com'],
    ['nul\u0000.txt', 'nul.txt'],
    ['tab\there\u0085.txt', 'tabhere.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['zero\u200Bwidth\u2066.txt', 'zerowidth.txt'],
    ['line\u2028sep.txt', 'linesep.txt'],
    ['lone\uD800.txt', 'lone.txt'],
    ['  .hidden  ', 'hidden'],
    ['evil.exe. . ', 'evil.exe'],
    ['../', ''],
  ])('%j → %j', (raw, clean) => {
    expect(cleanFilename(raw)).toBe(clean);
  });
});

describe('blockedExtension', () => {
  const blocked = new Set(['exe', 'js']);
  it.each([
    ['setup.exe', 'exe'],
    ['SETUP.EXE', 'exe'],
    ['invoice.pdf.exe', 'exe'],
    ['app.Js', 'js'],
    ['invoice.pdf', undefined],
    ['exe', undefined],
    ['report.exe.pdf', undefined],
  ])('%j → %j', (name, extension) => {
    expect(blockedExtension(name, blocked)).toBe(extension);
  });
});
