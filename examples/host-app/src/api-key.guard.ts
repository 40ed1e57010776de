import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';

/**
 * The host's own authentication for MessagingModule's routes (`auth.guard`):
 * an `x-api-key` header. It sets `request.user.subject`, which the module
 * records as `requestedBy` and throttles by.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly key: Buffer;

  constructor(config: ConfigService) {
    this.key = Buffer.from(config.getOrThrow<string>('HOST_API_KEY'));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const given = request.headers['x-api-key'];
    if (typeof given !== 'string') return false;
    const candidate = Buffer.from(given);
    if (candidate.length !== this.key.length || !timingSafeEqual(candidate, this.key)) return false;
    request.user = { subject: 'host-api-key' };
    return true;
  }
}
