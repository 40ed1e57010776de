/**
 * Template names are plain identifiers: a letter or digit, then letters,
 * digits, `-` or `_`, 64 characters at most. No `.`, `/`, `\`, `%` or
 * anything else a path could be made of.
 */
export const TEMPLATE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isTemplateName(value: string): boolean {
  return TEMPLATE_NAME_PATTERN.test(value);
}
