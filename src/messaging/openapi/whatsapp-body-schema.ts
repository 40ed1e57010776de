import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from './openapi-types.js';

/** The request body of POST /messaging/whatsapp in the document. */
export const WHATSAPP_BODY_SCHEMA = 'SendWhatsAppDto';

/**
 * POST /messaging/whatsapp takes one of two shapes: free text (`body`, optional `media`) or an approved
 * template (`contentSid`, optional `contentVariables`); both together, or neither, is a 400. One schema
 * with every field optional would promise bodies the API refuses, so the body becomes a `oneOf` of the
 * two, each with its own required fields (and, once closeRequestBodies ran, no other field).
 */
export function documentWhatsAppShapes(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const schema = schemas[WHATSAPP_BODY_SCHEMA] as SchemaObject | undefined;
  const properties = schema?.properties;
  if (!schema || !properties) return;
  const { to, body, media, sendAt, contentSid, contentVariables } = properties;
  const pick = (fields: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<string, SchemaObject>;
  schemas[WHATSAPP_BODY_SCHEMA] = {
    ...(schema.description ? { description: schema.description } : {}),
    oneOf: [
      { title: `${WHATSAPP_BODY_SCHEMA} (text)`, type: 'object', properties: pick({ to, body, media, sendAt }), required: ['to', 'body'] },
      {
        title: `${WHATSAPP_BODY_SCHEMA} (approved template)`,
        type: 'object',
        properties: pick({ to, contentSid, contentVariables, sendAt }),
        required: ['to', 'contentSid'],
      },
    ],
  };
}
