import { applyDecorators } from '@nestjs/common';
import { IsString, registerDecorator } from 'class-validator';
import { ApiPropertyOptional } from '../common/swagger.js';
import { IsOmittable } from '../errors/omittable.decorator.js';

/**
 * A locale as the template routes take it: a BCP 47 language tag of language
 * (2 or 3 letters), optional script (4 letters) and optional region (2 letters
 * or 3 digits): `fr`, `fr-CA`, `zh-Hant-TW`, `es-419`. Variants, extensions
 * and private use are refused, so the pattern alone bounds the length (12) and
 * allows no `.`, `/`, `\` or `%`: a locale can never name anything but a
 * variant folder, and it is checked before it is compared with any.
 */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?$/;
export const MAX_LOCALE_LENGTH = 12;

/** The canonical form of `value` (`FR-ca` → `fr-CA`), or undefined when it is not a locale we take. */
export function canonicalLocale(value: string): string | undefined {
  if (value.length > MAX_LOCALE_LENGTH || !LOCALE_PATTERN.test(value)) return undefined;
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

/** The variants to look for, most specific first: `fr-CA` → `fr-CA`, `fr`; `fr` → `fr`. */
export function localeCandidates(canonical: string): string[] {
  const language = canonical.split('-')[0] ?? canonical;
  return language === canonical ? [canonical] : [canonical, language];
}

/** `locale` of the template routes: see LOCALE_PATTERN. */
export function IsTemplateLocale(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      pattern: LOCALE_PATTERN.source,
      maxLength: MAX_LOCALE_LENGTH,
      example: 'fr-CA',
      description:
        'BCP 47 language tag (language, optional script and region). The variant templates/<name>/<locale>/ renders, else ' +
        'templates/<name>/<language>/, else the default; the answer\'s `locale` says which (null for the default)',
    }),
    IsOmittable(),
    IsString(),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isTemplateLocale',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: (value: unknown) => typeof value !== 'string' || canonicalLocale(value) !== undefined,
          defaultMessage: () => 'locale must be a language tag like "fr" or "fr-CA" (language, optional script and region)',
        },
      }),
  );
}
