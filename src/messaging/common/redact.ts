/**
 * Removes credentials from text headed for the server log: user:password in
 * URLs (MongoDB, SMTP, Redis connection strings) and bearer/basic tokens.
 * Errors from drivers sometimes echo the connection string they failed on.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, '$1***:***@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}
