/**
 * Every channel the service sends on: the one list the log schema's enum, the queue's job check, the
 * options validation and the logs filter derive from. Adding a channel starts here
 * (docs/architecture.md, "Adding a channel").
 */
export const CHANNEL_NAMES = ['email', 'sms', 'whatsapp'] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}
