import net from 'node:net';
import { PrivateRedis, sharedRedisUrl } from './helpers/private-redis.js';

function ping(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().trim()); });
    socket.once('error', reject);
  });
}

it('shared and private Redis answer PING; a stopped private Redis refuses', async () => {
  expect(await ping(sharedRedisUrl())).toBe('+PONG');
  const redis = await PrivateRedis.start();
  try {
    expect(await ping(redis.url)).toBe('+PONG');
    await redis.down();
    await expect(ping(redis.url)).rejects.toThrow(/ECONNREFUSED/);
    await redis.up();
    expect(await ping(redis.url)).toBe('+PONG');
  } finally {
    await redis.destroy();
  }
});
