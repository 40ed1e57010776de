import {
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidatorError,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { inputShapeProblem } from './input-shape.js';
import { ValidationError, type FieldError } from './messaging.errors.js';

/**
 * Nest's ValidationPipe, after a structural check (input-shape.ts): a body too
 * deeply nested for class-transformer, or holding malformed Unicode, is a 400
 * before any transformation runs.
 */
class MessagingValidationPipe extends ValidationPipe {
  constructor(
    options: ValidationPipeOptions,
    /** The pipe of one MessagingBody/Query/Params parameter, whose value Nest marks `custom`. */
    private readonly validatesCustom: boolean,
  ) {
    super({ ...options, validateCustomDecorators: validatesCustom });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom' || this.validatesCustom) {
      const problem = inputShapeProblem(value);
      if (problem) throw new ValidationError(problem);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/**
 * The module's ValidationPipe: strips nothing silently (unknown fields are
 * rejected), transforms into DTO classes, and reports every bad field in the
 * VALIDATION_ERROR envelope. Bound on our controllers only; `forInput` makes
 * the pipe of one MessagingBody/Query/Params parameter
 * (messaging-input.decorator.ts), which a host's global ValidationPipe leaves alone.
 */
export function createMessagingValidationPipe(forInput = false): ValidationPipe {
  return new MessagingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return fields.length > 0 ? ValidationError.listing('Invalid request', fields) : new ValidationError('Invalid request: body');
    },
  }, forInput);
}

/** `[{property:'media', children:[{property:'url'}]}]` → `media.url`; array items → `cc[1]`. */
export function flattenValidationErrors(errors: ClassValidatorError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = joinPath(parent, error.property);
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) out.push({ field: path, errors: messages });
    if (error.children && error.children.length > 0) {
      out.push(...flattenValidationErrors(error.children, path));
    }
  }
  return out;
}

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}
