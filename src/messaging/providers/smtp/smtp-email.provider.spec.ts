import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SmtpEmailProvider } from './smtp-email.provider.js';

/** A TCP server that accepts connections and never says a word (no SMTP greeting). */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

describe('SmtpEmailProvider.verify', () => {
  it('gives up as soon as the signal aborts and closes its connection', async () => {
    const { server, port, sockets } = await silentServer();
    const provider = new SmtpEmailProvider({ host: '127.0.0.1', port, secure: false, from: 'a@b.test', timeoutMs: 60_000 }, 50);
    try {
      const controller = new AbortController();
      const verifying = provider.verify(controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sockets.size).toBe(1);
      controller.abort();
      await expect(verifying).rejects.toThrow('SMTP verification aborted');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sockets.size).toBe(0);
    } finally {
      provider.onModuleDestroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects at once when the signal is already aborted', async () => {
    const provider = new SmtpEmailProvider({ host: '127.0.0.1', port: 9, secure: false, from: 'a@b.test' }, 50);
    await expect(provider.verify(AbortSignal.abort())).rejects.toThrow('SMTP verification aborted');
    provider.onModuleDestroy();
  });
});
