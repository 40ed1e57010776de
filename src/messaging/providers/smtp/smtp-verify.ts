import type { SMTPConnectionAuth, SMTPConnectionOptions } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * Opens one connection to the server, reads the greeting, upgrades with
 * STARTTLS when offered, logs in when credentials are set and the server
 * offers AUTH, then quits. Unlike `transporter.verify()`, the abort signal
 * closes the socket at once, so a health check never leaves work behind.
 */
export function verifySmtpServer(
  options: SMTPConnectionOptions,
  auth: SMTPConnectionAuth | undefined,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<void>((resolve, reject) => {
    const connection = new SMTPConnection(options);
    let settled = false;
    const finish = (error?: Error | null) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        connection.close();
        reject(error);
      } else {
        connection.quit();
        resolve();
      }
    };
    const onAbort = () => finish(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    // `on`, not `once`: a late socket error after settling must find a listener, not crash the process.
    connection.on('error', (error: Error) => finish(error));
    connection.on('end', () => finish(new Error('SMTP connection closed before it was verified')));
    connection.connect((error) => {
      if (error) return finish(error);
      if (!auth || !connection.allowsAuth) return finish();
      connection.login(auth, (loginError) => finish(loginError));
    });
  });
}

function abortError(signal: AbortSignal): Error {
  return new Error('SMTP verification aborted', { cause: signal.reason });
}
