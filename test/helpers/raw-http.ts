import { connect } from 'node:net';

/**
 * HTTP/1.1 over a bare TCP socket, for requests an HTTP client would refuse
 * to send or would normalise: `..` in a path, a 20 KB header, broken
 * chunking, a body that drips in one byte at a time.
 */

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  /** Header names lower-cased; the last value wins. */
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection before `giveUpMs`. */
  closedByServer: boolean;
  /** From connecting until the server closed the connection (or until giving up). */
  elapsedMs: number;
}

export interface RawRequestOptions {
  /** Pause between writing two parts (default 0: all at once). */
  gapMs?: number;
  /** Stop waiting for the server to close the connection after this long (default 10 s). */
  giveUpMs?: number;
}

/**
 * Writes `parts` to one connection to `baseUrl`, `gapMs` apart, and resolves
 * once the server closes the connection (send `Connection: close` to get one
 * answer and a close) or `giveUpMs` has passed.
 */
export function rawRequest(baseUrl: string, parts: Array<string | Buffer>, options: RawRequestOptions = {}): Promise<RawResponse> {
  const { port, hostname } = new URL(baseUrl);
  const gapMs = options.gapMs ?? 0;
  const giveUpMs = options.giveUpMs ?? 10_000;
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    let next = 0;
    let closedByServer = true;
    let drip: NodeJS.Timeout | undefined;
    const writeNext = () => {
      if (next >= parts.length || socket.destroyed) return;
      socket.write(parts[next]);
      next += 1;
      if (gapMs === 0) writeNext();
      else drip = setTimeout(writeNext, gapMs);
    };
    const giveUp = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, giveUpMs);
    socket.on('connect', writeNext);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // Writing after the server closed (EPIPE, ECONNRESET) is expected here: the close says it all.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearTimeout(drip);
      resolve({ ...parse(Buffer.concat(received).toString('utf8')), closedByServer, elapsedMs: Date.now() - started });
    });
  });
}

function parse(raw: string): Pick<RawResponse, 'status' | 'headers' | 'body'> {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: raw };
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers, body: raw.slice(end + 4) };
}

/** The bytes of a request: request line, headers (Host added), blank line, body. */
export function rawHttp(requestLine: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [requestLine, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
