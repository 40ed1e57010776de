import { redactSecrets } from './redact.js';

/**
 * One line about `error` for the server log: `Name: message`, or
 * `Name [CODE]: message` when it carries a string code (as Node prints its
 * own: nodemailer's EAUTH, a socket's ECONNREFUSED). Credentials are
 * redacted, since drivers echo the connection string they failed on.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return redactSecrets(String(error));
  const code: unknown = (error as Error & { code?: unknown }).code;
  const name = typeof code === 'string' && code !== '' ? `${error.name} [${code}]` : error.name;
  return redactSecrets(`${name}: ${error.message}`);
}

/** Just the message, redacted: for a reason kept on a job or a log row, where the class name is noise. */
export function errorMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}
