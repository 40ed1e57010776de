import { applyDecorators } from '@nestjs/common';
import { IsIn } from 'class-validator';
import { MESSAGE_CATEGORIES } from '../common/consent-fields.js';
import { ApiPropertyOptional } from '../common/swagger.js';
import { IsOmittable } from '../errors/omittable.decorator.js';

/** `category` of every send route: which suppressions refuse the message (docs/consent.md). */
export function IsMessageCategory(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      enum: [...MESSAGE_CATEGORIES],
      default: 'transactional',
      description: 'transactional: refused only for recipients who opted out of everything; marketing: also for those who unsubscribed from marketing',
    }),
    IsOmittable(),
    IsIn(MESSAGE_CATEGORIES, { message: `$property must be one of: ${MESSAGE_CATEGORIES.join(', ')}` }),
  );
}
