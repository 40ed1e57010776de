import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from './openapi-types.js';

/**
 * Marks every object schema a request body uses (nested DTOs included) with
 * `additionalProperties: false`. The validation pipe refuses unknown fields
 * (`forbidNonWhitelisted`), but @nestjs/swagger leaves the keyword out, which
 * tells clients and generators that any extra field is fine.
 */
export function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const seen = new Set<string>();
  const visit = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null) return;
    const ref = (schema as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return;
      seen.add(name);
      return visit(schemas[name]);
    }
    const object = schema as SchemaObject;
    if (object.properties && object.additionalProperties === undefined) object.additionalProperties = false;
    for (const child of [
      ...Object.values(object.properties ?? {}),
      object.items,
      ...(object.oneOf ?? []),
      ...(object.anyOf ?? []),
      ...(object.allOf ?? []),
    ]) {
      visit(child);
    }
  };
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods as Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>)) {
      for (const media of Object.values(operation.requestBody?.content ?? {})) visit(media.schema);
    }
  }
}
