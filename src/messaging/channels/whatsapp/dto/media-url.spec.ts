import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../../errors/validation.pipe.js';
import { SendWhatsAppDto } from './send-whatsapp.dto.js';

async function urlProblems(url: string): Promise<string[]> {
  const dto = plainToInstance(SendWhatsAppDto, { to: '+14155550100', body: 'Invoice', media: { url } });
  const fields = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
  return fields.flatMap((f) => f.errors);
}

describe('WhatsApp media.url: only public hosts, no credentials', () => {
  it.each([
    'https://cdn.example.com/invoice-42.pdf',
    'http://cdn.example.com:8080/a.png',
    'https://93.184.216.34/a.png',
    'https://[2606:2800:220:1:248:1893:25c8:1946]/a.png',
    'https://xn--bcher-kva.example/a.png',
  ])('accepts %s', async (url) => {
    expect(await urlProblems(url)).toEqual([]);
  });

  it.each([
    ['loopback', 'http://127.0.0.1/a.png'],
    ['loopback elsewhere in 127/8', 'http://127.10.20.30/a.png'],
    ['loopback, short form', 'http://127.1/a.png'],
    ['loopback, hex form', 'http://0x7f.1/a.png'],
    ['loopback, decimal form', 'http://2130706433/a.png'],
    ['loopback, octal form', 'http://017700000001/a.png'],
    ['this host', 'http://0.0.0.0/a.png'],
    ['this host, short', 'http://0/a.png'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
    ['private 10/8', 'http://10.0.0.5/a.png'],
    ['private 172.16/12', 'http://172.31.255.1/a.png'],
    ['private 192.168/16', 'https://192.168.1.1/a.png'],
    ['shared address space 100.64/10', 'http://100.64.0.1/a.png'],
    ['multicast', 'http://224.0.0.1/a.png'],
    ['broadcast', 'http://255.255.255.255/a.png'],
    ['IPv6 loopback', 'http://[::1]/a.png'],
    ['IPv6 unspecified', 'http://[::]/a.png'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/a.png'],
    ['IPv4-mapped private', 'http://[::ffff:10.0.0.1]/a.png'],
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]/a.png'],
    ['NAT64 of loopback', 'http://[64:ff9b::127.0.0.1]/a.png'],
    ['unique local fc00::/7', 'http://[fd12:3456::1]/a.png'],
    ['unique local fc00::', 'http://[fc00::1]/a.png'],
    ['link-local fe80::/10', 'http://[fe80::1]/a.png'],
    ['link-local febf', 'http://[febf::1]/a.png'],
    ['localhost', 'http://localhost/a.png'],
    ['localhost with a trailing dot', 'http://localhost./a.png'],
    ['a .localhost name', 'http://cdn.localhost/a.png'],
    ['user and password', 'https://user:pass@cdn.example.com/a.png'],
    ['a user only', 'https://user@cdn.example.com/a.png'],
    ['an empty user', 'https://@cdn.example.com/a.png'],
    ['a user on a loopback literal', 'http://u:p@127.0.0.1/a.png'],
  ])('refuses %s (%s)', async (_case, url) => {
    const problems = await urlProblems(url);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith('media.url') || p.startsWith('url'))).toBe(true);
  });
});

describe('WhatsApp media lengths, in UTF-16 code units like every other length rule', () => {
  const fieldsOf = async (media: object) =>
    flattenValidationErrors(await validate(plainToInstance(SendWhatsAppDto, { to: '+14155550100', body: 'B', media }), { whitelist: true, forbidNonWhitelisted: true })).map(
      (f) => f.field,
    );

  it('refuses a 255-emoji file name (510 units) and takes 127 emoji (254 units)', async () => {
    expect(await fieldsOf({ url: 'https://cdn.example.com/a.png', filename: '\u{1F600}'.repeat(255) })).toEqual(['media.filename']);
    expect(await fieldsOf({ url: 'https://cdn.example.com/a.png', filename: '\u{1F600}'.repeat(127) })).toEqual([]);
  });

  it('refuses a URL over 2048 units even when it has fewer code points', async () => {
    const url = `https://cdn.example.com/${'\u{1F600}'.repeat(1020)}`;
    expect(await fieldsOf({ url })).toEqual(['media.url']);
  });
});
