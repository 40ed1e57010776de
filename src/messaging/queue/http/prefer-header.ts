/**
 * The `Prefer` request header (RFC 7240): a comma-separated list of
 * preferences, each `token [= word] *(; parameter)`, names compared without
 * regard to case. Several Prefer headers count as one list. Returns the
 * preference names, lower-cased; values and parameters are not needed here.
 */
export function preferenceNames(header: string | string[] | undefined): Set<string> {
  const names = new Set<string>();
  if (header === undefined) return names;
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const preference of splitOutsideQuotes(line, ',')) {
      const name = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:[=;]|$)/.exec(preference)?.[1];
      if (name) names.add(name.toLowerCase());
    }
  }
  return names;
}

/** True when the client prefers an asynchronous answer (`Prefer: respond-async`, among others or alone). */
export function prefersRespondAsync(header: string | string[] | undefined): boolean {
  return preferenceNames(header).has('respond-async');
}

/** Splits on `separator` except inside double-quoted strings (which may hold it, and `\"`). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\' && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
