import type { FastifyRequest } from 'fastify';

/**
 * Fastify route config marking the module's provider webhook routes (set by
 * TwilioWebhookController beside the module's MESSAGING_ROUTE_CONFIG), so the
 * body hooks of WebhookBodyParsing apply to them alone.
 */
export const WEBHOOK_ROUTE_CONFIG = { fluxkitWebhookRoute: true } as const;

export function isWebhookRoute(request: Pick<FastifyRequest, 'routeOptions'>): boolean {
  const config = request.routeOptions?.config as Partial<typeof WEBHOOK_ROUTE_CONFIG> | undefined;
  return config?.fluxkitWebhookRoute === true;
}
