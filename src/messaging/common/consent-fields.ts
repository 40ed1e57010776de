// The values of the consent features' enumerated fields. They live here, not in consent/, because the
// send DTOs, the log schema, the OpenAPI models and the queue all name them, and those folders must
// not import one another in a cycle (docs/architecture.md).

/** `transactional` (the default): refused only for scope `all`. `marketing`: refused for either scope. */
export const MESSAGE_CATEGORIES = ['transactional', 'marketing'] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];
export const DEFAULT_MESSAGE_CATEGORY: MessageCategory = 'transactional';

/** `all`: no message at all (STOP, provider rejection). `marketing`: no marketing message (unsubscribe link). */
export const SUPPRESSION_SCOPES = ['all', 'marketing'] as const;
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];

export const SUPPRESSION_REASONS = ['opted_out', 'unsubscribed', 'provider_rejected', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Where an entry came from: the API, an inbound keyword, a provider's error, a one-click unsubscribe. */
export const SUPPRESSION_SOURCES = ['api', 'inbound', 'provider', 'unsubscribe_link'] as const;
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

/** Rows of messages we send, and (`inbound`) messages recipients sent to us. Rows without it are outbound. */
export const MESSAGE_DIRECTIONS = ['outbound', 'inbound'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** The scopes that refuse a message of `category`. */
export function refusingScopes(category: MessageCategory): SuppressionScope[] {
  return category === 'marketing' ? ['all', 'marketing'] : ['all'];
}

/** Twilio's error code for a recipient who unsubscribed (replied STOP) from the sender. */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;
