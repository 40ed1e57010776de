import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ValidationError } from '../../errors/messaging.errors.js';

/**
 * Refuses a query string with any key outside `allowed`, before the
 * validation pipe runs. The pipe already refuses unknown keys, except the
 * ones class-transformer drops silently to avoid prototype pollution
 * (`__proto__`, `constructor`): without this they would be ignored instead
 * of refused like every other unknown key.
 */
export class KnownQueryKeysInterceptor implements NestInterceptor {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    this.allowed = new Set(allowed);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const query = context.switchToHttp().getRequest<{ query?: unknown }>().query;
    const keys = typeof query === 'object' && query !== null ? Object.keys(query) : [];
    const unknown = keys.filter((key) => !this.allowed.has(key));
    if (unknown.length > 0) {
      const fields = unknown.map((field) => ({ field, errors: [`property ${field} should not exist`] }));
      throw ValidationError.listing('Invalid request', fields);
    }
    return next.handle();
  }
}
