import type { ValidationError as ClassValidatorError } from '@nestjs/common';
import { flattenValidationErrors } from './validation.pipe.js';

const error = (property: string, constraints?: Record<string, string>, children: ClassValidatorError[] = []) =>
  ({ property, constraints, children }) as ClassValidatorError;

describe('flattenValidationErrors', () => {
  it('names nested fields and array items by path', () => {
    const fields = flattenValidationErrors([
      error('to', { isEmail: 'to must be an email' }),
      error('cc', undefined, [error('1', { isEmail: 'each value in cc must be an email' })]),
      error('media', undefined, [error('url', { isUrl: 'url must be a URL' })]),
    ]);
    expect(fields).toEqual([
      { field: 'to', errors: ['to must be an email'] },
      { field: 'cc[1]', errors: ['each value in cc must be an email'] },
      { field: 'media.url', errors: ['url must be a URL'] },
    ]);
  });
});
