import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * An optional field that may be left out but not sent as `null`.
 * class-validator's `@IsOptional()` skips validation for `null` too, which
 * would accept `"subject": null` where the API documents a string; with this,
 * only a missing field skips the field's other validators.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
