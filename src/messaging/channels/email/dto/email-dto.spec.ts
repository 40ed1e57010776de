import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../../errors/validation.pipe.js';
import { SendEmailDto } from './send-email.dto.js';
import { PreviewTemplateDto } from './template-email.dto.js';
import { MAX_CONVERTED_TAGS } from '../../../templates/plain-text.js';

async function problems<T extends object>(type: new () => T, body: object) {
  const errors = await validate(plainToInstance(type, body), { whitelist: true, forbidNonWhitelisted: true });
  return flattenValidationErrors(errors);
}

describe('SendEmailDto', () => {
  const valid = { to: 'a@example.com', subject: 'S', body: '<p>B</p>' };

  it('accepts the seed example', async () => {
    expect(await problems(SendEmailDto, valid)).toEqual([]);
  });

  it('names each bad field once with a precise message', async () => {
    const fields = await problems(SendEmailDto, { ...valid, to: ['a@example.com', 'nope'], subject: 'A\nB', bcc: [] });
    expect(fields).toEqual([
      { field: 'to', errors: ['to[1] must be a single email address like user@example.com'] },
      { field: 'subject', errors: ['subject must not contain line breaks or control characters'] },
      { field: 'bcc', errors: ['bcc must not be an empty list'] },
    ]);
  });
});

describe('PreviewTemplateDto', () => {
  it.each(['../x', 'a/b', 'a.b', '%2e%2e', ''])('refuses the template name %j', async (template) => {
    const fields = await problems(PreviewTemplateDto, { template, data: {} });
    expect(fields.map((f) => f.field)).toEqual(['template']);
  });

  it('refuses data that is not an object', async () => {
    const fields = await problems(PreviewTemplateDto, { template: 'welcome', data: ['x'] });
    expect(fields.map((f) => f.field)).toEqual(['data']);
  });
});

describe.each<[string, new () => object, object]>([
  ['SendEmailDto', SendEmailDto, { to: 'a@example.com', body: '<p>B</p>' }],
  ['PreviewTemplateDto', PreviewTemplateDto, { template: 'welcome' }],
])('%s subject', (_name, type, rest) => {
  const subjectProblems = async (subject: string) =>
    (await problems(type, { ...rest, subject })).flatMap((f) => (f.field === 'subject' ? f.errors : []));

  it.each([
    ['TAB', 'a\tb'],
    ['NEL (U+0085)', 'a\u0085b'],
    ['another C1 control', 'a\u009Bb'],
    ['DEL', 'a\u007Fb'],
    ['U+2028', 'a\u2028b'],
  ])('refuses a subject holding %s', async (_case, subject) => {
    expect(await subjectProblems(subject)).toEqual(['subject must not contain line breaks or control characters']);
  });

  it.each([' ', '   ', '\u00A0\u3000', '\u200B'])('refuses the blank subject %j like ""', async (subject) => {
    expect(await subjectProblems(subject)).toEqual(['subject must not be blank']);
  });

  it('counts the 998-character limit in UTF-16 code units', async () => {
    expect(await subjectProblems('\u{1F600}'.repeat(499))).toEqual([]);
    expect(await subjectProblems('\u{1F600}'.repeat(500))).toEqual(['subject must be at most 998 characters (UTF-16 code units; an emoji counts 2)']);
    expect(await subjectProblems('\u2764\uFE0F'.repeat(500))).toHaveLength(1);
  });

  it('accepts emoji, ZWJ sequences and accents', async () => {
    expect(await subjectProblems('Caf\u00E9 \u{1F468}\u200D\u{1F469}\u200D\u{1F467} ready')).toEqual([]);
  });
});

describe('SendEmailDto body: HTML the text part can be generated from', () => {
  const valid = { to: 'a@example.com', subject: 'S' };
  const bodyProblems = async (payload: object) =>
    (await problems(SendEmailDto, { ...valid, ...payload })).flatMap((f) => (f.field === 'body' ? f.errors : []));

  it(`refuses more than ${MAX_CONVERTED_TAGS} tags without text, naming the way out`, async () => {
    expect(await bodyProblems({ body: '<div>'.repeat(100_000) })).toEqual([
      `body has 100000 HTML tags; the text part is generated only from HTML of at most ${MAX_CONVERTED_TAGS} tags, so send your own plain-text alternative in "text"`,
    ]);
    expect(await bodyProblems({ body: '<ul><li>'.repeat(MAX_CONVERTED_TAGS / 2 + 1) })).toHaveLength(1);
  });

  it('accepts exactly the limit, and any size with text', async () => {
    expect(await bodyProblems({ body: '<p>'.repeat(MAX_CONVERTED_TAGS) })).toEqual([]);
    expect(await bodyProblems({ body: '<div>'.repeat(100_000), text: 'Plain version' })).toEqual([]);
  });
});
