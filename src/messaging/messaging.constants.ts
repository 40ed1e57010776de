/** Default route prefix of the module (MessagingModule's `routePrefix` option). */
export const ROUTE_PREFIX = 'messaging';

/** Passport strategy name; unique so a host app's own `jwt` strategy is untouched. */
export const JWT_STRATEGY_NAME = 'fluxkit-messaging-jwt';

/** Provider-side timeouts and the health cache, in milliseconds. */
export const HEALTH_CHECK_TIMEOUT_MS = 3_000;
export const HEALTH_CACHE_TTL_MS = 10_000;
