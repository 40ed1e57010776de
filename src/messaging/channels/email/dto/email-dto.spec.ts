import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../../errors/validation.pipe.js';
import { SendEmailDto } from './send-email.dto.js';
import { PreviewTemplateDto } from './template-email.dto.js';

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
