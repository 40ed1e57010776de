import { ATTACHMENT_BODY_ALLOWANCE_BYTES } from '../common/attachment-rules.js';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '../errors/pre-handler-errors.js';

/**
 * The routes that take email attachments need a larger body than the rest
 * (10 MiB of files are 13.3 MiB of base64). They are marked with Fastify
 * route config, which the standalone app's onRoute hook (src/body-parser.ts)
 * reads to raise their body limit by ATTACHMENT_BODY_ALLOWANCE_BYTES; every
 * other route keeps BODY_LIMIT_BYTES. A host app sets its own limits.
 */
export const ATTACHMENT_ROUTE_CONFIG = { fluxkitAttachmentBody: true } as const;

/** Marks a route handler as one that accepts attachments (see above). */
export function AcceptsAttachments(): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, ...ATTACHMENT_ROUTE_CONFIG }, handler);
  };
}

/** True for the route config of a handler marked with AcceptsAttachments. */
export function acceptsAttachments(config: unknown): boolean {
  return typeof config === 'object' && config !== null && (config as Partial<typeof ATTACHMENT_ROUTE_CONFIG>).fluxkitAttachmentBody === true;
}

/** The body limit of the attachment routes, given the app's own. */
export function attachmentBodyLimit(bodyLimit: number): number {
  return bodyLimit + ATTACHMENT_BODY_ALLOWANCE_BYTES;
}
