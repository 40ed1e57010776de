import type { LinksObject } from './openapi-types.js';

/**
 * OpenAPI links (3.0 §4.7.10.5) from answers that carry a message log id to
 * the operations taking it, so clients and stateful testers can tell where
 * an id goes. The operation ids are @nestjs/swagger's `Controller_method`.
 */
const GET_LOG = 'LogsController_get';
const CANCEL_MESSAGE = 'MessagesController_cancel';

function linksFrom(idExpression: string, description: string, cancellable: boolean): LinksObject {
  const links: LinksObject = {
    GetMessageLog: { operationId: GET_LOG, parameters: { id: idExpression }, description: `The log row of ${description}` },
  };
  if (cancellable) {
    links.CancelMessage = { operationId: CANCEL_MESSAGE, parameters: { id: idExpression }, description: `Cancel ${description}` };
  }
  return links;
}

/** 202 of a send: `messageId` is the log row's id; the message is queued or scheduled, so still cancellable. */
export const ACCEPTED_MESSAGE_LINKS = linksFrom('$response.body#/messageId', 'the accepted message', true);

/** 200 of a synchronous send: `id` is the log row's id (delivery receipts move that row on). */
export const SENT_MESSAGE_LINKS = linksFrom('$response.body#/id', 'the sent message', false);

/** 200 of a cancellation: its log row now says `cancelled`. */
export const CANCELLED_MESSAGE_LINKS = linksFrom('$response.body#/messageId', 'the cancelled message', false);
