import { JwtService } from '@nestjs/jwt';

/**
 * The README's token example: a bearer token for the module's routes, minted
 * with @nestjs/jwt and the secret given as `auth.jwtSecret`. HS256, a `sub`
 * (stored as `requestedBy`) and an expiry are required.
 * `node dist/mint-token.js <subject>` prints one.
 */
const jwt = new JwtService({ secret: process.env.JWT_SECRET });
const token = await jwt.signAsync({ sub: process.argv[2] ?? 'host-app' }, { algorithm: 'HS256', expiresIn: '15m' });
process.stdout.write(`${token}\n`);
