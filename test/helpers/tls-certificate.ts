import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A self-signed certificate for 127.0.0.1, with its key, in a folder of its own. */
export interface LoopbackCertificate {
  key: string;
  cert: string;
  /** The certificate's file: the app trusts it through NODE_EXTRA_CA_CERTS. */
  certPath: string;
  remove(): void;
}

/** Makes one with openssl (valid two days), for TLS test servers the app must trust. */
export function loopbackCertificate(label: string): LoopbackCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), `${label}-tls-`));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'ignore' });
  return {
    key: readFileSync(keyPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    certPath,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
