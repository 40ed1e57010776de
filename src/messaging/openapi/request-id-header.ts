import type { OpenAPIObject } from '@nestjs/swagger';
import { REQUEST_ID_PATTERN } from '../common/request-id.js';

const DESCRIPTION =
  'Id of the request, for tracing: kept when it is at most 128 characters of `[A-Za-z0-9._-]`, else replaced ' +
  'by a generated UUID (never refused). It is echoed in the answer, carried by every log line of the request, ' +
  'stored on the message log row (`requestId`) and on the queue job.';

type Operation = {
  parameters?: unknown[];
  responses?: Record<string, { headers?: Record<string, unknown> }>;
};

/**
 * Adds the X-Request-Id header to every operation: accepted on the request (optional; any string,
 * since an invalid one is replaced, not refused) and present on every answer (the id used).
 */
export function documentRequestIds(document: OpenAPIObject): void {
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods as Record<string, Operation>)) {
      if (typeof operation !== 'object' || operation === null || !operation.responses) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        { name: 'X-Request-Id', in: 'header', required: false, description: DESCRIPTION, schema: { type: 'string' } },
      ];
      for (const response of Object.values(operation.responses)) {
        response.headers = {
          ...response.headers,
          'X-Request-Id': {
            description: 'The id of this request: the one given, or a generated UUID',
            schema: { type: 'string', pattern: REQUEST_ID_PATTERN.source },
          },
        };
      }
    }
  }
}
