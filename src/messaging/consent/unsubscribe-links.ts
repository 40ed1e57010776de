import { Inject, Injectable } from '@nestjs/common';
import { publicUrlOf } from '../common/public-base-url.js';
import { MESSAGING_EXTRAS, MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleExtras, MessagingModuleOptions } from '../messaging-options.interface.js';
import { normaliseAddress } from './suppression-address.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';

/** The headers RFC 8058 asks of a bulk mail (RFC 2369's List-Unsubscribe with a one-click POST). */
export interface UnsubscribeHeaders {
  'List-Unsubscribe': string;
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
}

/** The two header fields of a marketing mail with link `url`. */
export function unsubscribeHeaders(url: string): UnsubscribeHeaders {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * One-click unsubscribe URLs, `<publicBaseUrl>/<routePrefix>/unsubscribe/<token>`: only with both
 * `publicBaseUrl` and `unsubscribeSecret` (otherwise marketing mail goes out without them, as before).
 */
@Injectable()
export class UnsubscribeLinks {
  private readonly base: string | undefined;
  private readonly secret: string | undefined;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions, @Inject(MESSAGING_EXTRAS) extras: MessagingModuleExtras) {
    this.secret = options.unsubscribeSecret;
    this.base = options.publicBaseUrl === undefined ? undefined : publicUrlOf(options.publicBaseUrl, `${extras.routePrefix ?? 'messaging'}/unsubscribe`);
  }

  /** The link that unsubscribes `address` from `tenant`'s marketing mail, or undefined when not configured. */
  urlFor(tenant: string, address: string): string | undefined {
    const normalised = normaliseAddress('email', address);
    if (this.base === undefined || this.secret === undefined || normalised === undefined) return undefined;
    return `${this.base}/${signUnsubscribeToken(this.secret, { tenant, address: normalised })}`;
  }

  /** The key tokens are checked with; undefined when links are off (every token is then refused). */
  get key(): string | undefined {
    return this.secret;
  }
}
