import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../../errors/validation.pipe.js';
import { SendWhatsAppDto } from '../../whatsapp/dto/send-whatsapp.dto.js';
import { SendSmsDto } from './send-sms.dto.js';

async function bodyProblems(type: new () => object, body: string): Promise<string[]> {
  const errors = await validate(plainToInstance(type, { to: '+14155550100', body }), { whitelist: true, forbidNonWhitelisted: true });
  return flattenValidationErrors(errors).flatMap((f) => (f.field === 'body' ? f.errors : []));
}

const EMOJI = '\u{1F600}'; // 2 UTF-16 code units
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // joined by ZWJ
const SCOTLAND = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'; // tag characters

describe.each([
  ['SendSmsDto', SendSmsDto],
  ['SendWhatsAppDto', SendWhatsAppDto],
])('%s body', (_name, type) => {
  describe('length, in UTF-16 code units as documented', () => {
    it.each([
      ['1,600 ASCII characters', 'a'.repeat(1600)],
      ['800 emoji (1,600 units)', EMOJI.repeat(800)],
      ['1,599 units and one emoji-with-VS16 short of the limit', 'a'.repeat(1598) + '\u2764'],
    ])('accepts %s', async (_case, body) => {
      expect(await bodyProblems(type, body)).toEqual([]);
    });

    it.each([
      ['1,601 ASCII characters', 'a'.repeat(1601)],
      ['801 emoji (1,602 units)', EMOJI.repeat(801)],
      ['1,600 emoji (3,200 units)', EMOJI.repeat(1600)],
      ['1,600 characters each with VS16 (3,200 units)', '\u2764\uFE0F'.repeat(1600)],
    ])('refuses %s', async (_case, body) => {
      expect(await bodyProblems(type, body)).toEqual(['body must be at most 1600 characters (UTF-16 code units; an emoji counts 2)']);
    });
  });

  describe('characters', () => {
    it.each([
      ['LF and CR line breaks', 'line 1\nline 2\r\nline 3'],
      ['a tab', 'code:\t123'],
      ['an emoji ZWJ sequence', `family ${FAMILY}`],
      ['a subdivision flag (tag characters)', `go ${SCOTLAND}`],
      ['ZWNJ in Persian', 'می\u200Cخواهم'],
      ['LRM/RLM marks in mixed-direction text', 'שלום\u200E ABC\u200F'],
      ['an emoji with a variation selector', '\u2764\uFE0F'],
      ['an unassigned code point (a newer emoji)', 'new \u{1FAFF}'],
      ['private-use characters', 'logo \uE000'],
    ])('accepts %s', async (_case, body) => {
      expect(await bodyProblems(type, body)).toEqual([]);
    });

    it.each([
      ['NUL', 'a\u0000b', 'control'],
      ['BEL', 'a\u0007b', 'control'],
      ['vertical tab', 'a\u000Bb', 'control'],
      ['ESC', 'a\u001Bb', 'control'],
      ['DEL', 'a\u007Fb', 'control'],
      ['NEL (C1)', 'a\u0085b', 'control'],
      ['CSI (C1)', 'a\u009Bb', 'control'],
      ['U+2028 line separator', 'a\u2028b', 'U+2028'],
      ['U+2029 paragraph separator', 'a\u2029b', 'U+2028'],
      ['zero-width space', 'a\u200Bb', 'format'],
      ['word joiner', 'a\u2060b', 'format'],
      ['BOM / zero-width no-break space', '\uFEFFab', 'format'],
      ['soft hyphen', 'a\u00ADb', 'format'],
      ['right-to-left override', 'a\u202Egnp.exe', 'bidirectional'],
      ['left-to-right embedding', 'a\u202Ab', 'bidirectional'],
      ['first strong isolate', 'a\u2068b\u2069', 'bidirectional'],
      ['noncharacter U+FFFE', 'a\uFFFEb', 'noncharacter'],
      ['noncharacter U+FDD0', 'a\uFDD0b', 'noncharacter'],
      ['noncharacter U+10FFFF', 'a\u{10FFFF}b', 'noncharacter'],
      ['only a zero-width space', '\u200B', 'format'],
    ])('refuses %s', async (_case, body, kind) => {
      const problems = await bodyProblems(type, body);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(kind);
    });
  });
});
